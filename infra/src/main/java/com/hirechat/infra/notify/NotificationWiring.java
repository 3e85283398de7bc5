package com.hirechat.infra.notify;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Logger;

import javax.sql.DataSource;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.Task;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurationScopeAwareProvider;
import org.axonframework.config.Configurer;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineManager;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.modelling.saga.ResourceInjector;
import org.axonframework.modelling.saga.repository.jdbc.JdbcSagaStore;
import org.axonframework.modelling.saga.repository.jdbc.PostgresSagaSqlSchema;
import org.axonframework.modelling.saga.repository.jdbc.SagaSchema;
import org.axonframework.serialization.json.JacksonSerializer;
import org.jdbi.v3.core.Handles;
import org.jdbi.v3.core.Jdbi;

import com.hirechat.infra.AxonExtension;
import com.hirechat.infra.crypto.KeyRing;
import com.hirechat.infra.crypto.MasterKeys;
import com.hirechat.web.Notifications;

/**
 * Wires the email digests (docs/notifications.md): {@link UnreadDigestSaga} on a tracking processor of its own with
 * Axon's {@link JdbcSagaStore}, deadlines by Axon's {@link DbSchedulerDeadlineManager} on the node's one db-scheduler,
 * the send task, and what the HTTP API reaches ({@link #notifications()}).
 */
public final class NotificationWiring implements AxonExtension {

    private static final Logger LOG = Logger.getLogger(NotificationWiring.class.getName());
    /** How often the scheduler looks for due deadlines and sends when digests are on. */
    public static final Duration POLLING = Duration.ofSeconds(1);

    private final NotifyConfig config;
    private final DataSource dataSource;
    private final Supplier<URI> ownUrl;
    private final UnsubscribeTokens tokens;
    private final Optional<MailOutbox> outbox;
    private final Clock clock;
    private volatile DigestSender sender;
    private volatile Notifier notifier;
    /** Axon's configuration, once built: the deadline task asks it for the deadline manager. */
    private volatile org.axonframework.config.Configuration axon;
    private volatile Scheduler scheduler;

