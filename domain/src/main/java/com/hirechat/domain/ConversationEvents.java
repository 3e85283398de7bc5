package com.hirechat.domain;

import java.time.Instant;

import org.axonframework.serialization.Revision;

/** Events that change a conversation after it started, besides messages being sent. */
public final class ConversationEvents {

    private ConversationEvents() {
    }

    /** A job was attached to the conversation. */
    @Revision("1")
    public record JobLinked(ConversationId conversationId, JobReference job, UserId linkedBy, Instant linkedAt,
                            long seq) implements ConversationEvent {
    }

    /** Someone joined a group; they may read and write from {@code seq} on. */
    @Revision("1")
    public record ParticipantAdded(ConversationId conversationId, UserId participant, UserId addedBy, Instant addedAt,
                                   long seq) implements ConversationEvent {
    }

    /** Someone left or was removed from a group; what they saw before {@code seq} stays theirs. */
    @Revision("1")
    public record ParticipantRemoved(ConversationId conversationId, UserId participant, UserId removedBy,
                                     Instant removedAt, long seq) implements ConversationEvent {
    }

    /** The author replaced a message's text; the earlier text stays in the message's earlier events. */
    @Revision("1")
    public record MessageEdited(ConversationId conversationId, MessageId messageId, long messageSeq, UserId editedBy,
                                String text, Instant editedAt, long seq) implements ConversationEvent {
    }

    /** A message's content is hidden from participants from now on; the record keeps it. */
    @Revision("1")
    public record MessageRedacted(ConversationId conversationId, MessageId messageId, long messageSeq,
                                  UserId redactedBy, boolean byAdmin, Instant redactedAt, long seq)
            implements ConversationEvent {
    }

    /** A participant has read everything up to and including {@code upToSeq}. */
    @Revision("1")
    public record MessagesRead(ConversationId conversationId, UserId reader, long upToSeq, Instant readAt, long seq)
            implements ConversationEvent {
    }
}
