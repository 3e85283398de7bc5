package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hirechat.commands.GoldenRecords;
import com.hirechat.projections.TestDatabase;

/**
 * A store written before the message ledger existed (the golden v1 records, stored under the migrations of that
 * time) gets every message and redaction of its events into the ledger when it is migrated, as its events say.
 */
class MessageLedgerBackfillTest {

    private static final List<GoldenRecords.Row> ROWS = GoldenRecords.read(GoldenRecords.V1);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theMigrationFillsTheLedgerFromTheEventsStoredBeforeIt() throws Exception {
        var source = TestDatabase.dataSource(TestServers.freshDatabase());
        migrate(source, "7");
        var db = Jdbi.create(source);
        db.useHandle(h -> {
            for (var row : ROWS) {
                h.createUpdate("""
                                INSERT INTO domain_event_entry (aggregate_identifier, sequence_number, type,
                                    event_identifier, meta_data, payload, payload_revision, payload_type, time_stamp)
                                VALUES (:aggregateIdentifier, :sequenceNumber, :type, :eventIdentifier, :metaData,
                                    :payload, :payloadRevision, :payloadType, :timeStamp)""")
                        .bindMethods(row)
                        .bind("payload", row.payloadBytes())
                        .bind("metaData", row.metaData().getBytes(StandardCharsets.UTF_8))
                        .execute();
            }
        });
        migrate(source, "latest");

        var expectedSent = new java.util.ArrayList<String>();
        var expectedRedacted = new java.util.ArrayList<String>();
        for (var row : ROWS) {
            var payload = JSON.readTree(row.payloadBytes());
            if (row.payloadType().equals("com.hirechat.domain.MessageSent")) {
                expectedSent.add(String.join("|", row.aggregateIdentifier(), payload.path("messageId").asText(),
                        payload.path("sender").asText(), payload.path("clientMessageId").asText(),
                        Long.toString(row.sequenceNumber()), payload.path("sentAt").asText()));
            } else if (row.payloadType().endsWith("$MessageRedacted")) {
                expectedRedacted.add(row.aggregateIdentifier() + "|" + payload.path("messageId").asText());
            }
        }
        assertThat(expectedSent).isNotEmpty();
        assertThat(expectedRedacted).isNotEmpty();
        var sent = db.withHandle(h -> h.createQuery("""
                        SELECT concat_ws('|', conversation_id, message_id, sender, client_message_id, seq,
                            to_char(sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
                        FROM message_ledger""").mapTo(String.class).list());
        var redacted = db.withHandle(h -> h.createQuery(
                "SELECT conversation_id || '|' || message_id FROM message_ledger_redactions").mapTo(String.class).list());
        assertThat(sent).containsExactlyInAnyOrderElementsOf(expectedSent.stream().map(MessageLedgerBackfillTest::micros).toList());
        assertThat(redacted).containsExactlyInAnyOrderElementsOf(expectedRedacted);
    }

    /** The stored instant with six fractional digits, as PostgreSQL prints it back. */
    private static String micros(String row) {
        int dot = row.lastIndexOf('.');
        var fraction = row.substring(dot + 1, row.length() - 1);
        return row.substring(0, dot + 1) + (fraction + "000000").substring(0, 6) + "Z";
    }

    private static void migrate(javax.sql.DataSource source, String target) {
        Flyway.configure().dataSource(source)
                .locations("classpath:db/migration/eventstore", "classpath:db/migration/readmodel")
                .target(target).load().migrate();
    }
}
