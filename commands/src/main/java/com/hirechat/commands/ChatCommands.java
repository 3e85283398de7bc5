package com.hirechat.commands;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;

import com.hirechat.commands.writepath.CommandRefused;
import com.hirechat.domain.ClientMessageId;
import com.hirechat.domain.ConversationCommands.AddParticipant;
import com.hirechat.domain.ConversationCommands.CheckParticipant;
import com.hirechat.domain.ConversationCommands.EditMessage;
import com.hirechat.domain.ConversationCommands.LinkJob;
import com.hirechat.domain.ConversationCommands.MarkRead;
import com.hirechat.domain.ConversationCommands.RedactMessage;
import com.hirechat.domain.ConversationCommands.RemoveParticipant;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.DomainError;
import com.hirechat.domain.DomainRuleViolation;
import com.hirechat.domain.JobReference;
import com.hirechat.domain.MessageAccepted;
import com.hirechat.domain.MessageId;
import com.hirechat.domain.Profile;
import com.hirechat.domain.EraseUser;
import com.hirechat.domain.PutUserProfile;
import com.hirechat.domain.SendMessage;
import com.hirechat.domain.StartConversation;
import com.hirechat.domain.UserId;

/**
 * The write-side API: each call returns once the resulting events are durably stored,
 * or throws {@link DomainRuleViolation} (nothing stored) or {@link CommandFailure}.
 */
