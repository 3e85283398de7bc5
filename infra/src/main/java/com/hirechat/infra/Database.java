package com.hirechat.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** The PostgreSQL the application runs on: the configured one, or an embedded one whose files survive restarts. */
final class Database implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Database.class.getName());

    private final EmbeddedPostgres embedded;
    private final HikariDataSource pool;

    private Database(EmbeddedPostgres embedded, HikariDataSource pool) {
        this.embedded = embedded;
        this.pool = pool;
    }

    /** Connects (starting the embedded server when no JDBC URL is configured) and applies every migration. */
    static Database open(AppConfig config) {
        EmbeddedPostgres embedded = null;
        var hikari = new HikariConfig();
        hikari.setPoolName("hirechat");
        hikari.setMaximumPoolSize(16);
        if (config.jdbc().isPresent()) {
            var jdbc = config.jdbc().get();
            hikari.setJdbcUrl(jdbc.url());
            hikari.setUsername(jdbc.user());
            hikari.setPassword(jdbc.password());
        } else {
            embedded = startEmbedded(config);
            hikari.setJdbcUrl(embedded.getJdbcUrl("postgres", "postgres"));
            hikari.setUsername("postgres");
        }
        var pool = new HikariDataSource(hikari);
        try {
            migrate(pool);
        } catch (RuntimeException e) {
            pool.close();
            closeQuietly(embedded);
            throw e;
        }
        return new Database(embedded, pool);
    }

    private static EmbeddedPostgres startEmbedded(AppConfig config) {
        var directory = config.dataDir().resolve("postgres");
        try {
            Files.createDirectories(directory);
            LOG.info(() -> "starting embedded PostgreSQL in " + directory);
            return EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    .start();
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

    @Override
    public void close() {
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
