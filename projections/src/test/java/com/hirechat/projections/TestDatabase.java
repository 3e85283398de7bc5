package com.hirechat.projections;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL for tests: one embedded server per test JVM, a fresh empty database per call,
 * so test classes never see each other's rows.
 */
public final class TestDatabase {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres server;

    private TestDatabase() {
    }

    /** JDBC URL, user and password of a new, empty database. */
    public record Coordinates(String jdbcUrl, String user, String password) {
    }

    public static synchronized Coordinates createDatabase() {
        var name = "test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (var connection = server().getPostgresDatabase().getConnection();
             var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return new Coordinates(server().getJdbcUrl("postgres", name), "postgres", "postgres");
    }

    public static DataSource dataSource(Coordinates coordinates) {
        var source = new org.postgresql.ds.PGSimpleDataSource();
        source.setUrl(coordinates.jdbcUrl());
        source.setUser(coordinates.user());
        source.setPassword(coordinates.password());
        return source;
    }

    private static EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
            var started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is exiting; the temporary data directory is removed by the OS eventually
                }
            }));
        }
        return server;
    }
}
