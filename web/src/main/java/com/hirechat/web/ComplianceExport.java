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
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.hirechat.domain.ConversationEvent;
import com.hirechat.domain.ConversationEvents;
import com.hirechat.domain.MessageSent;
import com.hirechat.projections.ComplianceRecord;

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
                text = sent.text();
            } else if (event instanceof ConversationEvents.MessageEdited edited) {
                messageId = edited.messageId().value();
                text = edited.text();
            } else if (event instanceof ConversationEvents.MessageRedacted redacted) {
                messageId = redacted.messageId().value();
            }
            return new CsvRow(event.seq(), event.getClass().getSimpleName(),
                    ComplianceRecord.occurredAt(event).toString(), ComplianceRecord.actor(event), messageId, text);
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

    /** The JSON form of an event in replays and JSON Lines exports. */
    static Map<String, Object> view(ConversationEvent event) {
        var view = new LinkedHashMap<String, Object>();
        view.put("seq", event.seq());
        view.put("type", event.getClass().getSimpleName());
        view.put("at", ComplianceRecord.occurredAt(event));
        view.put("actor", ComplianceRecord.actor(event));
        view.put("event", event);
        return view;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
