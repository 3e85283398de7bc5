package com.hirechat.domain;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.time.temporal.ChronoUnit;
import java.util.List;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;

/**
 * The retention record of one conversation, in a stream of its own ({@code retention:<id>}) so that the
 * conversation's own chain and ledger stay as they were.
 */
public class ConversationRetention {

    @AggregateIdentifier
    private String streamId;
    private String lastRequest;

    protected ConversationRetention() {
        // required by Axon
    }

    static String streamId(ConversationId conversation) {
        return "retention:" + conversation.value();
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(ExpireConversation command) {
        if (command.requestId().equals(lastRequest)) {
            return;
        }
        apply(new ConversationExpired(command.conversationId(), command.policy(), command.requestId(),
                List.copyOf(command.keyIds()), GenericEventMessage.clock.instant().truncatedTo(ChronoUnit.MICROS)));
    }

    @EventSourcingHandler
    void on(ConversationExpired event) {
        streamId = streamId(event.conversationId());
        lastRequest = event.requestId();
    }
}
