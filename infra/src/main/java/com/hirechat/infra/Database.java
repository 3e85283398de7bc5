package com.hirechat.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** The PostgreSQL the application runs on: the configured one, or an embedded one whose files survive restarts. */
final class Database implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Database.class.getName());

    /**
     * After a crash PostgreSQL first replays its write-ahead log, which can take far longer than the library's
     * 10 s wait for a test database; giving up then would turn every restart after a busy crash into a failed one.
     */
    private static final Duration STARTUP_WAIT = Duration.ofMinutes(2);
    /**
     * An ack promises a commit that survives a crash. The embedded library's defaults are a test database's
     * ({@code -F}, i.e. fsync off, and synchronous_commit off, on the server's command line); these settings come
     * after them on that command line, so they win.
     */
    private static final Map<String, String> DURABLE_WRITES = orderedSettings("on");
    /** The explicit opt-in of {@code HIRECHAT_UNSAFE_FAST_DISK}: a crash may lose acknowledged commits. */
    private static final Map<String, String> UNSAFE_FAST_WRITES = orderedSettings("off");

    private final EmbeddedPostgres embedded;
    private final AppConfig.Jdbc coordinates;
    private final HikariDataSource pool;
    private DatabaseProbe probe; // started for a server's readiness only

    private Database(EmbeddedPostgres embedded, AppConfig.Jdbc coordinates, HikariDataSource pool) {
        this.embedded = embedded;
        this.coordinates = coordinates;
        this.pool = pool;
    }

    /**
     * Connects and applies every migration. Without a JDBC URL: to the embedded server in the data directory,
     * started here unless a running server (another process of ours) already has it open.
     */
    static Database open(AppConfig config) {
        EmbeddedPostgres embedded = null;
        AppConfig.Jdbc coordinates;
        if (config.jdbc().isPresent()) {
            coordinates = config.jdbc().get();
        } else {
            var running = RunningEmbeddedPostgres.in(embeddedDirectory(config));
            if (running.isPresent()) {
                LOG.info(() -> "using the embedded PostgreSQL already running on port " + running.getAsInt());
                coordinates = new AppConfig.Jdbc("jdbc:postgresql://localhost:" + running.getAsInt() + "/postgres",
                        "postgres", "");
            } else {
                embedded = startEmbedded(config);
                coordinates = new AppConfig.Jdbc(embedded.getJdbcUrl("postgres", "postgres"), "postgres", "");
            }
        }
        var pool = pool("hirechat", coordinates, 16, null);
        try {
            migrate(pool);
        } catch (RuntimeException e) {
            pool.close();
            closeQuietly(embedded);
            throw e;
        }
        return new Database(embedded, coordinates, pool);
    }

    private static HikariDataSource pool(String name, AppConfig.Jdbc coordinates, int size, String initSql) {
        var hikari = new HikariConfig();
        hikari.setConnectionInitSql(initSql);
        hikari.setPoolName(name);
        hikari.setMaximumPoolSize(size);
        hikari.setJdbcUrl(coordinates.url());
        hikari.setUsername(coordinates.user());
        hikari.setPassword(coordinates.password());
        return new HikariDataSource(hikari);
    }

    private static Map<String, String> orderedSettings(String value) {
        var settings = new LinkedHashMap<String, String>();
        settings.put("fsync", value);
        settings.put("synchronous_commit", value);
        settings.put("full_page_writes", value);
        return Collections.unmodifiableMap(settings);
    }

    private static Path embeddedDirectory(AppConfig config) {
        return config.dataDir().resolve("postgres");
    }

    private static EmbeddedPostgres startEmbedded(AppConfig config) {
        var directory = embeddedDirectory(config);
        try {
            Files.createDirectories(directory);
            var builder = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(STARTUP_WAIT);
            var writes = config.unsafeFastDisk() ? UNSAFE_FAST_WRITES : DURABLE_WRITES;
            writes.forEach(builder::setServerConfig);
            if (config.unsafeFastDisk()) {
                LOG.warning("UNSAFE FAST DISK IS ON (HIRECHAT_UNSAFE_FAST_DISK): the embedded PostgreSQL runs with "
                        + "fsync, synchronous_commit and full_page_writes off, so a crash can lose acknowledged "
                        + "messages and damage the data directory. Unset it for any data you want to keep.");
            }
            LOG.info(() -> "starting embedded PostgreSQL in " + directory + " with " + writes);
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL in " + directory, e);
        }
    }

    private static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration/eventstore", "classpath:db/migration/readmodel")
                .load()
                .migrate();
    }

    DataSource dataSource() {
        return pool;
    }

    /** Reports the main pool's connections and waits (active, idle, pending, acquire time) from now on; once. */
    void reportPoolTo(MetricsTrackerFactory metrics) {
        pool.setMetricsTrackerFactory(metrics);
    }

    /**
     * A small separate pool of connections whose unqualified table names resolve in {@code schema} only, with
     * commits that do not wait for the disk: for work that can be redone from the event store. Close it.
     */
    HikariDataSource scratchPoolIn(String schema) {
        return pool("hirechat-" + schema, coordinates, 2,
                "SET search_path TO " + schema + "; SET synchronous_commit TO off");
    }

    /**
     * Starts checking every second, on a connection of its own with short timeouts, whether the database answers;
     * the supplier gives the latest result at once. Stops when this closes.
     */
    synchronized BooleanSupplier startProbe() {
        if (probe == null) {
            probe = DatabaseProbe.start(coordinates);
        }
        return probe::answers;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (probe != null) {
                probe.close();
            }
        }
        pool.close();
        closeQuietly(embedded);
    }

    private static void closeQuietly(EmbeddedPostgres embedded) {
        if (embedded == null) {
            return;
        }
        try {
            embedded.close();
        } catch (IOException e) {
            LOG.warning(() -> "embedded PostgreSQL did not stop cleanly: " + e.getMessage());
        }
    }
}
