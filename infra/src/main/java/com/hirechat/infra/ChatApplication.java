package com.hirechat.infra;

import java.net.URI;
import java.time.Duration;
import java.util.logging.Logger;

import org.jdbi.v3.core.Jdbi;

import com.hirechat.infra.erasure.ErasureRequests;
import com.hirechat.infra.erasure.KeyShredder;
import com.hirechat.infra.erasure.LegalHolds;
import com.hirechat.infra.erasure.UserErasure;
import com.hirechat.infra.notify.NotificationWiring;
import com.hirechat.infra.retention.ConversationExpiry;
import com.hirechat.infra.retention.HoldsAndRetention;
import com.hirechat.infra.retention.RetentionJob;
import com.hirechat.infra.retention.RetentionPolicy;
import com.hirechat.web.ChatServer;
import com.hirechat.web.ServerSettings;
import com.hirechat.web.TokenService;

/** The whole product in one process: database, write side, projections, web server. */
public final class ChatApplication implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ChatApplication.class.getName());

    private final Database database;
    private final AxonWiring axon;
    private final ChatServer server;
    private final ServedAddress address;
    private final java.util.Optional<URI> managementUri;
    private final HoldsAndRetention compliance;
    private final java.util.Optional<JobScheduler> jobs;

    private ChatApplication(Database database, AxonWiring axon, ChatServer server, ServedAddress address,
                            java.util.Optional<URI> managementUri, HoldsAndRetention compliance,
                            java.util.Optional<JobScheduler> jobs) {
        this.compliance = compliance;
        this.jobs = jobs;
        this.database = database;
        this.axon = axon;
        this.server = server;
        this.address = address;
        this.managementUri = managementUri;
    }

    public static ChatApplication start(AppConfig config) {
        var tokens = tokens(config);
        QuietRefusals.install();
        if (config.devLogin()) {
            LOG.warning("DEVELOPMENT LOGIN IS ON: anyone can sign in as any user. Set HIRECHAT_DEV_LOGIN=false "
                    + "and HIRECHAT_TOKEN_SECRET for real use.");
        }
        var masterKeys = MasterKeyFile.resolve(config);
        var database = Database.open(config);
        AxonWiring axon = null;
        java.util.Optional<JobScheduler> jobs = java.util.Optional.empty();
        try {
            var observability = new Observability(database.startProbe());
            database.reportPoolTo(observability.connectionPool());
            // one db-scheduler per node for the retention job and the digests' deadlines and sends; built before Axon,
            // whose deadline manager schedules on it, and started once everything its tasks call is in place
            var complianceHolder = new java.util.concurrent.atomic.AtomicReference<HoldsAndRetention>();
            var servedAt = new java.util.concurrent.atomic.AtomicReference<URI>();
            var notify = NotificationWiring.create(config.notifications(), database.dataSource(), masterKeys, servedAt::get);
            var retentionTask = RetentionJob.task(config.retention(), complianceHolder::get);
            var polling = retentionTask.isPresent() ? RetentionJob.polling(config.retention().checkEvery())
                    : NotificationWiring.POLLING;
            if (!notify.tasks().isEmpty() && polling.compareTo(NotificationWiring.POLLING) > 0) {
                polling = NotificationWiring.POLLING;
            }
            jobs = JobScheduler.build(database.dataSource(), nodeName(),
                    retentionTask.<java.util.List<com.github.kagkarlsson.scheduler.task.helper.RecurringTask<?>>>map(
                            java.util.List::of).orElse(java.util.List.of()), notify.tasks(), polling);
            notify.useScheduler(jobs.map(JobScheduler::scheduler));
            axon = AxonWiring.start(database.dataSource(), config.eventStore(), observability,
                    config.commandQueue(), masterKeys, java.util.List.of(notify));
            var compliance = compliance(database, axon, config.retention(), java.time.Clock.systemUTC());
            complianceHolder.set(compliance);
            // an erasure or expiry a stopped process left half-done completes before anyone can read again, and
            // what a hold released while it was stopped deferred is carried out
            compliance.resumeIncomplete();
            var settings = new ServerSettings(config.host(), config.port(), config.devLogin(),
                    ServerSettings.DEFAULT_MAX_FRAME_CHARS, config.outboxCapacity(), config.idleTimeout(),
                    config.allowedOrigins(), config.messagesPerSecond(), config.messageBurst(),
                    config.maxConnectionsPerUser(), config.metricsOnPublicPort(), config.management());
            var attachments = attachments(database, axon, config);
            var server = ChatServer.start(settings, tokens, axon.commands(), axon.queries(), axon.feed(), axon.typing(),
                    axon.accessLog(), axon.operations(), compliance, compliance, notify.notifications(),
                    new com.hirechat.projections.TutorialSends(Jdbi.create(database.dataSource())),
                    new com.hirechat.infra.crypto.KeyedTextHash(axon.keys()), attachments);
            var address = ServedAddress.of(config.host(), server.port());
            servedAt.set(address.uri());
            jobs.ifPresent(JobScheduler::start);
            LOG.info(() -> "listening on " + address.listening() + "; database "
                    + (config.jdbc().isPresent() ? "external" : "embedded in " + config.dataDir())
                    + "; development login " + (config.devLogin() ? "ON" : "off")
                    + "; allowed origins " + (config.allowedOrigins().isEmpty() ? "this server only"
                        : String.join(", ", config.allowedOrigins())));
            logWhereMetricsAre(config, server);
            var managementUri = config.management().map(management ->
                    ServedAddress.of(management.host(), server.managementPort().orElseThrow()).uri());
            return new ChatApplication(database, axon, server, address, managementUri, compliance, jobs);
        } catch (RuntimeException e) {
            jobs.ifPresent(JobScheduler::close);
            if (axon != null) {
                axon.close();
            }
            database.close();
            throw e;
        }
    }

    /** Attachments in PostgreSQL under the texts' keys; chunks a crash left behind are removed first. */
    static com.hirechat.web.Attachments attachments(Database database, AxonWiring axon, AppConfig config) {
        var jdbi = Jdbi.create(database.dataSource());
        var store = new com.hirechat.infra.attachments.PostgresAttachmentStore(jdbi, axon.keys());
        var removed = store.removeAbandoned();
        if (removed > 0) {
            LOG.info(() -> "removed " + removed + " chunk(s) of uploads that never completed");
        }
        return new com.hirechat.web.Attachments(store, new com.hirechat.infra.attachments.JdbcAttachmentUploads(jdbi),
                config.attachments());
    }

    /** The erasure of users, on this application's keys and commands, guarded by legal holds. */
    static UserErasure erasure(Database database, AxonWiring axon) {
        var jdbi = Jdbi.create(database.dataSource());
        var holds = new LegalHolds(jdbi, axon.commands());
        return new UserErasure(jdbi, new KeyShredder(jdbi, axon.keys(), holds), axon.commands(), holds);
    }

    /** Erasure, legal holds and retention together, as the API, the CLI and the retention job use them. */
    static HoldsAndRetention compliance(Database database, AxonWiring axon, RetentionPolicy policy,
                                        java.time.Clock clock) {
        var jdbi = Jdbi.create(database.dataSource());
        var holds = new LegalHolds(jdbi, axon.commands());
        var shredder = new KeyShredder(jdbi, axon.keys(), holds);
        var erasure = new UserErasure(jdbi, shredder, axon.commands(), holds);
        var expiry = new ConversationExpiry(new ErasureRequests(jdbi), shredder, axon.commands());
        return new HoldsAndRetention(jdbi, holds, erasure, expiry, policy, clock, nodeName());
    }

    /** This process among the nodes, as retention runs record it: host and a random suffix per start. */
    private static String nodeName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown-host";
        }
        return host + "/" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    /** Legal holds and retention of this node, for tests that drive them with a clock of their own. */
    HoldsAndRetention compliance() {
        return compliance;
    }

    private static void logWhereMetricsAre(AppConfig config, ChatServer server) {
        var management = server.managementPort();
        if (management.isPresent()) {
            LOG.info(() -> "management (/metrics, /health) on " + config.management().orElseThrow().host() + ":"
                    + management.getAsInt() + "; /metrics is not served on the public port");
        } else if (!config.metricsOnPublicPort()) {
            LOG.warning("/metrics is not served: in production it is never on the public port; "
                    + "set HIRECHAT_MANAGEMENT_PORT to serve it on a port of its own");
        }
    }

    private static TokenService tokens(AppConfig config) {
        var issuance = config.tokenIssuance();
        if (config.tokenPublicKey().isPresent()) {
            var key = config.tokenPublicKey().get();
            return config.devLogin()
                    ? TokenService.publicKeyAndDevelopmentSecret(key, TokenService.randomSecret(), issuance)
                    : TokenService.publicKey(key, issuance);
        }
        return config.tokenSecret().map(secret -> TokenService.hmac(secret, issuance))
                .orElseGet(() -> TokenService.withRandomSecret(issuance));
    }

    /** Where a client on this machine reaches the server (the loopback address when it listens on every interface). */
    public URI uri() {
        return address.uri();
    }

    /** The address listened on, as bound. */
    ServedAddress address() {
        return address;
    }

    public int port() {
        return server.port();
    }

    /** Where {@code /metrics} and health are served apart from the public port, when configured. */
    public java.util.Optional<URI> managementUri() {
        return managementUri;
    }

    /** The application's pool, for tests that inspect what was stored. */
    javax.sql.DataSource dataSource() {
        return database.dataSource();
    }

    /**
     * Stops gracefully, within about {@code patience}: readiness down, in-flight commands finished and answered,
     * clients told to reconnect elsewhere, event processors stopped, database closed.
     */
    public void shutdown(Duration patience) {
        LOG.info("shutting down");
        drain(patience);
        close();
        LOG.info("stopped");
    }

    /** Readiness down, commands refused and finished, clients told to go; still answering health checks. */
    void drain(Duration patience) {
        server.drain(patience);
    }

    @Override
    public void close() {
        jobs.ifPresent(JobScheduler::close);
        server.close();
        axon.close();
        database.close();
    }
}
