package com.hirechat.commands;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The golden records of a stored format (src/test/resources/golden/vN): rows of domain_event_entry, byte for byte. */
public final class GoldenRecords {

    /** One stored event: its columns, payload and metadata as the exact stored text. */
    public record Row(long globalIndex, String aggregateIdentifier, long sequenceNumber, String type,
                      String eventIdentifier, String timeStamp, String payloadType, String payloadRevision,
                      String payload, String metaData) {

        public byte[] payloadBytes() {
            return payload.getBytes(StandardCharsets.UTF_8);
        }
    }

    public static final String V1 = "/golden/v1/domain_event_entry.jsonl";
    /** Written after MessageSent's revision 2; chained by scheme 2. */
    public static final String V2 = "/golden/v2/domain_event_entry.jsonl";

    private GoldenRecords() {
    }

    /** Every row of the resource {@code path}, in store order. */
    public static List<Row> read(String path) {
        var json = new ObjectMapper();
        try (InputStream in = GoldenRecords.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("no golden records at " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(line -> {
                        try {
                            return json.readValue(line, Row.class);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
