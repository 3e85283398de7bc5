package com.hirechat.domain;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The commands on an existing conversation besides sending; each names the acting user. */
public final class ConversationCommands {

    private ConversationCommands() {
    }

    /** Attach a job to the conversation; linking the same job again changes nothing. */
    public record LinkJob(@TargetAggregateIdentifier ConversationId conversationId, UserId actor, JobReference job) {
    }

    /** Add someone to a group; adding a current participant changes nothing. */
    public record AddParticipant(@TargetAggregateIdentifier ConversationId conversationId, UserId actor,
                                 UserId participant) {
    }

    /** Remove someone from a group (themselves included); removing a non-participant changes nothing. */
    public record RemoveParticipant(@TargetAggregateIdentifier ConversationId conversationId, UserId actor,
                                    UserId participant) {
    }

    /** Replace the text of one's own message. */
    public record EditMessage(@TargetAggregateIdentifier ConversationId conversationId, UserId editor,
                              MessageId messageId, String text) {
    }

    /** Hide a message's content from participants; allowed to its author and to admins. The record keeps it. */
    public record RedactMessage(@TargetAggregateIdentifier ConversationId conversationId, UserId actor,
                                boolean actorIsAdmin, MessageId messageId) {
    }

    /**
     * Asks whether {@code user} is a participant now, answered from the conversation's own state and changing
     * nothing: exact where no read model commits with the events (Axon Server mode, docs/operations.md).
     */
    public record CheckParticipant(@TargetAggregateIdentifier ConversationId conversationId, UserId user) {
    }

    /** The reader has seen everything up to and including {@code upToSeq}. */
    public record MarkRead(@TargetAggregateIdentifier ConversationId conversationId, UserId reader, long upToSeq) {
    }
}
