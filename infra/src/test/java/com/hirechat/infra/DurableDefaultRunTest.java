package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default local run's embedded PostgreSQL commits to disk before an ack, whatever the embedded library's own
 * defaults; only the explicit, logged opt-in turns that off.
 */
class DurableDefaultRunTest {

    private static final List<String> WRITE_SETTINGS = List.of("fsync", "synchronous_commit", "full_page_writes");

    @TempDir
    Path dataDir;

    @Test
    void theDefaultRunReportsDurableSettingsThroughItsOwnDataSource() {
        try (var app = TestServers.withEmbeddedDatabaseIn(dataDir)) {
            assertThat(settings(app.dataSource())).isEqualTo(Map.of(
                    "fsync", "on", "synchronous_commit", "on", "full_page_writes", "on"));
        }
    }

    @Test
    void unsafeFastDiskIsAnOptInThatTurnsThemOffAndSaysSoAtStart() {
        var warnings = new CopyOnWriteArrayList<String>();
        var handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        var logger = Logger.getLogger(Database.class.getName());
        logger.addHandler(handler);
        try (var app = TestServers.withEmbeddedDatabaseIn(dataDir, Map.of("HIRECHAT_UNSAFE_FAST_DISK", "true"))) {
            assertThat(settings(app.dataSource())).isEqualTo(Map.of(
                    "fsync", "off", "synchronous_commit", "off", "full_page_writes", "off"));
            assertThat(warnings).anySatisfy(warning -> assertThat(warning)
                    .contains("UNSAFE FAST DISK IS ON", "HIRECHAT_UNSAFE_FAST_DISK"));
        } finally {
            logger.removeHandler(handler);
        }
    }

    private static Map<String, String> settings(DataSource dataSource) {
        return Jdbi.create(dataSource).withHandle(handle -> {
            var shown = new java.util.HashMap<String, String>();
            for (var name : WRITE_SETTINGS) {
                shown.put(name, handle.createQuery("SHOW " + name).mapTo(String.class).one());
            }
            return shown;
        });
    }
}
