package com.hirechat.domain;

import java.time.Instant;
import java.util.List;

import org.axonframework.serialization.Revision;

/**
 * A participant's message was accepted into a conversation at the given sequence number. Revision 2 renamed
 * revision 1's {@code sender} to {@code sentBy}, the {@code <verb>By} of every other conversation event; stored
 * revision-1 payloads are upcast on reading (commands' {@code MessageSentUpcaster}). {@code attachments} (the files
 * the message carries) was added within revision 2 as an optional member: it is stored only when the message has
 * attachments, so a message without any stores, and hashes, exactly as before it existed; one stored without it reads
 * as having none.
 */
@Revision("2")
public record MessageSent(ConversationId conversationId,
                          MessageId messageId,
                          ClientMessageId clientMessageId,
                          UserId sentBy,
                          String text,
                          Instant sentAt,
                          long seq,
                          List<Attachment> attachments) implements ConversationEvent {

    public MessageSent {
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    /** A message without attachments. */
    public MessageSent(ConversationId conversationId, MessageId messageId, ClientMessageId clientMessageId,
                       UserId sentBy, String text, Instant sentAt, long seq) {
        this(conversationId, messageId, clientMessageId, sentBy, text, sentAt, seq, List.of());
    }
}
