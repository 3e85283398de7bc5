package com.hirechat.domain;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.serialization.Revision;

import com.hirechat.domain.ConversationCommands.AddParticipant;
import com.hirechat.domain.ConversationCommands.CheckParticipant;
import com.hirechat.domain.ConversationCommands.EditMessage;
import com.hirechat.domain.ConversationCommands.LinkJob;
import com.hirechat.domain.ConversationCommands.MarkRead;
import com.hirechat.domain.ConversationCommands.RedactMessage;
import com.hirechat.domain.ConversationCommands.RemoveParticipant;
import com.hirechat.domain.ConversationEvents.JobLinked;
import com.hirechat.domain.ConversationEvents.MessageEdited;
import com.hirechat.domain.ConversationEvents.MessageRedacted;
import com.hirechat.domain.ConversationEvents.MessagesRead;
import com.hirechat.domain.ConversationEvents.ParticipantAdded;
import com.hirechat.domain.ConversationEvents.ParticipantRemoved;

/**
 * The conversation aggregate: who takes part, and the ordered, de-duplicated history of what they did.
 *
 * <p>Its revision is that of its snapshots' shape: a snapshot of another revision is not read (the aggregate is
 * rebuilt from its events instead), so raise it whenever a field is renamed or changes meaning.
 *
 * <p>It remembers only its latest {@link #RECENT_MESSAGES} messages, so its memory and snapshots do not grow with
 * the conversation: retries and edits of older messages are judged by the {@link MessageLedger}.
 */
@Revision("3")
public class Conversation {

    /**
     * How many of the latest messages (and of redactions of older ones) the aggregate remembers. It must exceed the
     * messages one transaction can hold (the write side commits at most 64 commands together): until they are
     * committed, the ledger cannot know them.
     */
    public static final int RECENT_MESSAGES = 128;

    /** A recent message as the aggregate remembers it: enough to answer a retry of it and to judge an edit. */
    record RecentMessage(UserId sender, ClientMessageId clientMessageId, long seq, Instant sentAt, boolean redacted) {
    }

    @AggregateIdentifier
    private ConversationId conversationId;
    private ConversationKind kind;
    private List<UserId> participants = new ArrayList<>();
    private long lastSeq = -1;
    private long lastMessageSeq;
    // the latest messages by id, oldest first: immediate retries and edits of recent messages need no lookup
    private LinkedHashMap<String, RecentMessage> recentMessages = new LinkedHashMap<>();
    // older messages redacted lately: the ledger learns of a redaction only once it is committed
    private LinkedHashSet<String> recentRedactions = new LinkedHashSet<>();
    private Map<String, Long> readUpTo = new HashMap<>();
    private Set<String> linkedJobs = new HashSet<>();
    // advanced by every event sourcing handler: Axon invokes only the most specific one per event
    private String lastHash = EventHash.GENESIS;

    protected Conversation() {
        // required by Axon to rebuild from events and by the snapshot serializer
    }

    /** Starts the conversation, or answers with its id when the same participants already started it. */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public ConversationId handle(StartConversation command, EventChain chain) {
        var distinct = new LinkedHashSet<>(command.participants());
        if (distinct.size() != command.participants().size() || !distinct.contains(command.initiator())) {
            throw new DomainRuleViolation(DomainError.INVALID_PARTICIPANTS,
                    "participants must be distinct and include the initiator");
        }
        String title = null;
        if (command.kind() == ConversationKind.DIRECT) {
            requireDirectPair(command, distinct);
        } else {
            if (distinct.size() < 2 || distinct.size() > StartConversation.MAX_GROUP_SIZE) {
                throw new DomainRuleViolation(DomainError.INVALID_PARTICIPANTS,
                        "a group starts with 2-" + StartConversation.MAX_GROUP_SIZE + " participants");
            }
            title = ConversationTitle.require(command.title());
        }
        if (conversationId == null) {
            var ordered = command.kind() == ConversationKind.DIRECT
                    ? distinct.stream().sorted().toList() : List.copyOf(distinct);
            record(chain, new ConversationStarted(command.conversationId(), command.kind(), command.initiator(),
                    ordered, title, now(), 0));
        } else if (kind != command.kind()) {
            throw new DomainRuleViolation(DomainError.INVALID_PARTICIPANTS, "this conversation exists as another kind");
        }
        return command.conversationId();
    }

    private static void requireDirectPair(StartConversation command, Set<UserId> distinct) {
        if (distinct.size() != 2) {
            throw new DomainRuleViolation(DomainError.INVALID_PARTICIPANTS,
                    "a direct conversation has exactly two participants");
        }
        var sorted = distinct.stream().sorted().toList();
        if (!command.conversationId().equals(ConversationId.direct(sorted.get(0), sorted.get(1)))) {
            throw new DomainRuleViolation(DomainError.CONVERSATION_ID_MISMATCH,
                    "a direct conversation's id is derived from its two participants");
        }
    }

