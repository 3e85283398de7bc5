package com.hirechat.web;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.hirechat.domain.ConversationId;
import com.hirechat.domain.Erased;
import com.hirechat.domain.MessageSent;
import com.hirechat.projections.feed.ConversationEventFeed;

/**
 * The compliance export with files ({@code format=zip}): {@code conversation.jsonl} (the JSON Lines export, chain
 * included), {@code files/<sha256>} (each stored file's bytes, once) and {@code manifest.json} (every file the record
 * names: hash, size, type, name, the seq of the first message carrying it, its path in the archive or
 * {@code erased}). Streamed: one chunk of one file in memory at a time.
 */
final class AttachmentZipExport {

    static final String CONTENT_TYPE = "application/zip";

    private final ConversationEventFeed feed;
    private final AttachmentStore store;

    AttachmentZipExport(ConversationEventFeed feed, AttachmentStore store) {
        this.feed = feed;
        this.store = store;
    }

    void write(ConversationId conversation, OutputStream target) throws IOException {
        try (var zip = new ZipOutputStream(target)) {
            zip.putNextEntry(entry("conversation.jsonl"));
            // the JSON Lines writer closes what it writes to: the archive stays open
            try (var export = new ComplianceExport(new FilterOutputStream(zip) {
                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    out.write(bytes, offset, length);
                }

                @Override
                public void close() throws IOException {
                    flush();
                }
            }, ComplianceExport.Format.JSONL)) {
                feed.replayChained(conversation, export::write);
            }
            zip.closeEntry();
            var files = new ArrayList<Map<String, Object>>();
            var written = new HashSet<String>();
            for (var event : feed.read(conversation, -1)) {
                if (!(event instanceof MessageSent sent)) {
                    continue;
                }
                for (var attachment : sent.attachments()) {
                    if (!written.add(sent.sentBy().value() + "|" + attachment.sha256())) {
                        continue;
                    }
                    var entry = new LinkedHashMap<String, Object>();
                    entry.put("sha256", attachment.sha256());
                    entry.put("size", attachment.size());
                    entry.put("type", attachment.type());
                    entry.put("name", Erased.is(attachment.name()) ? null : attachment.name());
                    entry.put("seq", sent.seq());
                    entry.put("sentBy", sent.sentBy().value());
                    var bytes = store.open(conversation, sent.sentBy(), attachment.sha256());
                    if (bytes.isPresent()) {
                        var path = "files/" + sent.sentBy().value() + "/" + attachment.sha256();
                        zip.putNextEntry(entry(path));
                        try (var in = bytes.get()) {
                            in.transferTo(zip);
                        }
                        zip.closeEntry();
                        entry.put("path", path);
                        entry.put("erased", false);
                    } else {
                        entry.put("path", null);
                        entry.put("erased", true);
                    }
                    files.add(entry);
                }
            }
            zip.putNextEntry(entry("manifest.json"));
            var manifest = new LinkedHashMap<String, Object>();
            manifest.put("conversationId", conversation.value());
            manifest.put("events", "conversation.jsonl");
            manifest.put("files", files);
            zip.write(Json.write(manifest).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.closeEntry();
        }
    }

    /**
     * An entry with a fixed time: the archive's bytes then depend on the record alone, so the same conversation
     * exports to the same bytes however often and wherever it is exported.
     */
    private static ZipEntry entry(String name) {
        var entry = new ZipEntry(name);
        entry.setTimeLocal(FIXED_TIME);
        return entry;
    }

    private static final java.time.LocalDateTime FIXED_TIME = java.time.LocalDateTime.of(1980, 1, 1, 0, 0);
}
