package com.hirechat.projections;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.UUID;

/** A position in a contacts list: the last contact of the previous page. Opaque to clients. */
public record ContactsCursor(Instant lastActivity, String conversationId) {

    public static ContactsCursor after(Contact contact) {
        return new ContactsCursor(contact.lastActivity(), contact.conversationId());
    }

    public String encode() {
        return lastActivity + "_" + conversationId;
    }

    /** Empty when the text is not a cursor this server made. */
    public static Optional<ContactsCursor> decode(String text) {
        var separator = text.lastIndexOf('_');
        if (separator < 0) {
            return Optional.empty();
        }
        try {
            var conversation = UUID.fromString(text.substring(separator + 1)).toString();
            return Optional.of(new ContactsCursor(Instant.parse(text.substring(0, separator)), conversation));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