    /** Accepts a participant's message once per sender and client message id. */
    @CommandHandler
    public MessageAccepted handle(SendMessage command, EventChain chain, MessageLedger ledger) {
        requireParticipant(command.sender());
        // a retried send returns the original instead of storing a duplicate, and another sender's message that
        // happens to reuse the id is a message of its own
        var earlier = recentAnswer(command.sender(), command.clientMessageId())
                .or(() -> ledger.accepted(conversationId, command.sender(), command.clientMessageId()));
        if (earlier.isPresent()) {
            return earlier.get();
        }
        var attachments = command.attachments();
        if (attachments.size() > Attachment.MAX_PER_MESSAGE) {
            throw new DomainRuleViolation(DomainError.TOO_MANY_ATTACHMENTS,
                    "a message carries at most " + Attachment.MAX_PER_MESSAGE + " attachments");
        }
        // a file may be the whole message: the text may then be empty, but never invalid
        var text = attachments.isEmpty() || command.text() != null && !command.text().isBlank()
                ? MessageText.require(command.text()) : "";
        var accepted = new MessageAccepted(MessageId.of(conversationId, command.sender(), command.clientMessageId()),
                nextSeq(), now());
        record(chain, new MessageSent(conversationId, accepted.messageId(), command.clientMessageId(),
                command.sender(), text, accepted.sentAt(), accepted.seq(), attachments));
        return accepted;
    }

    @CommandHandler
    public void handle(LinkJob command, EventChain chain) {
        requireParticipant(command.actor());
        if (!linkedJobs.contains(command.job().jobId())) {
            record(chain, new JobLinked(conversationId, command.job(), command.actor(), now(), nextSeq()));
        }
    }

    @CommandHandler
    public void handle(AddParticipant command, EventChain chain) {
        // who asks comes first: an outsider learns nothing about the conversation, not even its kind
        requireParticipant(command.actor());
        requireGroup();
        if (!participants.contains(command.participant())) {
            if (participants.size() >= StartConversation.MAX_GROUP_SIZE) {
                throw new DomainRuleViolation(DomainError.INVALID_PARTICIPANTS,
                        "a group has at most " + StartConversation.MAX_GROUP_SIZE + " participants");
            }
            record(chain, new ParticipantAdded(conversationId, command.participant(), command.actor(), now(),
                    nextSeq()));
        }
    }

    @CommandHandler
    public void handle(RemoveParticipant command, EventChain chain) {
        requireParticipant(command.actor());
        requireGroup();
        if (participants.contains(command.participant())) {
            record(chain, new ParticipantRemoved(conversationId, command.participant(), command.actor(), now(),
                    nextSeq()));
        }
    }

    @CommandHandler
    public void handle(EditMessage command, EventChain chain, MessageLedger ledger) {
        requireParticipant(command.editor());
        var message = requireMessage(command.messageId(), ledger);
        if (!message.author().equals(command.editor())) {
            throw new DomainRuleViolation(DomainError.NOT_THE_AUTHOR, "only the author may edit a message");
        }
        if (message.redacted()) {
            throw new DomainRuleViolation(DomainError.MESSAGE_REDACTED, "a removed message cannot be edited");
        }
        var text = MessageText.require(command.text());
        record(chain, new MessageEdited(conversationId, command.messageId(), message.seq(), command.editor(), text,
                now(), nextSeq()));
    }

    @CommandHandler
    public void handle(RedactMessage command, EventChain chain, MessageLedger ledger) {
        if (!command.actorIsAdmin()) {
            requireParticipant(command.actor());
        }
        var message = requireMessage(command.messageId(), ledger);
        if (!command.actorIsAdmin() && !message.author().equals(command.actor())) {
            throw new DomainRuleViolation(DomainError.NOT_ALLOWED, "only the author or an admin may remove a message");
        }
        if (!message.redacted()) {
            record(chain, new MessageRedacted(conversationId, command.messageId(), message.seq(), command.actor(),
                    command.actorIsAdmin(), now(), nextSeq()));
        }
    }

    /** Whether the user is a participant now; applies nothing. */
    @CommandHandler
    public boolean handle(CheckParticipant command) {
        return participants.contains(command.user());
    }

    @CommandHandler
    public void handle(MarkRead command, EventChain chain) {
        requireParticipant(command.reader());
        if (command.upToSeq() < 0 || command.upToSeq() > lastSeq) {
            throw new DomainRuleViolation(DomainError.INVALID_READ_POSITION,
                    "upToSeq must be between 0 and the conversation's last seq " + lastSeq);
        }
        // read events take seqs themselves: reading "up to the end" must not chase its own receipts forever
        var upTo = Math.min(command.upToSeq(), lastMessageSeq);
        if (upTo > readUpTo.getOrDefault(command.reader().value(), 0L)) {
            record(chain, new MessagesRead(conversationId, command.reader(), upTo, now(), nextSeq()));
        }
    }

    @EventSourcingHandler
    void on(ConversationStarted event, @MetaDataValue(EventHash.KEY) String hash) {
        chain(hash);
        conversationId = event.conversationId();
        kind = event.kind();
        participants = new ArrayList<>(event.participants());
        lastSeq = event.seq();
    }

