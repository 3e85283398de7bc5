package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hirechat.projections.TestDatabase;

/** Legal holds and retention from the command line, beside a running server, with the exit codes compliance.md lists. */
class HoldCommandLineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void holdDefersAnErasureReleaseCarriesItOutAndRetentionRunsAreRecorded() throws Exception {
        var database = TestServers.freshDatabase();
        var db = Jdbi.create(TestDatabase.dataSource(database));
        var seeker = "cli-seeker-" + UUID.randomUUID().toString().substring(0, 8);
        try (var app = TestServers.on(database, Map.of())) {
            var api = new ApiClient(app.uri());
            var token = api.login(seeker);
            var conversation = api.startConversation(token, "cli-recruiter");
            assertThat(api.post("api/conversations/" + conversation + "/messages", token,
                    "{\"clientMessageId\":\"c-1\",\"text\":\"my notice period is 3 months\"}").status()).isEqualTo(200);
            TestServers.awaitProjectionsCaughtUp(app.uri());

            var placed = JarCommand.run(database, "hold", "--user", seeker, "--matter", "CLI-2026/3");
            assertThat(placed.exit()).as(placed.output()).isZero();
            var holdId = JSON.readTree(placed.stdout()).path("holdId").asText();
            assertThat(JarCommand.run(database, "holds").stdout()).contains(holdId, "CLI-2026/3");

            var erase = JarCommand.run(database, "erase-user", seeker, "--reason", "Art. 17");
            assertThat(erase.exit()).as(erase.output()).isEqualTo(4);
            assertThat(erase.stderr()).contains("erasure_held", "CLI-2026/3");
            assertThat(liveKeys(db, seeker)).isEqualTo(1);

            var release = JarCommand.run(database, "release-hold", holdId);
            assertThat(release.exit()).as(release.output()).isZero();
            assertThat(JSON.readTree(release.stdout()).path("carriedOut").toString()).contains("USER:" + seeker);
            assertThat(liveKeys(db, seeker)).isZero();

            var again = JarCommand.run(database, "release-hold", holdId);
            assertThat(again.exit()).isEqualTo(4);
            assertThat(again.stderr()).contains("hold_released");
            assertThat(JarCommand.run(database, "release-hold", UUID.randomUUID().toString()).stderr())
                    .contains("unknown_hold");
            var badMatter = JarCommand.run(database, "hold", "--conversation", conversation, "--matter", "Zora's case");
            assertThat(badMatter.exit()).isEqualTo(2);
            assertThat(badMatter.stderr()).contains("invalid_matter");
            var nobody = JarCommand.run(database, "hold", "--user", "cli-nobody", "--matter", "M-1");
            assertThat(nobody.exit()).isEqualTo(3);
            assertThat(nobody.stderr()).contains("unknown_user");

            var off = JarCommand.run(database, "retention", "--dry-run");
            assertThat(off.exit()).isEqualTo(4);
            assertThat(off.stderr()).contains("retention_off");
            var withPolicy = new HashMap<>(Map.of("HIRECHAT_JDBC_URL", database.jdbcUrl(),
                    "HIRECHAT_JDBC_USER", database.user(), "HIRECHAT_JDBC_PASSWORD", database.password(),
                    "HIRECHAT_TOKEN_SECRET", TestServers.TOKEN_SECRET, "HIRECHAT_MASTER_KEY", TestKeys.MASTER_BASE64,
                    "HIRECHAT_RETENTION_DIRECT_DAYS", "30"));
            var dry = JarCommand.run(withPolicy, null, "retention", "--dry-run");
            assertThat(dry.exit()).as(dry.output()).isZero();
            var run = JSON.readTree(dry.stdout());
            assertThat(run.path("dryRun").asBoolean()).isTrue();
            assertThat(run.path("trigger").asText()).isEqualTo("CLI");
            assertThat(run.path("policy").asText()).isEqualTo("DIRECT:30d GROUP:kept");
            var runs = JarCommand.run(withPolicy, null, "retention-runs", "--limit", "5");
            assertThat(runs.exit()).isZero();
            assertThat(runs.stdout()).contains(run.path("runId").asText());
            withPolicy.put("HIRECHAT_RETENTION_DIRECT_DAYS", "0");
            var badPolicy = JarCommand.run(withPolicy, null, "retention", "--dry-run");
            assertThat(badPolicy.exit()).isNotZero();
            assertThat(badPolicy.output()).contains("HIRECHAT_RETENTION_DIRECT_DAYS must be a whole number");
        }
    }

    private static int liveKeys(Jdbi db, String user) {
        return db.withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM data_keys WHERE user_id = :user AND wrapped_key IS NOT NULL")
                .bind("user", user).mapTo(Integer.class).one());
    }
}
