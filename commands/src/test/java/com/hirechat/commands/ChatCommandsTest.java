package com.hirechat.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.axonframework.commandhandling.AsynchronousCommandBus;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.junit.jupiter.api.Test;

import com.hirechat.domain.ClientMessageId;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.DomainError;
import com.hirechat.domain.DomainRuleViolation;
import com.hirechat.domain.SendMessage;
import com.hirechat.domain.UserId;

/**
 * A broken rule reaches the caller with its code, whether the handler ran on this node or on another; a command
 * that does not complete in time fails.
 */
class ChatCommandsTest {

    private static final UserId A = UserId.of("a");
    private static final ConversationId DIRECT = ConversationId.direct(A, UserId.of("b"));

    private static ChatCommands commandsWith(SimpleCommandBus bus) {
        return new ChatCommands(DefaultCommandGateway.builder().commandBus(bus).build(), CommandTimings.NONE);
    }

    @Test
    void aRuleBrokenHereKeepsItsCodeThroughTheInterceptor() {
        var bus = SimpleCommandBus.builder().build();
        bus.registerHandlerInterceptor(new DomainErrorInterceptor());
        bus.subscribe(SendMessage.class.getName(), message -> {
            throw new DomainRuleViolation(DomainError.TEXT_TOO_LONG, "too long");
        });
        assertThatThrownBy(() -> commandsWith(bus).send(DIRECT, A, ClientMessageId.of("c"), "x"))
                .isInstanceOfSatisfying(DomainRuleViolation.class,
                        violation -> org.assertj.core.api.Assertions.assertThat(violation.error())
                                .isEqualTo(DomainError.TEXT_TOO_LONG));
    }

    @Test
    void aRuleBrokenOnAnotherNodeArrivesAsDetailsAndKeepsItsCode() {
        var bus = SimpleCommandBus.builder().build();
        // what Axon Server hands back: no cause to unwrap, only the message and the details
        bus.subscribe(SendMessage.class.getName(), message -> {
            throw new CommandExecutionException("only participants may do this here", null,
                    DomainError.NOT_A_PARTICIPANT.code());
        });
        assertThatThrownBy(() -> commandsWith(bus).send(DIRECT, A, ClientMessageId.of("c"), "x"))
                .isInstanceOfSatisfying(DomainRuleViolation.class,
                        violation -> org.assertj.core.api.Assertions.assertThat(violation.error())
                                .isEqualTo(DomainError.NOT_A_PARTICIPANT));
    }

    @Test
    void aCommandThatDoesNotCompleteInTimeFailsAtItsDeadline() throws Exception {
        var release = new CountDownLatch(1);
        var bus = AsynchronousCommandBus.builder().build();
        bus.subscribe(SendMessage.class.getName(), message -> {
            release.await();
            return null;
        });
        var gateway = DefaultCommandGateway.builder().commandBus(bus).build();
        try (var commands = new ChatCommands(gateway, CommandTimings.NONE, Duration.ofMillis(300),
                Duration.ofMillis(50))) {
            var started = System.nanoTime();
            // the wait for the answer has no timeout of its own: without the deadline this would never return
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(
                    () -> commands.send(DIRECT, A, ClientMessageId.of("c"), "x"))
                    .isInstanceOf(CommandFailure.class)
                    .hasMessage("SendMessage did not complete in 300 ms"));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        } finally {
            release.countDown();
            bus.shutdown();
        }
    }

    @Test
    void anythingElseIsACommandFailure() {
        var bus = SimpleCommandBus.builder().build();
        bus.subscribe(SendMessage.class.getName(), message -> {
            throw new IllegalStateException("disk on fire");
        });
        assertThatThrownBy(() -> commandsWith(bus).send(DIRECT, A, ClientMessageId.of("c"), "x"))
                .isInstanceOf(CommandFailure.class);
    }
}
