package com.hirechat.web;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.hirechat.projections.ComplianceAccessLog;

/** Writes access-log entries one at a time as JSON Lines or CSV (the audit's own export). */
final class AccessLogExport implements AutoCloseable {

    private static final CsvMapper CSV_MAPPER = new CsvMapper();
    private static final ObjectWriter CSV_ROW = CSV_MAPPER.writer(CSV_MAPPER.schemaFor(Row.class).withoutHeader());
    static final String CSV_HEADER = "id,accessedAt,accessedBy,action,conversationId,reason,detail\n";

    @JsonPropertyOrder({"id", "accessedAt", "accessedBy", "action", "conversationId", "reason", "detail"})
    record Row(long id, String accessedAt, String accessedBy, String action, String conversationId, String reason,
               String detail) {
    }

    private final BufferedWriter out;
    private final ComplianceExport.Format format;

    AccessLogExport(OutputStream target, ComplianceExport.Format format) throws IOException {
        this.out = new BufferedWriter(new OutputStreamWriter(target, StandardCharsets.UTF_8));
        this.format = format;
        if (format == ComplianceExport.Format.CSV) {
            out.write(CSV_HEADER);
        }
    }

    void write(ComplianceAccessLog.Entry entry) {
        try {
            if (format == ComplianceExport.Format.CSV) {
                out.write(CSV_ROW.writeValueAsString(new Row(entry.id(), entry.accessedAt().toString(),
                        entry.accessedBy(), entry.action(), entry.conversationId(), entry.reason(), entry.detail())));
            } else {
                out.write(Json.write(view(entry)));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the export was cut off", e);
        }
    }

    static LinkedHashMap<String, Object> view(ComplianceAccessLog.Entry entry) {
        var view = new LinkedHashMap<String, Object>();
        view.put("id", entry.id());
        view.put("accessedAt", entry.accessedAt());
        view.put("accessedBy", entry.accessedBy());
        view.put("action", entry.action());
        view.put("conversationId", entry.conversationId());
        view.put("reason", entry.reason());
        view.put("detail", entry.detail());
        return view;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
