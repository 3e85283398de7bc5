package com.hirechat.domain;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;

/** The conversation aggregate: who takes part, and the ordered, de-duplicated stream of their messages. */
public class Conversation {

    @AggregateIdentifier
    private ConversationId conversationId;
    private ConversationKind kind;
    private List<UserId> participants = new ArrayList<>();
    private long lastSeq = -1;
    // Answers already given, so a retried send returns the original instead of storing a duplicate.
    private Map<String, MessageAccepted> acceptedByClientMessageId = new HashMap<>();

    protected Conversation() {
        // required by Axon to rebuild from events and by the snapshot serializer
    }

    /** Starts the conversation, or answers with its id when the same participants already started it. */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public ConversationId handle(StartConversation command) {
        var distinct = new LinkedHashSet<>(command.participants());
        if (distinct.size() != command.participants().size() || !distinct.contains(command.initiator())) {
            throw new DomainRuleViolation(DomainError.INVALID_PARTICIPANTS,
                    "participants must be distinct and include the initiator");
        }
        if (distinct.size() != 2) {
            throw new DomainRuleViolation(DomainError.INVALID_PARTICIPANTS,
                    "a direct conversation has exactly two participants");
        }
        var sorted = distinct.stream().sorted().toList();
        if (!command.conversationId().equals(ConversationId.direct(sorted.get(0), sorted.get(1)))) {
            throw new DomainRuleViolation(DomainError.CONVERSATION_ID_MISMATCH,
                    "a direct conversation's id is derived from its two participants");
        }
        if (conversationId == null) {
            apply(new ConversationStarted(command.conversationId(), ConversationKind.DIRECT, command.initiator(),
                    sorted, now(), 0));
        }
        return command.conversationId();
    }

    /** Accepts a participant's message once per client message id. */
    @CommandHandler
    public MessageAccepted handle(SendMessage command) {
        requireParticipant(command.sender());
        var earlier = acceptedByClientMessageId.get(command.clientMessageId().value());
        if (earlier != null) {
            return earlier;
        }
        var text = MessageText.require(command.text());
        var accepted = new MessageAccepted(MessageId.of(conversationId, command.clientMessageId()), lastSeq + 1, now());
        apply(new MessageSent(conversationId, accepted.messageId(), command.clientMessageId(), command.sender(), text,
                accepted.sentAt(), accepted.seq()));
        return accepted;
    }

    @EventSourcingHandler
    void on(ConversationStarted event) {
        conversationId = event.conversationId();
        kind = event.kind();
        participants = new ArrayList<>(event.participants());
        lastSeq = event.seq();
    }

    @EventSourcingHandler
    void on(MessageSent event) {
        acceptedByClientMessageId.put(event.clientMessageId().value(),
                new MessageAccepted(event.messageId(), event.seq(), event.sentAt()));
        lastSeq = event.seq();
    }

    private void requireParticipant(UserId user) {
        if (!participants.contains(user)) {
            throw new DomainRuleViolation(DomainError.NOT_A_PARTICIPANT, "only participants may write here");
        }
    }

    private static Instant now() {
        // microseconds: what PostgreSQL keeps, so the stored event and the read models agree exactly
        return GenericEventMessage.clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
