package com.hirechat.projections;

import org.axonframework.eventhandling.DomainEventMessage;

import com.hirechat.commands.CanonicalEventChain;
import com.hirechat.domain.ConversationEvent;
import com.hirechat.domain.EventHash;
import com.hirechat.domain.SchemeOneText;

/**
 * One event as the event store holds it: the stored fields its chain link covers, and its message (payload and
 * metadata deserialized on first use, so a payload altered into something unreadable fails only when read).
 *
 * @param payload the payload bytes exactly as stored (null when they could not be obtained)
 */
public record StoredEvent(String aggregateId, long seq, String payloadType, String payloadRevision, byte[] payload,
                          DomainEventMessage<?> message) {

    /** The scheme that computed this event's link: 1 when its metadata names none (stored before schemes existed). */
    public int chainScheme() {
        var scheme = message.getMetaData().get(EventHash.SCHEME_KEY);
        return scheme == null ? 1 : Integer.parseInt(scheme.toString());
    }

    /** The hash stored with the event, or null. */
    public String chainHash() {
        var hash = message.getMetaData().get(EventHash.KEY);
        return hash == null ? null : hash.toString();
    }

    /** The conversation event, deserialized (and upcast) from the stored payload. */
    public ConversationEvent event() {
        if (message.getPayload() instanceof ConversationEvent event) {
            return event;
        }
        throw new IllegalStateException("not a conversation event: " + payloadType);
    }

    /**
     * The text whose UTF-8 bytes follow the previous hash and a line feed in this event's link: for scheme 2 the
     * canonical envelope of the stored fields, for scheme 1 the revision-1 record text of the deserialized event.
     */
    public String hashedText() {
        return switch (chainScheme()) {
            case 1 -> SchemeOneText.of(event());
            case 2 -> CanonicalEventChain.canonical(aggregateId, seq, payloadType, payloadRevision, payload);
            default -> throw new IllegalStateException("unknown chain scheme " + chainScheme());
        };
    }

    /** The hash this event's link must have when chained to {@code previous}, by the scheme it names. */
    public String expectedHash(String previous) {
        return switch (chainScheme()) {
            // the frozen rule, so that links stored before scheme 2 keep verifying exactly as they were written
            case 1 -> EventHash.schemeOne(previous, event());
            case 2 -> CanonicalEventChain.hash(previous, hashedText());
            default -> throw new IllegalStateException("unknown chain scheme " + chainScheme());
        };
    }
}
