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
                                + "'two', 'TWO'), 'UTF8') WHERE aggregate_identifier = :id AND sequence_number = 2")
                .bind("id", conversation).execute());
        var broken = JarCommand.run(database, "verify", conversation, "--reason", "audit");
        assertThat(broken.exit()).isEqualTo(1);
        assertThat(broken.stdout()).startsWith("BROKEN at seq 2");

        var logged = Jdbi.create(TestDatabase.dataSource(database)).withHandle(h -> h.createQuery(
                "SELECT count(*) FROM compliance_access_log WHERE accessed_by = 'command-line'").mapTo(Integer.class).one());
        assertThat(logged).isEqualTo(5);
        assertThat(JarCommand.run(database, "verify", "chat-99-500", "--reason", "x").exit()).isEqualTo(2);
    }

    /**
     * A command-line run is no node: it neither announces commits to the other nodes nor says anything about them (it
     * used to start the announcer, which logged "another node listens" on standard output while a server ran).
     */
    private static void assertNoNodeMachinery(JarCommand.Run run) {
        assertThat(run.output()).doesNotContain(PostgresAppendAnnouncer.class.getSimpleName()).doesNotContain("other node");
    }
}
