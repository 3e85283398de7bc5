package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import com.hirechat.infra.retention.RetentionJob;
import com.hirechat.infra.retention.RetentionPolicy;
import com.hirechat.projections.TestDatabase;

/**
 * The retention job is db-scheduler's recurring task: with two nodes on one database each execution is run by one of
 * them only, and its next execution is kept in the database across a restart.
 */
class RetentionJobTest {

    @Test
    void twoNodesRunEachExecutionOnce() {
        var database = TestServers.freshDatabase();
        var db = Jdbi.create(TestDatabase.dataSource(database));
        var settings = Map.of("HIRECHAT_RETENTION_DIRECT_DAYS", "30", "HIRECHAT_RETENTION_CHECK_INTERVAL", "PT1S");
        try (var first = TestServers.on(database, settings); var second = TestServers.on(database, settings)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> scheduledRuns(db).size() >= 6);
        }
        var runs = scheduledRuns(db);
        // one run per execution of the task: a second node running the same execution would repeat its time
        assertThat(runs).doesNotHaveDuplicates();
        assertThat(taskRows(db)).isEqualTo(1);
    }

    @Test
    void theNextExecutionSurvivesARestart() {
        var database = TestServers.freshDatabase();
        var db = Jdbi.create(TestDatabase.dataSource(database));
        var settings = Map.of("HIRECHAT_RETENTION_GROUP_DAYS", "365", "HIRECHAT_RETENTION_CHECK_INTERVAL", "P1D");
        Instant next;
        try (var app = TestServers.on(database, settings)) {
            // the first execution is due at start; after it the next is a day later
            await().atMost(Duration.ofSeconds(30)).until(() -> scheduledRuns(db).size() == 1
                    && nextExecution(db).isAfter(Instant.now().plus(Duration.ofHours(23))));
            next = nextExecution(db);
        }
        try (var restarted = TestServers.on(database, settings)) {
            // a timer in memory would start over and run now; the stored schedule keeps the same next execution
            assertThat(nextExecution(db)).isEqualTo(next);
            assertThat(scheduledRuns(db)).hasSize(1);
            assertThat(taskRows(db)).isEqualTo(1);
        }
    }

    @Test
    void aBadPolicyStopsStartUpNamingItsVariable() {
        for (var bad : List.of(Map.of("HIRECHAT_RETENTION_DIRECT_DAYS", "0"),
                Map.of("HIRECHAT_RETENTION_GROUP_DAYS", "ninety"),
                Map.of("HIRECHAT_RETENTION_DIRECT_DAYS", "36501"),
                Map.of("HIRECHAT_RETENTION_CHECK_INTERVAL", "1h"),
                Map.of("HIRECHAT_RETENTION_CHECK_INTERVAL", "PT0.5S"))) {
            var variable = bad.keySet().iterator().next();
            assertThatThrownBy(() -> RetentionPolicy.from(bad)).as(bad.toString())
                    .isInstanceOf(ConfigException.class).hasMessageStartingWith(variable + " must be");
        }
        var policy = RetentionPolicy.from(Map.of("HIRECHAT_RETENTION_DIRECT_DAYS", " 30 "));
        assertThat(policy.describe()).isEqualTo("DIRECT:30d GROUP:kept");
        assertThat(policy.checkEvery()).isEqualTo(RetentionPolicy.DEFAULT_CHECK_EVERY);
        assertThat(RetentionPolicy.from(Map.of()).enabled()).as("off by default").isFalse();
    }

    private static List<Instant> scheduledRuns(Jdbi db) {
        return db.withHandle(h -> h.createQuery(
                        "SELECT scheduled_for FROM retention_runs WHERE trigger = 'SCHEDULE' ORDER BY started_at")
                .map((row, context) -> row.getObject(1, OffsetDateTime.class).toInstant())
                .list());
    }

    private static Instant nextExecution(Jdbi db) {
        return db.withHandle(h -> h.createQuery("SELECT execution_time FROM scheduled_tasks WHERE task_name = :task")
                .bind("task", RetentionJob.TASK)
                .map((row, context) -> row.getObject(1, OffsetDateTime.class).toInstant())
                .one());
    }

    private static int taskRows(Jdbi db) {
        return db.withHandle(h -> h.createQuery("SELECT count(*) FROM scheduled_tasks WHERE task_name = :task")
                .bind("task", RetentionJob.TASK).mapTo(Integer.class).one());
    }
}
