package com.hirechat.infra.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import com.hirechat.infra.eventstore.PostgresAppendAnnouncer;
import com.hirechat.infra.eventstore.PostgresNotifications;
import com.hirechat.projections.TestDatabase;

/** A node announces its commits only while another node listens, and a newcomer hears of what it missed. */
class PostgresAppendAnnouncerTest {

    private static final Duration A_FEW_CHECKS = Duration.ofMillis(PostgresAppendAnnouncer.CHECK_MILLIS * 5);
    private static final Duration LONGER_THAN_A_CHECK = Duration.ofMillis(PostgresAppendAnnouncer.CHECK_MILLIS * 3 / 2);

    private TestDatabase.Coordinates database;
    private DataSource dataSource;
    private PostgresNotifications ownListener;
    private PostgresAppendAnnouncer announcer;
    private Connection spy;
    private final AtomicInteger ownWakeUps = new AtomicInteger();
    private final AtomicInteger heardBySpy = new AtomicInteger();

    @BeforeEach
    void startOneNode() throws SQLException {
        database = TestDatabase.createDatabase();
        dataSource = TestDatabase.dataSource(database);
        var announcerOfThisNode = new AtomicReference<PostgresAppendAnnouncer>();
        ownListener = PostgresNotifications.start(dataSource, ownWakeUps::incrementAndGet,
                pid -> announcerOfThisNode.get().sentBy(pid), typing -> { });
        await().atMost(A_FEW_CHECKS).until(() -> ownListener.backendPid() != 0);
        announcer = PostgresAppendAnnouncer.start(dataSource, ownListener::backendPid);
        announcerOfThisNode.set(announcer);
        // hears every announcement without being a node: it does not hold the listeners' lock
        spy = dataSource.getConnection();
        try (var statement = spy.createStatement()) {
            statement.execute("LISTEN " + PostgresNotifications.EVENTS_CHANNEL);
        }
    }

    @AfterEach
    void stop() throws SQLException {
        announcer.close();
        ownListener.close();
        spy.close();
    }

    @Test
    void announcesOnlyWhileAnotherNodeListens() {
        commit(20);
        await().during(LONGER_THAN_A_CHECK).atMost(A_FEW_CHECKS).until(() -> heardBySpy() == 0);
        assertThat(announcer.announcing()).isFalse();

        var otherWakeUps = new AtomicInteger();
        var otherNode = PostgresNotifications.start(dataSource, otherWakeUps::incrementAndGet, pid -> false, t -> { });
        try {
            await().atMost(A_FEW_CHECKS).until(announcer::announcing);
            // one announcement for whatever the newcomer missed while nobody was told
            await().atMost(A_FEW_CHECKS).until(() -> otherWakeUps.get() == 1);
            await().atMost(A_FEW_CHECKS).until(() -> heardBySpy() == 1);

            commit(1);
            await().atMost(A_FEW_CHECKS).until(() -> otherWakeUps.get() == 2);
            await().atMost(A_FEW_CHECKS).until(() -> heardBySpy() == 2);
        } finally {
            otherNode.close();
        }

        await().atMost(A_FEW_CHECKS).until(() -> !announcer.announcing());
        commit(20);
        await().during(LONGER_THAN_A_CHECK).atMost(A_FEW_CHECKS).until(() -> heardBySpy() == 2);
        assertThat(ownWakeUps).as("this node's own announcements do not wake it again").hasValue(0);
    }

    @Test
    void aListenerLeavesNoTraceOnThePooledConnectionItGivesBack() throws SQLException {
        var pool = new HikariConfig();
        pool.setJdbcUrl(database.jdbcUrl());
        pool.setUsername(database.user());
        pool.setPassword(database.password());
        pool.setMaximumPoolSize(1);
        try (var otherNodesPool = new HikariDataSource(pool)) {
            var otherNode = PostgresNotifications.start(otherNodesPool, () -> { }, pid -> false, t -> { });
            await().atMost(A_FEW_CHECKS).until(announcer::announcing);
            otherNode.close();
            await().atMost(A_FEW_CHECKS).until(() -> !announcer.announcing());
            try (var connection = otherNodesPool.getConnection(); var statement = connection.createStatement()) {
                try (var held = statement.executeQuery(
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")) {
                    held.next();
                    assertThat(held.getInt(1)).as("advisory locks still held").isZero();
                }
                try (var channels = statement.executeQuery("SELECT count(*) FROM pg_listening_channels()")) {
                    channels.next();
                    assertThat(channels.getInt(1)).as("channels still listened to").isZero();
                }
            }
        }
    }

    private void commit(int times) {
        for (int i = 0; i < times; i++) {
            announcer.committed();
        }
    }

    private int heardBySpy() throws SQLException {
        var notifications = spy.unwrap(PGConnection.class).getNotifications(10);
        if (notifications != null) {
            heardBySpy.addAndGet(notifications.length);
        }
        return heardBySpy.get();
    }
}
