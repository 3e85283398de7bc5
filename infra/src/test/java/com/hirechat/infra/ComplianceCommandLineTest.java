package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.hirechat.infra.eventstore.PostgresAppendAnnouncer;
import com.hirechat.projections.TestDatabase;

/** The jar's compliance commands, run as their own process against a database the server wrote. */
class ComplianceCommandLineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void exportVerifyAndReplayFromTheCommandLine(@TempDir Path dir) throws Exception {
        var database = TestServers.freshDatabase();
        // the server keeps running, listening for other nodes, as when an operator runs the commands beside it
        try (var app = TestServers.on(database, Map.of())) {
            var api = new ApiClient(app.uri());
            var token = api.login("cli-seeker");
            var conversation = api.startConversation(token, "cli-recruiter");
            for (var text : List.of("one", "two", "three")) {
                api.post("api/conversations/" + conversation + "/messages", token,
                        "{\"clientMessageId\":\"" + text + "\",\"text\":\"" + text + "\"}");
            }
            readTheRecord(database, conversation, dir);
        }
    }

    private static void readTheRecord(TestDatabase.Coordinates database, String conversation, Path dir)
            throws Exception {
        var file = dir.resolve("export.jsonl");
        var export = JarCommand.run(database, "export", "--user", "cli-seeker", "--format", "jsonl", "--out", file.toString(),
                "--reason", "subpoena 12");
        assertThat(export.exit()).as(export.output()).isZero();
        assertThat(Files.readAllLines(file)).hasSize(4);
        assertThat(export.output()).contains("exported 4 events of 1 conversation(s)");
        // each line carries its link's inputs: the auditor's own script verifies the file
        assertThat(IndependentExportVerifier.firstBadLine(Files.readString(file))).isZero();

        var replay = JarCommand.run(database, "replay", conversation, "--reason", "subpoena 12");
        assertThat(replay.exit()).as(replay.output()).isZero();
        // standard output is the JSON Lines and nothing else, ready for `| jq` or a file; logs go to standard error
        assertThat(replay.stdout().lines().toList()).hasSize(4).allSatisfy(line ->
                assertThat(JSON.readTree(line).path("seq").isNumber()).as(line).isTrue());
        assertNoNodeMachinery(replay);

        var transcript = JarCommand.run(database, "transcript", conversation, "--as-of", java.time.Instant.now().toString(),
                "--reason", "audit");
        assertThat(transcript.output().lines().filter(line -> line.contains(" cli-seeker: ")).toList())
                .hasSize(3).last().asString().endsWith("cli-seeker: three");

        var verify = JarCommand.run(database, "verify", conversation, "--reason", "audit");
        assertThat(verify.stdout()).isEqualTo("intact: 4 events verified" + System.lineSeparator()
                + "scheme 2: seq 0..3" + System.lineSeparator());
        assertNoNodeMachinery(verify);
        Jdbi.create(TestDatabase.dataSource(database)).useHandle(h -> h.createUpdate(
                        "UPDATE domain_event_entry SET payload = convert_to(replace(convert_from(payload, 'UTF8'), "
                                + "'\"ciphertext\":\"', '\"ciphertext\":\"A'), 'UTF8') "
                                + "WHERE aggregate_identifier = :id AND sequence_number = 2")
                .bind("id", conversation).execute());
        var broken = JarCommand.run(database, "verify", conversation, "--reason", "audit");
        assertThat(broken.exit()).isEqualTo(1);
        assertThat(broken.stdout()).startsWith("BROKEN at seq 2");

        var logged = Jdbi.create(TestDatabase.dataSource(database)).withHandle(h -> h.createQuery(
                "SELECT count(*) FROM compliance_access_log WHERE accessed_by = 'command-line'").mapTo(Integer.class).one());
        assertThat(logged).isEqualTo(5);
        assertThat(JarCommand.run(database, "verify", "chat-99-500", "--reason", "x").exit()).isEqualTo(2);
    }

    @Test
    void eraseAUserAndRotateTheMasterKeyFromTheCommandLine() throws Exception {
        var database = TestServers.freshDatabase();
        var db = Jdbi.create(TestDatabase.dataSource(database));
        String conversation;
        try (var before = TestServers.on(database, Map.of())) {
            var api = new ApiClient(before.uri());
            var seeker = api.login("cli-erased");
            var recruiter = api.login("cli-stays");
            conversation = api.startConversation(seeker, "cli-stays");
            api.post("api/conversations/" + conversation + "/messages", seeker,
                    "{\"clientMessageId\":\"s\",\"text\":\"my address is 12 Elm Street\"}");
            api.post("api/conversations/" + conversation + "/messages", recruiter,
                    "{\"clientMessageId\":\"r\",\"text\":\"noted\"}");
        }
        // rotation (docs/operations.md): the nodes restart with the new key and the old one as the previous
        try (var app = TestServers.on(database, Map.of("HIRECHAT_MASTER_KEY", TestKeys.OTHER_BASE64,
                "HIRECHAT_MASTER_KEY_PREVIOUS", TestKeys.MASTER_BASE64))) {
            var api = new ApiClient(app.uri());
            var auditor = api.loginWithRoles("auditor", "compliance");
            var transcriptPath = "api/compliance/conversations/" + conversation + "/transcript?reason=audit&asOf=";
            assertThat(api.get(transcriptPath + java.time.Instant.now(), auditor).body().toString())
                    .contains("12 Elm Street", "noted");

            // then the old master key is rotated away while they run
            var rotate = JarCommand.run(Map.of("HIRECHAT_JDBC_URL", database.jdbcUrl(),
                    "HIRECHAT_JDBC_USER", database.user(), "HIRECHAT_JDBC_PASSWORD", database.password(),
                    "HIRECHAT_TOKEN_SECRET", TestServers.TOKEN_SECRET,
                    "HIRECHAT_MASTER_KEY", TestKeys.OTHER_BASE64,
                    "HIRECHAT_MASTER_KEY_PREVIOUS", TestKeys.MASTER_BASE64), null, "rotate-master-key");
            assertThat(rotate.exit()).as(rotate.output()).isZero();
            assertThat(rotate.stdout()).startsWith("re-wrapped 2 data keys under master key "
                    + com.hirechat.infra.crypto.MasterKeys.idOf(TestKeys.OTHER));
            // without the previous key the rotation cannot open them: said, and exit 1
            var unopenable = JarCommand.run(Map.of("HIRECHAT_JDBC_URL", database.jdbcUrl(),
                    "HIRECHAT_JDBC_USER", database.user(), "HIRECHAT_JDBC_PASSWORD", database.password(),
                    "HIRECHAT_TOKEN_SECRET", TestServers.TOKEN_SECRET,
                    "HIRECHAT_MASTER_KEY", TestKeys.MASTER_BASE64), null, "rotate-master-key");
            assertThat(unopenable.exit()).isEqualTo(1);
            assertThat(unopenable.stdout()).contains("2 are wrapped under a master key that is not configured");

            // a node with the new key only reads everything
            try (var rotated = TestServers.on(database, Map.of("HIRECHAT_MASTER_KEY", TestKeys.OTHER_BASE64))) {
                var rotatedApi = new ApiClient(rotated.uri());
                assertThat(rotatedApi.get(transcriptPath + java.time.Instant.now(), auditor).body().toString())
                        .contains("12 Elm Street", "noted");
            }

            var rotatedKey = Map.of("HIRECHAT_JDBC_URL", database.jdbcUrl(),
                    "HIRECHAT_JDBC_USER", database.user(), "HIRECHAT_JDBC_PASSWORD", database.password(),
                    "HIRECHAT_TOKEN_SECRET", TestServers.TOKEN_SECRET, "HIRECHAT_MASTER_KEY", TestKeys.OTHER_BASE64);
            var erase = JarCommand.run(rotatedKey, null, "erase-user", "cli-erased", "--reason", "request 9");
            assertThat(erase.exit()).as(erase.output()).isZero();
            var outcome = JSON.readTree(erase.stdout());
            assertThat(outcome.path("userId").asText()).isEqualTo("cli-erased");
            assertThat(outcome.path("destroyedKeys")).hasSize(1);
            assertThat(outcome.path("alreadyErased").asBoolean()).isFalse();
            var again = JarCommand.run(rotatedKey, null, "erase-user", "cli-erased", "--reason", "request 9");
            assertThat(again.exit()).isZero();
            assertThat(JSON.readTree(again.stdout()).path("alreadyErased").asBoolean()).isTrue();
            assertThat(JSON.readTree(again.stdout()).path("requestId")).isEqualTo(outcome.path("requestId"));

            var unknown = JarCommand.run(rotatedKey, null, "erase-user", "cli-nobody", "--reason", "typo");
            assertThat(unknown.exit()).isEqualTo(3);
            assertThat(unknown.stderr()).contains("unknown_user: no user cli-nobody is known here");
            assertThat(JarCommand.run(rotatedKey, null, "erase-user", "bad*id", "--reason", "x").exit()).isEqualTo(2);

            // the running server (another process) forgets the destroyed key within a second: its replay shows
            // the placeholder, and the record still verifies
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                    api.get(transcriptPath + java.time.Instant.now(), auditor).body().toString(),
                    body -> !body.contains("Elm Street") && body.contains("noted") && body.contains("\"erased\":true"));
            var verify = JarCommand.run(rotatedKey, null, "verify", conversation, "--reason", "audit");
            assertThat(verify.exit()).as(verify.output()).isZero();
            int erasures = db.withHandle(h -> h.createQuery("SELECT count(*) FROM domain_event_entry "
                    + "WHERE aggregate_identifier = 'user:cli-erased'").mapTo(Integer.class).one());
            assertThat(erasures).as("the erasure's event, once").isEqualTo(1);
        }
    }

    /**
     * A command-line run is no node: it neither announces commits to the other nodes nor says anything about them (it
     * used to start the announcer, which logged "another node listens" on standard output while a server ran).
     */
    private static void assertNoNodeMachinery(JarCommand.Run run) {
        assertThat(run.output()).doesNotContain(PostgresAppendAnnouncer.class.getSimpleName()).doesNotContain("other node");
    }
}
