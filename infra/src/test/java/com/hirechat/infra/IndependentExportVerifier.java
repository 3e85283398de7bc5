package com.hirechat.infra;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An auditor's verifier of a JSON Lines export, written from docs/compliance.md alone: the JDK and a JSON parser,
 * none of the project's classes, its own RFC 8785 canonical form (for the values exports hold: objects, arrays,
 * strings, integers, booleans, null). It checks every line of one conversation's export, in file order.
 */
final class IndependentExportVerifier {

    private static final ObjectMapper PARSER = new ObjectMapper();

    private IndependentExportVerifier() {
    }

    /** The 1-based number of the first line that does not verify, or 0 when the whole export does. */
    static int firstBadLine(String jsonLines) {
        var previousHash = "";
        var expectedSeq = 0L;
        var lines = jsonLines.strip().split("\n");
        for (int i = 0; i < lines.length; i++) {
            try {
                var line = PARSER.readTree(lines[i]);
                var link = line.path("chain");
                var seq = link.path("seq").asLong(-1);
                if (seq != expectedSeq || line.path("seq").asLong(-2) != seq
                        || !link.path("previousHash").asText("?").equals(previousHash)) {
                    return i + 1;
                }
                var input = switch (link.path("scheme").asInt()) {
                    case 1 -> link.path("recordText").asText();
                    case 2 -> {
                        var canonical = canonical(envelope(line, link));
                        // the export's own canonical text must be exactly the one recomputed from its fields
                        if (!canonical.equals(link.path("canonical").asText())) {
                            yield null;
                        }
                        yield canonical;
                    }
                    default -> null;
                };
                if (input == null || !sha256(previousHash + "\n" + input).equals(link.path("hash").asText())) {
                    return i + 1;
                }
                previousHash = link.path("hash").asText();
                expectedSeq++;
            } catch (Exception unreadable) {
                return i + 1;
            }
        }
        return 0;
    }

    /**
     * Checks a ZIP export (docs/attachments.md): its {@code conversation.jsonl} verifies line by line as above, every
     * file a {@code MessageSent} names (by hash and size, both covered by its line's link) is in the manifest, and each
     * file the archive holds has exactly that hash and size; a file may be absent only when the manifest says it was
     * erased. Returns what is wrong, or null when the whole archive verifies.
     */
    static String zipProblem(byte[] archive) {
        var entries = new java.util.HashMap<String, byte[]>();
        try (var zip = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(archive))) {
            for (java.util.zip.ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                entries.put(entry.getName(), zip.readAllBytes());
            }
        } catch (java.io.IOException e) {
            return "not a readable ZIP: " + e.getMessage();
        }
        var jsonl = entries.get("conversation.jsonl");
        var manifestBytes = entries.get("manifest.json");
        if (jsonl == null || manifestBytes == null) {
            return "conversation.jsonl or manifest.json is missing";
        }
        var events = new String(jsonl, StandardCharsets.UTF_8);
        var bad = firstBadLine(events);
        if (bad != 0) {
            return "line " + bad + " of conversation.jsonl does not verify";
        }
        try {
            var manifest = PARSER.readTree(manifestBytes);
            var listed = new java.util.HashMap<String, JsonNode>();
            for (var file : manifest.path("files")) {
                listed.put(file.path("sentBy").asText() + "|" + file.path("sha256").asText(), file);
            }
            var named = new java.util.HashSet<String>();
            for (var text : events.strip().split("\n")) {
                var line = PARSER.readTree(text);
                if (!line.path("chain").path("type").asText().equals("com.hirechat.domain.MessageSent")) {
                    continue;
                }
                var event = line.path("event");
                for (var attachment : event.path("attachments")) {
                    var key = event.path("sentBy").asText() + "|" + attachment.path("sha256").asText();
                    named.add(key);
                    var file = listed.get(key);
                    if (file == null) {
                        return "file " + key + " of seq " + line.path("seq").asLong() + " is not in the manifest";
                    }
                    if (file.path("erased").asBoolean()) {
                        continue;
                    }
                    var bytes = entries.get(file.path("path").asText());
                    if (bytes == null) {
                        return "file " + key + " is missing from the archive";
                    }
                    if (bytes.length != attachment.path("size").asLong()
                            || !HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))
                                    .equals(attachment.path("sha256").asText())) {
                        return "file " + key + " does not match its record";
                    }
                }
            }
            if (!named.containsAll(listed.keySet())) {
                return "the manifest lists files no event names";
            }
            return null;
        } catch (java.io.IOException | NoSuchAlgorithmException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    /** The hashed envelope, rebuilt from the line: the link's stored fields and the payload exported as stored. */
    private static JsonNode envelope(JsonNode line, JsonNode link) {
        var envelope = PARSER.createObjectNode();
        envelope.set("conversationId", link.path("conversationId"));
        envelope.set("seq", link.path("seq"));
        envelope.set("type", link.path("type"));
        envelope.set("revision", link.path("revision"));
        envelope.set("payload", line.path("event"));
        return envelope;
    }

    /** RFC 8785 for the value shapes an export holds; anything else (a fraction, say) is refused. */
    static String canonical(JsonNode value) {
        var out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(JsonNode value, StringBuilder out) {
        if (value.isObject()) {
            var names = new ArrayList<String>();
            value.fieldNames().forEachRemaining(names::add);
            // JCS sorts members by their names' UTF-16 code units, which is what String.compareTo compares
            names.sort(String::compareTo);
            out.append('{');
            for (int i = 0; i < names.size(); i++) {
                out.append(i == 0 ? "" : ",");
                string(names.get(i), out);
                out.append(':');
                write(value.get(names.get(i)), out);
            }
            out.append('}');
        } else if (value.isArray()) {
            out.append('[');
            for (int i = 0; i < value.size(); i++) {
                out.append(i == 0 ? "" : ",");
                write(value.get(i), out);
            }
            out.append(']');
        } else if (value.isTextual()) {
            string(value.asText(), out);
        } else if (value.isIntegralNumber() && Math.abs(value.asLong()) < (1L << 53)) {
            out.append(value.asLong());
        } else if (value.isBoolean() || value.isNull()) {
            out.append(value.toString());
        } else {
            throw new IllegalArgumentException("not a value this verifier canonicalizes: " + value);
        }
    }

    private static final Map<Character, String> SHORT_ESCAPES = Map.of('"', "\\\"", '\\', "\\\\", '\b', "\\b",
            '\f', "\\f", '\n', "\\n", '\r', "\\r", '\t', "\\t");

    private static void string(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            var c = text.charAt(i);
            var escape = SHORT_ESCAPES.get(c);
            if (escape != null) {
                out.append(escape);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The export with line {@code number} (1-based) dropped. */
    static String without(String jsonLines, int number) {
        var lines = new ArrayList<>(List.of(jsonLines.strip().split("\n")));
        lines.remove(number - 1);
        return String.join("\n", lines);
    }

    /** The export with lines {@code a} and {@code b} (1-based) swapped. */
    static String swapped(String jsonLines, int a, int b) {
        var lines = new ArrayList<>(List.of(jsonLines.strip().split("\n")));
        var first = lines.get(a - 1);
        lines.set(a - 1, lines.get(b - 1));
        lines.set(b - 1, first);
        return String.join("\n", lines);
    }
}
