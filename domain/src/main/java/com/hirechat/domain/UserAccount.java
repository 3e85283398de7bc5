package com.hirechat.domain;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.time.temporal.ChronoUnit;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;

/** A user as the host site describes them; the chat's source of names and avatars. */
public class UserAccount {

    @AggregateIdentifier
    private String streamId;
    private Profile profile;
    /** The last erasure request recorded, so a resumed erasure is recorded once. */
    private String lastErasure;

    protected UserAccount() {
        // required by Axon
    }

    static String streamId(UserId user) {
        return "user:" + user.value();
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(PutUserProfile command) {
        if (Erased.is(command.profile().displayName())) {
            throw new DomainRuleViolation(DomainError.INVALID_PROFILE, "displayName is not a name anyone may take");
        }
        var now = GenericEventMessage.clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (profile == null) {
            apply(new UserRegistered(command.userId(), command.profile(), now));
        } else if (!profile.equals(command.profile())) {
            apply(new UserProfileUpdated(command.userId(), command.profile(), now));
        }
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(EraseUser command) {
        if (command.requestId().equals(lastErasure)) {
            return;
        }
        apply(new UserErased(command.userId(), command.erasedBy(), command.reason(), command.requestId(),
                java.util.List.copyOf(command.keyIds()),
                GenericEventMessage.clock.instant().truncatedTo(ChronoUnit.MICROS)));
    }

    @EventSourcingHandler
    void on(UserErased event) {
        streamId = streamId(event.userId());
        // what this aggregate kept in memory (and its cache) goes with the keys
        profile = null;
        lastErasure = event.requestId();
    }

    @EventSourcingHandler
    void on(UserRegistered event) {
        streamId = streamId(event.userId());
        profile = event.profile();
    }

    @EventSourcingHandler
    void on(UserProfileUpdated event) {
        profile = event.profile();
    }
}