    @EventSourcingHandler
    void on(MessageSent event, @MetaDataValue(EventHash.KEY) String hash) {
        chain(hash);
        recentMessages.put(event.messageId().value(),
                new RecentMessage(event.sentBy(), event.clientMessageId(), event.seq(), event.sentAt(), false));
        if (recentMessages.size() > RECENT_MESSAGES) {
            recentMessages.pollFirstEntry();
        }
        lastMessageSeq = event.seq();
        lastSeq = event.seq();
    }

    @EventSourcingHandler
    void on(JobLinked event, @MetaDataValue(EventHash.KEY) String hash) {
        chain(hash);
        linkedJobs.add(event.job().jobId());
        lastSeq = event.seq();
    }

    @EventSourcingHandler
    void on(ParticipantAdded event, @MetaDataValue(EventHash.KEY) String hash) {
        chain(hash);
        participants.add(event.participant());
        lastSeq = event.seq();
    }

    @EventSourcingHandler
    void on(ParticipantRemoved event, @MetaDataValue(EventHash.KEY) String hash) {
        chain(hash);
        participants.remove(event.participant());
        readUpTo.remove(event.participant().value());
        lastSeq = event.seq();
    }

    @EventSourcingHandler
    void on(MessageEdited event, @MetaDataValue(EventHash.KEY) String hash) {
        chain(hash);
        lastSeq = event.seq();
    }

    @EventSourcingHandler
    void on(MessageRedacted event, @MetaDataValue(EventHash.KEY) String hash) {
        chain(hash);
        var recent = recentMessages.get(event.messageId().value());
        if (recent != null) {
            // replaced in place: the message keeps its position in the order of the latest messages
            recentMessages.put(event.messageId().value(), new RecentMessage(recent.sender(), recent.clientMessageId(),
                    recent.seq(), recent.sentAt(), true));
        } else {
            recentRedactions.add(event.messageId().value());
            if (recentRedactions.size() > RECENT_MESSAGES) {
                recentRedactions.removeFirst();
            }
        }
        lastSeq = event.seq();
    }

    @EventSourcingHandler
    void on(MessagesRead event, @MetaDataValue(EventHash.KEY) String hash) {
        chain(hash);
        readUpTo.put(event.reader().value(), event.upToSeq());
        lastSeq = event.seq();
    }

    /** Applies the event with its link in the conversation's hash chain, and the scheme of that link. */
    private void record(EventChain chain, ConversationEvent event) {
        apply(event, MetaData.with(EventHash.KEY, chain.next(lastHash, event))
                .and(EventHash.SCHEME_KEY, chain.scheme()));
    }

    /**
     * Moves the chain on past an event, to the hash stored with it: sourcing does not recompute the chain (checking
     * it is {@code ChainVerification}'s job), so a link written by an older scheme stays what it was. An event without
     * one (only in tests that give bare events) leaves the chain where it was.
     */
    private void chain(String hash) {
        if (hash != null) {
            lastHash = hash;
        }
    }

    private void requireParticipant(UserId user) {
        if (!participants.contains(user)) {
            throw new DomainRuleViolation(DomainError.NOT_A_PARTICIPANT, "only participants may do this here");
        }
    }

    private void requireGroup() {
        if (kind != ConversationKind.GROUP) {
            throw new DomainRuleViolation(DomainError.NOT_A_GROUP, "a direct conversation always has its two people");
        }
    }

    /** The answer to a recent send of this sender and client id, found without asking the ledger. */
    private Optional<MessageAccepted> recentAnswer(UserId sender, ClientMessageId clientMessageId) {
        var id = MessageId.of(conversationId, sender, clientMessageId);
        var recent = recentMessages.get(id.value());
        if (recent != null && recent.sender().equals(sender) && recent.clientMessageId().equals(clientMessageId)) {
            return Optional.of(new MessageAccepted(id, recent.seq(), recent.sentAt()));
        }
        // messages stored before ids were derived from the sender keep the ids they were given: a scan of the few
        // recent ones (a microsecond) finds them too
        for (var entry : recentMessages.entrySet()) {
            var message = entry.getValue();
            if (message.sender().equals(sender) && message.clientMessageId().equals(clientMessageId)) {
                return Optional.of(new MessageAccepted(MessageId.of(entry.getKey()), message.seq(), message.sentAt()));
            }
        }
        return Optional.empty();
    }

    private MessageFacts requireMessage(MessageId messageId, MessageLedger ledger) {
        var recent = recentMessages.get(messageId.value());
        if (recent != null) {
            return new MessageFacts(recent.sender(), recent.seq(), recent.redacted());
        }
        var stored = ledger.facts(conversationId, messageId).orElseThrow(() ->
                new DomainRuleViolation(DomainError.UNKNOWN_MESSAGE, "no such message in this conversation"));
        // a redaction applied here but not yet committed (it shares a transaction with others) is not stored yet
        return recentRedactions.contains(messageId.value())
                ? new MessageFacts(stored.author(), stored.seq(), true) : stored;
    }

    private long nextSeq() {
        return lastSeq + 1;
    }

    private static Instant now() {
        // microseconds: what PostgreSQL keeps, so the stored event and the read models agree exactly
        return GenericEventMessage.clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