    private NotificationWiring(NotifyConfig config, DataSource dataSource, Supplier<URI> ownUrl, UnsubscribeTokens tokens,
                               Optional<MailOutbox> outbox, Clock clock) {
        this.config = config;
        this.dataSource = dataSource;
        this.ownUrl = ownUrl;
        this.tokens = tokens;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** Decides where mail goes and logs it once; {@code ownUrl} is where this server is reached, for the links. */
    public static NotificationWiring create(NotifyConfig config, DataSource dataSource, MasterKeys masterKeys,
                                            Supplier<URI> ownUrl) {
        Optional<MailOutbox> outbox;
        if (config.smtp().isPresent()) {
            outbox = Optional.of(MailOutbox.Smtp.of(config.smtp().get()));
            LOG.info(() -> "email digests on: SMTP " + config.smtp().get());
            if (!config.smtp().get().startTls()) {
                LOG.warning("HIRECHAT_SMTP_STARTTLS is false: digests and SMTP credentials travel unencrypted");
            }
        } else if (config.capture()) {
            outbox = Optional.of(new MailOutbox.Captured());
            LOG.warning("email digests are captured, not sent (no HIRECHAT_SMTP_HOST): see /dev/mail");
        } else {
            outbox = Optional.empty();
            LOG.warning("email digests are off: no HIRECHAT_SMTP_HOST is configured");
        }
        var key = config.secret().orElseGet(() -> masterKeys.derive(UnsubscribeTokens.PURPOSE));
        return new NotificationWiring(config, dataSource, ownUrl, new UnsubscribeTokens(key), outbox,
                Clock.systemUTC());
    }

    /** The scheduler's tasks for the digests: Axon's deadline task and the send task (none when digests are off). */
    public List<Task<?>> tasks() {
        if (outbox.isEmpty()) {
            return List.of();
        }
        // the human-readable form: JSON in task_data, as the scheduler's serializer writes every task's data (Java
        // serialization is refused by the JVM-wide filter Helidon installs)
        // Axon builds its components lazily: a deadline due after a restart may run before any saga asked for the
        // manager, so the task asks the configuration rather than waiting for a field someone else fills
        Task<?> deadlines = DbSchedulerDeadlineManager.humanReadableTask(
                () -> (DbSchedulerDeadlineManager) axon.deadlineManager());
        var send = com.github.kagkarlsson.scheduler.task.helper.Tasks.oneTime(DigestSender.TASK, Void.class)
                .onFailure(new DigestSender.Backoff(config.retryBackoff()))
                .execute((instance, context) -> sender.send(java.util.UUID.fromString(instance.getId())));
        return List.of(deadlines, send);
    }

    /** The scheduler the deadline manager schedules on; set before Axon is configured. */
    public void useScheduler(Optional<Scheduler> scheduler) {
        this.scheduler = scheduler.orElse(null);
    }

    @Override
    public void configure(Configurer configurer, ConnectionProvider connections, TransactionManager transactions,
                          KeyRing keys) {
        var reads = Jdbi.create(dataSource);
        var unitOfWork = Jdbi.create(connections::getConnection);
        // the handle borrows the unit of work's connection; committing is the transaction manager's job
        unitOfWork.getConfig(Handles.class).setForceEndTransactions(false);
        var store = new NotificationStore(reads, keys, clock);
        notifier = new Notifier(store, tokens, outbox.filter(MailOutbox.Captured.class::isInstance)
                .map(MailOutbox.Captured.class::cast));
        // erased users' rows go whether or not digests are on
        configurer.eventProcessing().registerEventHandler(c -> new NotificationErasure(unitOfWork));
        if (outbox.isEmpty() || scheduler == null) {
            return;
        }
        var from = config.smtp().map(NotifyConfig.Smtp::from).orElseGet(NotificationWiring::developmentSender);
        sender = new DigestSender(reads, store, outbox.get(), from, tokens, config.publicUrl(), ownUrl,
                config.includeText(), clock);
        var planner = new DigestPlanner(reads, unitOfWork, store, config.defaultDelay(), clock);
        var sagaSerializer = JacksonSerializer.builder().objectMapper(sagaMapper()).build();
        configurer.onInitialize(configuration -> axon = configuration);
        configurer.registerComponent(DeadlineManager.class, c -> DbSchedulerDeadlineManager.builder()
                .scheduler(scheduler)
                .scopeAwareProvider(new ConfigurationScopeAwareProvider(c))
                .serializer(sagaSerializer)
                .transactionManager(transactions)
                .useBinaryPojo(false)
                // the node's scheduler is started and stopped with the node, not by Axon
                .startScheduler(false)
                .stopScheduler(false)
                .build());
        configurer.registerComponent(ResourceInjector.class, c -> saga -> {
            if (saga instanceof UnreadDigestSaga digest) {
                digest.use(planner, c.deadlineManager());
            }
        });
        configurer.eventProcessing(processing -> processing
                .registerSaga(UnreadDigestSaga.class, saga -> saga.configureSagaStore(c -> JdbcSagaStore.builder()
                        .connectionProvider(connections)
                        .sqlSchema(new PostgresSagaSqlSchema(SagaSchema.builder()
                                .sagaEntryTable("saga_entry")
                                .associationValueEntryTable("association_value_entry")
                                .build()))
                        .serializer(sagaSerializer)
                        .build()))
                // a tracking processor of its own (one segment, its token in token_entry): one node of many handles
                // each event, and after a restart it goes on where it stopped. A new deployment starts at the head:
                // messages sent before digests existed are not mailed about.
                .registerPooledStreamingEventProcessor(UnreadDigestSaga.PROCESSOR, c -> c.eventStore(),
                        (c, builder) -> builder.initialToken(StreamableMessageSource::createHeadToken)
                                .initialSegmentCount(1)
                                .batchSize(100)));
    }

    /** What the HTTP API reaches; available once Axon is configured. */
    public Notifications notifications() {
        return notifier;
    }

    private static jakarta.mail.internet.InternetAddress developmentSender() {
        try {
            return new jakarta.mail.internet.InternetAddress("HireChat <chat@localhost.invalid>");
        } catch (jakarta.mail.internet.AddressException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The saga's fields as they are, not its getters: it has none, and its resources are transient. */
    private static ObjectMapper sagaMapper() {
        return new ObjectMapper()
                .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
                .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
                .setVisibility(PropertyAccessor.CREATOR, JsonAutoDetect.Visibility.ANY)
                .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }
}
