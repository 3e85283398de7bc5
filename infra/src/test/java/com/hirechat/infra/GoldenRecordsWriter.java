package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import com.hirechat.projections.TestDatabase;

/**
 * Writes the golden records: runs the real application through a script that stores every event type, then copies
 * the stored rows of {@code domain_event_entry} byte for byte. Not a test (surefire does not pick up its name): it
 * is run by hand, once per stored format, and its output is committed, never regenerated to make a test pass.
 *
 * <pre>mvn -B -o -pl infra -am verify -Dtest=GoldenRecordsWriter -Dsurefire.failIfNoSpecifiedTests=false -DskipITs \
 *     -Dgolden.out=$PWD/commands/src/test/resources/golden/vN</pre>
 */
class GoldenRecordsWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void writeGoldenRecords() throws Exception {
        var out = Path.of(System.getProperty("golden.out", "target/golden"));
        var database = TestServers.freshDatabase();
        try (var app = TestServers.on(database, Map.of())) {
            GoldenScript.play(new ApiClient(app.uri()));
        }
        var rows = Jdbi.create(TestDatabase.dataSource(database)).withHandle(h -> h.createQuery("""
                        SELECT global_index, aggregate_identifier, sequence_number, type, event_identifier,
                               convert_from(meta_data, 'UTF8') AS meta_data, convert_from(payload, 'UTF8') AS payload,
                               payload_revision, payload_type, time_stamp
                        FROM domain_event_entry ORDER BY global_index""")
                .map((rs, ctx) -> {
                    var row = new LinkedHashMap<String, Object>();
                    row.put("globalIndex", rs.getLong("global_index"));
                    row.put("aggregateIdentifier", rs.getString("aggregate_identifier"));
                    row.put("sequenceNumber", rs.getLong("sequence_number"));
                    row.put("type", rs.getString("type"));
                    row.put("eventIdentifier", rs.getString("event_identifier"));
                    row.put("timeStamp", rs.getString("time_stamp"));
                    row.put("payloadType", rs.getString("payload_type"));
                    row.put("payloadRevision", rs.getString("payload_revision"));
                    // both as the exact stored text (UTF-8), not re-encoded JSON: their bytes are the record
                    row.put("payload", rs.getString("payload"));
                    row.put("metaData", rs.getString("meta_data"));
                    return row;
                }).list());
        assertThat(rows).isNotEmpty();
        Files.createDirectories(out);
        var lines = new StringBuilder();
        for (var row : rows) {
            lines.append(JSON.writeValueAsString(row)).append('\n');
        }
        Files.writeString(out.resolve(GoldenScript.FILE), lines, StandardCharsets.UTF_8);
    }
}
