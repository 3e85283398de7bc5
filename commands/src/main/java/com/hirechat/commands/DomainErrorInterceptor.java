package com.hirechat.commands;

import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.AggregateNotFoundException;

import com.hirechat.domain.DomainError;
import com.hirechat.domain.DomainRuleViolation;

/**
 * Puts a broken rule's code into the exception's details. Through Axon Server a handler's exception arrives
 * only as a description, but {@link CommandExecutionException} details survive the trip, so callers on any
 * node still learn which rule was broken (see {@link ChatCommands}).
 */
public final class DomainErrorInterceptor implements MessageHandlerInterceptor<CommandMessage<?>> {

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        try {
            return chain.proceed();
        } catch (DomainRuleViolation violation) {
            throw new CommandExecutionException(violation.getMessage(), violation, violation.error().code());
        } catch (AggregateNotFoundException missing) {
            // to an outsider, a conversation that does not exist looks like one they are not in
            throw new CommandExecutionException("only participants may write here", missing,
                    DomainError.NOT_A_PARTICIPANT.code());
        }
    }
}