public final class ChatCommands implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration TIMEOUT_CHECK_PERIOD = Duration.ofMillis(500);
    private static final Logger LOG = Logger.getLogger(ChatCommands.class.getName());

    private final CommandGateway gateway;
    private final CommandTimings timings;
    private final CommandDeadlines deadlines;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object idle = new Object();
    private volatile boolean draining;

    public ChatCommands(CommandGateway gateway, CommandTimings timings) {
        this(gateway, timings, TIMEOUT, TIMEOUT_CHECK_PERIOD);
    }

    /** With a command's time limit, and how often commands are checked against it. */
    ChatCommands(CommandGateway gateway, CommandTimings timings, Duration timeout, Duration checkPeriod) {
        this.gateway = gateway;
        this.timings = timings;
        this.deadlines = new CommandDeadlines(timeout, checkPeriod);
    }

    /** Stops checking commands against their time limit. */
    @Override
    public void close() {
        deadlines.close();
    }

    /**
     * Refuses new commands from now on and waits, up to the deadline, for those already running: after it returns
     * true, every command that was accepted has been stored (and its caller answered) or has failed.
     */
    public boolean drain(Duration patience) {
        draining = true;
        var deadline = System.nanoTime() + patience.toNanos();
        synchronized (idle) {
            while (inFlight.get() > 0) {
                var left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    idle.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    /** The direct conversation between two users, started on first use; the same id every time. */
    public ConversationId startDirect(UserId initiator, UserId counterpart) {
        return dispatch(StartConversation.direct(initiator, counterpart));
    }

    /** The direct conversation, with the job it is about attached (once) when one is given. */
    public ConversationId startDirect(UserId initiator, UserId counterpart, Optional<JobReference> job) {
        var conversation = startDirect(initiator, counterpart);
        job.ifPresent(reference -> dispatch(new LinkJob(conversation, initiator, reference)));
        return conversation;
    }

    /** A new group conversation of the initiator and the others. */
    public ConversationId startGroup(UserId initiator, List<UserId> others, String title) {
        return dispatch(StartConversation.group(initiator, others, title));
    }

    public void linkJob(ConversationId conversation, UserId actor, JobReference job) {
        dispatch(new LinkJob(conversation, actor, job));
    }

    public void addParticipant(ConversationId conversation, UserId actor, UserId participant) {
        dispatch(new AddParticipant(conversation, actor, participant));
    }

    public void removeParticipant(ConversationId conversation, UserId actor, UserId participant) {
        dispatch(new RemoveParticipant(conversation, actor, participant));
    }

    public void edit(ConversationId conversation, UserId editor, MessageId message, String text) {
        dispatch(new EditMessage(conversation, editor, message, text));
    }

    public void redact(ConversationId conversation, UserId actor, boolean actorIsAdmin, MessageId message) {
        dispatch(new RedactMessage(conversation, actor, actorIsAdmin, message));
    }

    public void markRead(ConversationId conversation, UserId reader, long upToSeq) {
        dispatch(new MarkRead(conversation, reader, upToSeq));
    }

    /**
     * Whether the user is a participant of the conversation now, as the conversation itself knows it (a conversation
     * that does not exist has none): for where no read model commits with the events (Axon Server mode).
     */
    public boolean isParticipant(ConversationId conversation, UserId user) {
        try {
            return dispatch(new CheckParticipant(conversation, user));
        } catch (DomainRuleViolation e) {
            if (e.error() == DomainError.NOT_A_PARTICIPANT) {
                return false;
            }
            throw e;
        }
    }

    /** Registers the user or updates their profile, as the host site says. */
    public void putProfile(UserId user, Profile profile) {
        dispatch(new PutUserProfile(user, profile));
    }

    /** Records an erasure whose keys were destroyed; the same request id again records nothing. */
    public void recordErasure(EraseUser command) {
        dispatch(command);
    }

    /** Records that retention destroyed a conversation's keys; the same request id again records nothing. */
    public void recordExpiry(com.hirechat.domain.ExpireConversation command) {
        dispatch(command);
    }

    /** Places a legal hold (the matter is checked by the {@code LegalHold} aggregate). */
    public void placeHold(com.hirechat.domain.PlaceLegalHold command) {
        dispatch(command);
    }

    /** Releases a legal hold; refused for an unknown or released one. */
    public void releaseHold(com.hirechat.domain.ReleaseLegalHold command) {
        dispatch(command);
    }

    /** Sends a message; a retry with the same client message id returns the original answer. */
    public MessageAccepted send(ConversationId conversation, UserId sender, ClientMessageId clientMessageId, String text) {
        return dispatch(new SendMessage(conversation, sender, clientMessageId, text));
    }

    /** Sends a message carrying attachments (already stored); the text may then be empty. */
    public MessageAccepted send(ConversationId conversation, UserId sender, ClientMessageId clientMessageId, String text,
                                java.util.List<com.hirechat.domain.Attachment> attachments) {
        return dispatch(new SendMessage(conversation, sender, clientMessageId, text, attachments));
    }

    private <R> R dispatch(Object command) {
        inFlight.incrementAndGet();
        var started = System.nanoTime();
        var succeeded = false;
        try {
            if (draining) {
                throw new CommandFailure("the server is shutting down; retry on another connection", null);
            }
            R result = awaitResult(command);
            succeeded = true;
            log(command);
            return result;
        } finally {
            timings.record(name(command), System.nanoTime() - started, succeeded);
            if (inFlight.decrementAndGet() == 0) {
                synchronized (idle) {
                    idle.notifyAll();
                }
            }
        }
    }

    /** One line per change that matters, with ids only: message texts never reach the log. */
    private static void log(Object command) {
        switch (command) {
            case SendMessage c -> LOG.fine(() -> "message stored in " + c.conversationId() + " by " + c.sender());
            case EditMessage c -> LOG.fine(() -> "message " + c.messageId() + " edited in " + c.conversationId());
            case StartConversation c -> LOG.info(() -> "conversation " + c.conversationId() + " (" + c.kind()
                    + ") started or found by " + c.initiator());
            case LinkJob c -> LOG.info(() -> "job " + c.job().jobId() + " linked to " + c.conversationId()
                    + " by " + c.actor());
            case AddParticipant c -> LOG.info(() -> c.participant() + " added to " + c.conversationId()
                    + " by " + c.actor());
            case RemoveParticipant c -> LOG.info(() -> c.participant() + " removed from " + c.conversationId()
                    + " by " + c.actor());
            case RedactMessage c -> LOG.info(() -> "message " + c.messageId() + " in " + c.conversationId()
                    + " redacted by " + c.actor() + (c.actorIsAdmin() ? " (admin)" : ""));
            case MarkRead c -> LOG.fine(() -> c.reader() + " read " + c.conversationId() + " up to " + c.upToSeq());
            case PutUserProfile c -> LOG.info(() -> "profile of " + c.userId() + " registered or updated");
            default -> LOG.fine(() -> command.getClass().getSimpleName() + " done");
        }
    }

    private <R> R awaitResult(Object command) {
        try {
            // untimed: the deadlines fail it when it takes too long
            return deadlines.watch(gateway.<R>send(command), name(command)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure("interrupted while waiting for " + name(command), e);
        } catch (ExecutionException | CompletionException e) {
            throw translate(command, e.getCause());
        }
    }

    private static RuntimeException translate(Object command, Throwable failure) {
        if (failure instanceof TimeoutException late) {
            return new CommandFailure(late.getMessage(), late);
        }
        if (failure instanceof CommandRefused refused) {
            // nothing ran: no cause worth a stack trace in the log, as for a command refused while draining
            return new CommandFailure(refused.getMessage(), null);
        }
        if (failure instanceof CommandExecutionException wrapped) {
            // details carry the rule's code whether the handler ran here or on another node (DomainErrorInterceptor)
            var code = wrapped.getDetails().filter(String.class::isInstance).map(String.class::cast)
                    .flatMap(DomainError::fromCode);
            if (code.isPresent()) {
                return new DomainRuleViolation(code.get(), wrapped.getMessage());
            }
            if (wrapped.getCause() != null) {
                failure = wrapped.getCause();
            }
        }
        if (failure instanceof DomainRuleViolation violation) {
            return violation;
        }
        if (failure instanceof AggregateNotFoundException) {
            // to an outsider, a conversation that does not exist looks like one they are not in
            return new DomainRuleViolation(DomainError.NOT_A_PARTICIPANT, "only participants may write here");
        }
        return new CommandFailure(name(command) + " failed", failure);
    }

    private static String name(Object command) {
        return command.getClass().getSimpleName();
    }
}
