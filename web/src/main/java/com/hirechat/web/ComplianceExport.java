package com.hirechat.web;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.hirechat.domain.ConversationEvent;
import com.hirechat.domain.ConversationEvents;
import com.hirechat.domain.Erased;
import com.hirechat.domain.MessageSent;
import com.hirechat.projections.ComplianceRecord;
import com.hirechat.projections.StoredEvent;

/** Writes conversation events one at a time as JSON Lines or CSV, for the HTTP export and the command line alike. */
public final class ComplianceExport implements AutoCloseable {

    /** The export formats. */
    public enum Format {
        JSONL("jsonl", "application/x-ndjson; charset=utf-8"),
        CSV("csv", "text/csv; charset=utf-8");

        private final String extension;
        private final String contentType;

        Format(String extension, String contentType) {
            this.extension = extension;
            this.contentType = contentType;
        }

        public String extension() {
            return extension;
        }

        String contentType() {
            return contentType;
        }

        public static Optional<Format> parse(String text) {
            try {
                return Optional.of(valueOf(text.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }

    /** Parses stored payloads into trees only, whatever their depth, without turning them into domain types. */
    private static final ObjectMapper STORED_PAYLOADS = new ObjectMapper();
    private static final CsvMapper CSV_MAPPER = new CsvMapper();
    private static final ObjectWriter CSV_ROW = CSV_MAPPER.writer(CSV_MAPPER.schemaFor(CsvRow.class).withoutHeader());
    private static final String CSV_HEADER = "seq,type,at,actor,messageId,text\n";

    private final BufferedWriter out;
    private final Format format;

    public ComplianceExport(OutputStream target, Format format) throws IOException {
        this.out = new BufferedWriter(new OutputStreamWriter(target, StandardCharsets.UTF_8));
        this.format = format;
        if (format == Format.CSV) {
            out.write(CSV_HEADER);
        }
    }

    /** One CSV row per event; {@code text} is the message text for sends and edits. */
    @JsonPropertyOrder({"seq", "type", "at", "actor", "messageId", "text"})
    record CsvRow(long seq, String type, String at, String actor, String messageId, String text) {

        static CsvRow of(ConversationEvent event) {
            String messageId = null;
            String text = null;
            if (event instanceof MessageSent sent) {
                messageId = sent.messageId().value();
                text = shown(sent.text());
            } else if (event instanceof ConversationEvents.MessageEdited edited) {
                messageId = edited.messageId().value();
                text = shown(edited.text());
            } else if (event instanceof ConversationEvents.MessageRedacted redacted) {
                messageId = redacted.messageId().value();
            }
            return new CsvRow(event.seq(), event.getClass().getSimpleName(),
                    ComplianceRecord.occurredAt(event).toString(), ComplianceRecord.actor(event), messageId, text);
        }
    }

    /**
     * Writes a stored event with the inputs of its chain link (JSON Lines only; a CSV row carries no link), so an
     * auditor can recompute the chain without this code (docs/compliance.md).
     */
    public void write(StoredEvent stored, String previousHash) {
        if (format == Format.CSV) {
            write(stored.event());
            return;
        }
        try {
            out.write(Json.write(chainedView(stored, previousHash)));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("the export was cut off", e);
        }
    }

    public void write(ConversationEvent event) {
        try {
            if (format == Format.CSV) {
                out.write(CSV_ROW.writeValueAsString(CsvRow.of(event)));
            } else {
                out.write(Json.write(view(event)));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the export was cut off", e);
        }
    }

    /**
     * The JSON form of an event in replays and JSON Lines exports. A text whose key is gone is empty, and the line
     * says {@code "erased": true}.
     */
    static Map<String, Object> view(ConversationEvent event) {
        var view = new LinkedHashMap<String, Object>();
        view.put("seq", event.seq());
        view.put("type", event.getClass().getSimpleName());
        view.put("at", ComplianceRecord.occurredAt(event));
        view.put("actor", ComplianceRecord.actor(event));
        var text = switch (event) {
            case MessageSent sent -> sent.text();
            case ConversationEvents.MessageEdited edited -> edited.text();
            default -> null;
        };
        if (Erased.is(text)) {
            ObjectNode tree = Json.MAPPER.valueToTree(event);
            tree.put("text", "");
            view.put("event", tree);
            view.put("erased", true);
        } else {
            view.put("event", event);
        }
        return view;
    }

    private static String shown(String text) {
        return Erased.is(text) ? "" : text;
    }

    /**
     * An event's line with its link: for scheme 2 {@code event} is the payload exactly as stored (texts sealed), which
     * with the link's conversationId, seq, type and revision makes the envelope whose canonical form the hash covers,
     * and {@code opened} the event as read, texts opened (empty and {@code erased} once their key is gone).
     */
    static Map<String, Object> chainedView(StoredEvent stored, String previousHash) {
        var event = stored.event();
        var view = view(event);
        var link = new LinkedHashMap<String, Object>();
        var scheme = stored.chainScheme();
        link.put("scheme", scheme);
        link.put("conversationId", stored.aggregateId());
        link.put("seq", stored.seq());
        if (scheme == 2) {
            // what the chain covers is the stored payload, whose personal fields are sealed; what it says is beside it
            view.put("opened", view.get("event"));
            view.put("event", storedPayload(stored));
            link.put("type", stored.payloadType());
            link.put("revision", stored.payloadRevision());
            link.put("previousHash", previousHash);
            link.put("canonical", stored.hashedText());
        } else {
            link.put("previousHash", previousHash);
            // the frozen scheme-1 input: the record text of the event as this code reads it
            link.put("recordText", stored.hashedText());
        }
        link.put("hash", stored.chainHash());
        view.put("chain", link);
        return view;
    }

    private static JsonNode storedPayload(StoredEvent stored) {
        try {
            return STORED_PAYLOADS.readTree(stored.payload());
        } catch (IOException e) {
            throw new UncheckedIOException("stored payload is not JSON at seq " + stored.seq(), e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
