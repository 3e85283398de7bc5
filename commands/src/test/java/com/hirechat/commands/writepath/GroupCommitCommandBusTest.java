package com.hirechat.commands.writepath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.DefaultCommandBusSpanFactory;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.tracing.NoOpSpanFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.hirechat.commands.CanonicalEventChain;
import com.hirechat.commands.DomainJson;
import com.hirechat.commands.NoOlderMessages;
import com.hirechat.domain.ClientMessageId;
import com.hirechat.domain.Conversation;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.DomainError;
import com.hirechat.domain.DomainRuleViolation;
import com.hirechat.domain.EventChain;
import com.hirechat.domain.MessageAccepted;
import com.hirechat.domain.MessageLedger;
import com.hirechat.domain.MessageSent;
import com.hirechat.domain.SendMessage;
import com.hirechat.domain.StartConversation;
import com.hirechat.domain.UserId;

/**
 * Commands that queue up behind a busy worker are stored in one transaction, and each caller still gets the answer
 * it would have had alone. The real aggregate on Axon's in-memory store; a gate holds the worker so that the
 * queue is known to have filled before it moves on.
 */
class GroupCommitCommandBusTest {

    private static final UserId ANA = UserId.of("ana");
    private static final UserId BEN = UserId.of("ben");
    private static final UserId EVE = UserId.of("eve");
    private static final ConversationId DIRECT = ConversationId.direct(ANA, BEN);
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final CountingTransactions transactions = new CountingTransactions();
    private final Gate gate = new Gate();
    private GroupCommitCommandBus bus;
    private Configuration axon;
    private CommandGateway gateway;

    @BeforeEach
    void start() {
        bus = new GroupCommitCommandBus(SimpleCommandBus.builder(), transactions,
                DefaultCommandBusSpanFactory.builder().spanFactory(NoOpSpanFactory.INSTANCE).build(), 1, 64,
                Thread.ofPlatform().daemon().name("test-command-", 1).factory());
        bus.registerHandlerInterceptor(gate);
        axon = DefaultConfigurer.defaultConfiguration(false)
                .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine())
                .configureTransactionManager(c -> transactions)
                .configureCommandBus(c -> bus)
                .configureEventSerializer(c -> JacksonSerializer.builder().objectMapper(DomainJson.mapper()).build())
                .registerComponent(EventChain.class, c -> new CanonicalEventChain(c.eventSerializer()))
                .registerComponent(MessageLedger.class, c -> new NoOlderMessages())
                .configureAggregate(Conversation.class)
                .buildConfiguration();
        axon.start();
        gateway = axon.commandGateway();
        gateway.sendAndWait(StartConversation.direct(ANA, BEN), PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    }

    @AfterEach
    void stop() {
        gate.release();
        axon.shutdown();
        bus.shutdown();
    }

    @Test
    void commandsQueuedBehindABusyWorkerShareOneTransactionAndKeepTheirOrder() throws Exception {
        var first = whileTheWorkerIsHeld(() -> send(ANA, "m0"));
        var queued = new ArrayList<CompletableFuture<MessageAccepted>>();
        for (int i = 1; i <= 5; i++) {
            queued.add(send(i % 2 == 0 ? ANA : BEN, "m" + i));
        }
        var committedBefore = transactions.committed.get();
        gate.release();

        assertThat(first.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).seq()).isEqualTo(1);
        for (int i = 0; i < queued.size(); i++) {
            assertThat(queued.get(i).get(PATIENCE.toSeconds(), TimeUnit.SECONDS).seq()).isEqualTo(i + 2);
        }
        assertThat(transactions.committed.get() - committedBefore)
                .as("one transaction for the held command, one for the five queued behind it").isEqualTo(2);
        assertThat(transactions.rolledBack.get()).isZero();
        assertThat(storedClientMessageIds()).containsExactly("m0", "m1", "m2", "m3", "m4", "m5");
    }

    @Test
    void aCommandThatBreaksARuleFailsAloneAndTheRestOfItsBatchIsStored() throws Exception {
        var first = whileTheWorkerIsHeld(() -> send(ANA, "m0"));
        var before = send(BEN, "m1");
        var outsider = send(EVE, "intruder");
        var after = send(ANA, "m2");
        var committedBefore = transactions.committed.get();
        gate.release();

        assertThat(first.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).seq()).isEqualTo(1);
        assertThat(before.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).seq()).isEqualTo(2);
        assertThat(after.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).seq()).isEqualTo(3);
        assertThatThrownBy(() -> outsider.get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(DomainRuleViolation.class,
                        violation -> assertThat(violation.error()).isEqualTo(DomainError.NOT_A_PARTICIPANT));
        assertThat(transactions.rolledBack.get()).as("the batch, then the rule breaker on its own").isEqualTo(2);
        assertThat(transactions.committed.get() - committedBefore).as("the held command, then m1 and m2 alone")
                .isEqualTo(3);
        assertThat(storedClientMessageIds()).containsExactly("m0", "m1", "m2");
    }

    @Test
    void aRetriedSendInTheSameBatchGetsTheOriginalAnswerAndIsStoredOnce() throws Exception {
        var first = whileTheWorkerIsHeld(() -> send(ANA, "m0"));
        var original = send(BEN, "m1");
        var retry = send(BEN, "m1");
        gate.release();

        first.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(retry.get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo(original.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertThat(storedClientMessageIds()).containsExactly("m0", "m1");
    }

    /** Sends through the gate and returns once the worker is holding it: what is sent next queues up. */
    private <T> CompletableFuture<T> whileTheWorkerIsHeld(java.util.function.Supplier<CompletableFuture<T>> send)
            throws InterruptedException {
        gate.arm();
        var future = send.get();
        assertThat(gate.entered.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("worker reached the gate").isTrue();
        return future;
    }

    private CompletableFuture<MessageAccepted> send(UserId sender, String clientMessageId) {
        return gateway.send(new SendMessage(DIRECT, sender, ClientMessageId.of(clientMessageId), "hi " + clientMessageId));
    }

    private List<String> storedClientMessageIds() {
        var ids = new ArrayList<String>();
        axon.eventStore().readEvents(DIRECT.value()).asStream()
                .filter(event -> event.getPayload() instanceof MessageSent)
                .forEach(event -> ids.add(((MessageSent) event.getPayload()).clientMessageId().value()));
        return ids;
    }

    /** Holds the first command it sees after being armed until released. */
    private static final class Gate implements MessageHandlerInterceptor<CommandMessage<?>> {

        private final AtomicBoolean armed = new AtomicBoolean();
        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        void arm() {
            armed.set(true);
        }

        void release() {
            released.countDown();
        }

        @Override
        public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain)
                throws Exception {
            if (armed.compareAndSet(true, false)) {
                entered.countDown();
                if (!released.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never released the gate");
                }
            }
            return chain.proceed();
        }
    }

    /** Counts what the units of work did with their transactions. */
    private static final class CountingTransactions implements TransactionManager {

        private final AtomicInteger committed = new AtomicInteger();
        private final AtomicInteger rolledBack = new AtomicInteger();

        @Override
        public Transaction startTransaction() {
            return new Transaction() {
                @Override
                public void commit() {
                    committed.incrementAndGet();
                }

                @Override
                public void rollback() {
                    rolledBack.incrementAndGet();
                }
            };
        }
    }
}
