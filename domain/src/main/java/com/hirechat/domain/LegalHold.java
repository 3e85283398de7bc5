package com.hirechat.domain;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;

/**
 * One legal hold, from placement to release: placed once, released once. Its matter is a case reference (letters,
 * digits, {@code . _ / : -}, at most {@value #MAX_MATTER} characters) so that no personal data can be written in it.
 */
public class LegalHold {

    /** The longest matter reference. */
    public static final int MAX_MATTER = 100;
    /** What a matter reference must look like, as the refusal says it. */
    public static final String MATTER_RULE = "'matter' is a case reference: letters, digits and . _ / : - only, at most "
            + MAX_MATTER + " characters";
    private static final Pattern MATTER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:-]{0," + (MAX_MATTER - 1) + "}");

    @AggregateIdentifier
    private String streamId;
    private HoldTarget target;
    private String matter;
    private boolean released;

    protected LegalHold() {
        // required by Axon
    }

    static String streamId(String holdId) {
        return "hold:" + holdId;
    }

    /** Whether a matter reference is well-formed. */
    public static boolean validMatter(String matter) {
        return matter != null && MATTER.matcher(matter).matches();
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(PlaceLegalHold command) {
        if (!validMatter(command.matter())) {
            throw new DomainRuleViolation(DomainError.INVALID_MATTER, MATTER_RULE);
        }
        if (target != null) {
            // the same hold placed again (a retry) is the same hold; another subject under its id is not
            if (target.equals(command.target()) && matter.equals(command.matter())) {
                return;
            }
            throw new DomainRuleViolation(DomainError.NOT_ALLOWED, "hold " + command.holdId() + " exists already");
        }
        apply(new LegalHoldPlaced(command.holdId(), command.target(), command.matter(), command.placedBy(), now()));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(ReleaseLegalHold command) {
        if (target == null) {
            throw new DomainRuleViolation(DomainError.UNKNOWN_HOLD, "no hold " + command.holdId());
        }
        if (released) {
            throw new DomainRuleViolation(DomainError.HOLD_RELEASED, "hold " + command.holdId() + " was released");
        }
        apply(new LegalHoldReleased(command.holdId(), target, matter, command.releasedBy(), now()));
    }

    @EventSourcingHandler
    void on(LegalHoldPlaced event) {
        streamId = streamId(event.holdId());
        target = event.target();
        matter = event.matter();
    }

    @EventSourcingHandler
    void on(LegalHoldReleased event) {
        released = true;
    }

    private static java.time.Instant now() {
        return GenericEventMessage.clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
