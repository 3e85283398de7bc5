package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jdbi.v3.core.Jdbi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Thousands of generated malformed frames and requests from a user who is in no conversation: each is refused
 * with a documented code, nothing is ever accepted, the server stays up, and the one real conversation's history
 * and events are exactly as before.
 */
class BadInputFuzzTest {

    private static final Set<String> KNOWN_CODES = Set.of("bad_json", "invalid_utf8", "unknown_type", "missing_field",
            "invalid_field", "invalid_parameter", "invalid_user_id", "invalid_conversation_id", "invalid_message_id",
            "invalid_client_message_id", "invalid_participants", "invalid_title", "invalid_job", "invalid_profile",
            "empty_text", "text_too_long", "invalid_text", "not_a_participant", "not_allowed", "forbidden",
            "frame_too_large", "unauthenticated", "invalid_token", "not_found", "method_not_allowed",
            "payload_too_large", "bad_request", "rate_limited", "dev_login_disabled", "unknown_message",
            "not_the_author", "not_a_group", "message_redacted", "invalid_read_position", "unknown_user",
            "unsupported_frame", "missing_parameter", "unavailable");
    /** The error codes docs/protocol.md lists: the only ones a frame may be answered with. */
    private static final Set<String> PROTOCOL_ERROR_CODES = documentedErrorCodes();
    /** The protocol's limit on a message, in characters, and the longest single frame the server reads, in bytes. */
    private static final int MAX_MESSAGE_CHARS = 65_536;
    private static final int MAX_FRAME_BYTES = 4 * MAX_MESSAGE_CHARS;
    private static final Set<String> ACCEPTED_TYPES = Set.of("ack", "ok", "message", "subscribed", "edited",
            "redacted", "read");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ChatApplication app;
    private static ApiClient api;
    private static Jdbi db;
    private static String victim;
    private static String victimMessageId;
    private static String participantToken;
    private static String attackerToken;
    private static WsClient attacker;
    private static JsonNode historyBefore;
    private static long eventsBefore;

    @BeforeContainer
    static void start() {
        app = TestServers.onFreshDatabase();
        api = new ApiClient(app.uri());
        db = Jdbi.create(app.dataSource());
        participantToken = api.login("victim-seeker");
        victim = api.startConversation(participantToken, "victim-recruiter");
        for (int n = 1; n <= 3; n++) {
            var ack = api.post("api/conversations/" + victim + "/messages", participantToken,
                    "{\"clientMessageId\":\"v-" + n + "\",\"text\":\"real message " + n + "\"}");
            victimMessageId = ack.body().path("messageId").asText();
        }
        historyBefore = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> api.get("api/conversations/" + victim + "/messages", participantToken).body(),
                        body -> body.path("messages").size() == 3);
        eventsBefore = totalEvents();
        attackerToken = api.login("attacker");
        attacker = WsClient.connect(api.base(), attackerToken);
    }

    @AfterContainer
    static void stop() {
        attacker.close();
        app.close();
    }

    private static long totalEvents() {
        return db.withHandle(h -> h.createQuery("SELECT count(*) FROM domain_event_entry").mapTo(Long.class).one());
    }

    @AfterProperty
    void theServerIsUpAndNothingStoredChanged() {
        assertThat(api.get("api/me", participantToken).status()).isEqualTo(200);
        attacker.clear();
        attacker.send("{\"type\":\"ping\"}");
        attacker.awaitType("pong");
        assertThat(api.get("api/conversations/" + victim + "/messages", participantToken).body())
                .isEqualTo(historyBefore);
        assertThat(totalEvents()).isEqualTo(eventsBefore);
    }

    @Property(tries = 2500)
    void malformedFramesAreRefusedWithAStableCode(@ForAll("frames") String frame) {
        attacker.clear();
        attacker.send(frame);
        // frames of one connection are handled in order: once the pong is back, the frame has been answered
        attacker.send("{\"type\":\"ping\"}");
        attacker.awaitType("pong");
        for (var type : ACCEPTED_TYPES) {
            assertThat(attacker.framesOfType(type)).as("accepted %s for %s", type, frame).isEmpty();
        }
        for (var error : attacker.framesOfType("error")) {
            // every code a frame meets is in docs/protocol.md; none of these inputs is a server fault
            assertThat(PROTOCOL_ERROR_CODES).as("code for %s", frame).contains(error.path("code").asText());
            assertThat(error.path("code").asText()).as("code for %s", frame).isNotEqualTo("internal_error");
            assertThat(error.path("message").asText()).doesNotContain("Exception", "\tat ");
        }
    }

    @Property(tries = 1000)
    void malformedRequestsAreRefusedWithAStableCode(@ForAll("requests") Request request) {
        var response = switch (request.method()) {
            case "GET" -> api.get(request.path(), request.token());
            case "POST" -> api.post(request.path(), request.token(), request.body());
            case "PUT" -> api.put(request.path(), request.token() == null ? "" : request.token(), request.body());
            case "PATCH" -> api.patch(request.path(), request.token() == null ? "" : request.token(), request.body());
            default -> api.delete(request.path(), request.token() == null ? "" : request.token());
        };
        assertThat(response.status()).as("%s", request).isBetween(200, 499);
        if (response.status() >= 400) {
            assertThat(KNOWN_CODES).as("%s -> %s", request, response).contains(response.errorCode());
        } else {
            assertThat(request.method()).as("only reads may succeed: %s", request).isEqualTo("GET");
        }
    }

    record Request(String method, String path, String token, String body) {
    }

    @Provide
    Arbitrary<Request> requests() {
        var paths = Arbitraries.of(
                "api/conversations/" + victim + "/messages",
                "api/conversations/" + victim + "/messages/" + victimMessageId,
                "api/conversations/" + victim + "/read",
                "api/conversations/" + victim + "/jobs",
                "api/conversations/" + victim + "/participants",
                "api/conversations/" + victim + "/participants/victim-seeker",
                "api/conversations/" + victim,
                "api/conversations/" + UUID.randomUUID() + "/messages",
                "api/conversations/chat-99-500/messages",
                "api/admin/users/victim-seeker",
                "api/admin/users/%00",
                "api/contacts",
                "api/users/victim-seeker",
                "api/nothing");
        var queries = Arbitraries.of("", "?limit=0", "?limit=-1", "?limit=abc", "?limit=99999999999999999999",
                "?before=-5", "?before=1e9", "?after=garbage", "?after=2026-01-01T00:00:00Z_x", "?limit=10&before=2");
        var tokens = Arbitraries.of(attackerToken, attackerToken, "garbage", "", null);
        return Combinators.combine(Arbitraries.of("GET", "POST", "PUT", "PATCH", "DELETE"), paths, queries, tokens,
                bodies()).as((method, path, query, token, body) -> new Request(method, path + query, token, body));
    }

    private Arbitrary<String> bodies() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(200),
                jsonObjects().map(JsonNode::toString),
                Arbitraries.of("{}", "[]", "null", "{\"text\":", "{\"upToSeq\":-1}", "{\"upToSeq\":1e400}",
                        "{\"clientMessageId\":\"x\",\"text\":\"<script>alert(1)</script>\"}",
                        "{\"displayName\":\"x\",\"role\":\"seeker\"}", "{\"userId\":\"attacker\"}",
                        "{\"id\":\"job\",\"title\":\"'; DROP TABLE message_history; --\"}"));
    }

    @Provide
    Arbitrary<String> frames() {
        // the JDK client refuses to send text with lone surrogates; invalid UTF-8 has its own raw-socket test
        return rawFrames().filter(BadInputFuzzTest::encodable);
    }

    private static boolean encodable(String text) {
        return java.nio.charset.StandardCharsets.UTF_8.newEncoder().canEncode(text);
    }

    private Arbitrary<String> rawFrames() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(300),
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(100),
                jsonObjects().map(JsonNode::toString),
                Arbitraries.integers().between(17, 200).map(depth -> "[".repeat(depth) + "]".repeat(depth)),
                Arbitraries.of("{\"type\":\"send\",\"conversationId\":\"" + victim + "\",\"clientMessageId\":\"x\","
                                + "\"text\":\"" + "y".repeat(70_000) + "\"}",
                        "{\"type\":\"read\",\"conversationId\":\"" + victim + "\",\"upToSeq\":3}",
                        "{\"type\":\"edit\",\"conversationId\":\"" + victim + "\",\"messageId\":\"" + victimMessageId
                                + "\",\"text\":\"pwned\"}",
                        "{\"type\":\"redact\",\"conversationId\":\"" + victim + "\",\"messageId\":\"" + victimMessageId
                                + "\"}",
                        "{\"type\":\"send\",\"conversationId\":\"" + victim + "\",\"clientMessageId\":\"v-1\","
                                + "\"text\":\"replayed id\"}",
                        "{\"type\":\"subscribe\",\"conversationId\":\"" + victim + "\",\"afterSeq\":0}",
                        "replacement \uFFFD character"));
    }

    private Arbitrary<ObjectNode> jsonObjects() {
        var types = Arbitraries.of("send", "edit", "redact", "read", "subscribe", "typing", "launch", "", "SEND");
        var conversations = Arbitraries.of(victim, UUID.randomUUID().toString(), "chat-99-500", "", "' OR 1=1 --");
        var keys = Arbitraries.of("type", "conversationId", "clientMessageId", "text", "afterSeq", "upToSeq",
                "messageId", "requestId", "userId", "extra");
        var fields = Combinators.combine(keys, values()).as(List::of).list().ofMaxSize(6);
        return Combinators.combine(types, conversations, fields).as((type, conversation, extra) -> {
            var node = JsonNodeFactory.instance.objectNode();
            node.put("type", type);
            node.put("conversationId", conversation);
            for (var pair : extra) {
                node.set((String) pair.get(0), (JsonNode) pair.get(1));
            }
            return node;
        });
    }

    private Arbitrary<JsonNode> values() {
        var factory = JsonNodeFactory.instance;
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(80).map(factory::textNode),
                Arbitraries.longs().map(factory::numberNode),
                Arbitraries.bigIntegers().between(new java.math.BigInteger("-1" + "0".repeat(30)),
                        new java.math.BigInteger("1" + "0".repeat(30))).map(factory::numberNode),
                Arbitraries.doubles().map(factory::numberNode),
                Arbitraries.of(factory.nullNode(), factory.booleanNode(true), factory.arrayNode(),
                        factory.objectNode(), factory.textNode(""), factory.textNode("   "),
                        factory.textNode("x".repeat(5000)), factory.textNode("<img src=x onerror=alert(1)>")));
    }

    private static Set<String> documentedErrorCodes() {
        Path protocol = null;
        for (var dir = Path.of("").toAbsolutePath(); dir != null && protocol == null; dir = dir.getParent()) {
            protocol = Files.isRegularFile(dir.resolve("docs/protocol.md")) ? dir.resolve("docs/protocol.md") : null;
        }
        try {
            var text = Files.readString(Objects.requireNonNull(protocol, "docs/protocol.md"));
            var table = text.substring(text.indexOf("\n## Error codes\n"));
            var codes = Pattern.compile("(?m)^\\| `([a-z0-9_]+)` \\|").matcher(table).results()
                    .map(m -> m.group(1)).collect(Collectors.toSet());
            assertThat(codes).contains("bad_json", "frame_too_large");
            return codes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A ping padded to exactly {@code chars} characters (ASCII, so as many bytes). */
    private static String ping(int chars) {
        var head = "{\"type\":\"ping\",\"pad\":\"";
        return head + "x".repeat(chars - head.length() - 2) + "\"}";
    }

    /**
     * What the server answers to {@code frames} sent in order over {@code raw}, as "type" or "error code": everything
     * it sends before the answer to a sentinel frame sent after them (frames are answered in order).
     */
    private static List<String> answersTo(RawWebSocket raw, List<Runnable> frames) throws IOException {
        var sentinel = UUID.randomUUID().toString();
        frames.forEach(Runnable::run);
        raw.sendText("{\"type\":\"unsubscribe\",\"conversationId\":\"" + sentinel + "\"}");
        var answers = new ArrayList<String>();
        while (true) {
            var frame = raw.readFrame();
            assertThat(frame.opcode()).as("a text frame, not a close, after %s", answers).isEqualTo(RawWebSocket.TEXT);
            var json = JSON.readTree(frame.text());
            if (json.path("type").asText().equals("unsubscribed") && json.path("conversationId").asText().equals(sentinel)) {
                return answers;
            }
            var type = json.path("type").asText();
            answers.add(type.equals("error") ? "error " + json.path("code").asText() : type);
        }
    }

    private static List<String> answersTo(RawWebSocket raw, String text) throws IOException {
        return answersTo(raw, List.of(sending(() -> raw.sendText(text))));
    }

    interface Send {
        void run() throws IOException;
    }

    private static Runnable sending(Send send) {
        return () -> {
            try {
                send.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    @net.jqwik.api.Example
    void aFrameHoldingMoreThanOneJsonValueIsBadJson() throws Exception {
        var send = "{\"type\":\"send\",\"conversationId\":\"" + victim + "\",\"clientMessageId\":\"t\",\"text\":\"x\"}";
        try (var raw = RawWebSocket.open(app.uri(), attackerToken)) {
            for (var frame : List.of("{\"type\":\"ping\"}{\"type\":\"ping\"}", "{\"type\":\"ping\"} {\"type\":\"ping\"}",
                    "{\"type\":\"ping\"}garbage", "{\"type\":\"ping\"} 1", "{\"type\":\"ping\"}]", "{\"type\":\"ping\"}}",
                    "{\"type\":\"ping\"}\"x\"", "{\"type\":\"ping\"} null", "{\"type\":\"ping\"}[", "{\"type\":\"ping\"}\u0000",
                    "{\"type\":\"ping\"}\n{\"type\":\"pong\"}", send + "{}", send + send)) {
                assertThat(answersTo(raw, frame)).as(frame).containsExactly("error bad_json");
            }
            // whitespace after the one value is not more content
            assertThat(answersTo(raw, " {\"type\":\"ping\"} \r\n\t ")).containsExactly("pong");
        }
    }

    @net.jqwik.api.Example
    void aMessageOverTheLimitIsRefusedWithFrameTooLargeAndTheConnectionStays() throws Exception {
        try (var raw = RawWebSocket.open(app.uri(), attackerToken)) {
            assertThat(answersTo(raw, ping(MAX_MESSAGE_CHARS))).as("at the limit").containsExactly("pong");
            assertThat(answersTo(raw, ping(MAX_MESSAGE_CHARS + 1))).as("one over").containsExactly("error frame_too_large");
            assertThat(answersTo(raw, ping(MAX_FRAME_BYTES))).as("the longest frame read")
                    .containsExactly("error frame_too_large");
            // a message in fragments: within the limit it is one frame; over it, one answer after the last fragment
            var small = ping(40_000).getBytes(StandardCharsets.UTF_8);
            assertThat(answersTo(raw, List.of(
                    sending(() -> raw.send(RawWebSocket.TEXT, false, Arrays.copyOfRange(small, 0, 20_000))),
                    sending(() -> raw.send(RawWebSocket.CONTINUATION, true, Arrays.copyOfRange(small, 20_000, 40_000))))))
                    .containsExactly("pong");
            var large = ping(4 * 30_000).getBytes(StandardCharsets.UTF_8);
            var fragments = new ArrayList<Runnable>();
            for (int n = 0; n < 4; n++) {
                var from = n * 30_000;
                var opcode = n == 0 ? RawWebSocket.TEXT : RawWebSocket.CONTINUATION;
                var fin = n == 3;
                fragments.add(sending(() -> raw.send(opcode, fin, Arrays.copyOfRange(large, from, from + 30_000))));
            }
            assertThat(answersTo(raw, fragments)).containsExactly("error frame_too_large");
            assertThat(answersTo(raw, "{\"type\":\"ping\"}")).containsExactly("pong");
        }
    }

    @net.jqwik.api.Example
    void aSingleFrameLongerThanTheServerReadsClosesTheConnectionWith1009() throws Exception {
        for (var chars : List.of(MAX_FRAME_BYTES + 1, 300_000, 1_000_000)) {
            try (var raw = RawWebSocket.open(app.uri(), attackerToken)) {
                var frame = ping(chars).getBytes(StandardCharsets.UTF_8);
                // the server stops reading at the header, so the rest of the write may fail: send it aside
                var sender = Thread.ofVirtual().start(() -> {
                    try {
                        raw.sendText(frame);
                    } catch (IOException expected) {
                        // the server closed the connection under the payload
                    }
                });
                var answer = raw.readFrame();
                assertThat(answer.opcode()).as("%d characters", chars).isEqualTo(RawWebSocket.CLOSE);
                assertThat(answer.closeCode()).as("%d characters", chars).isEqualTo(1009);
                raw.close();
                sender.join(Duration.ofSeconds(10));
            }
        }
    }

    @net.jqwik.api.Example
    void framesThatBreakTheWebSocketProtocolCloseTheConnectionWith1002() throws Exception {
        var ping = "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
        try (var raw = RawWebSocket.open(app.uri(), attackerToken)) {
            raw.sendUnmasked(RawWebSocket.TEXT, ping);
            assertThat(raw.readFrame().closeCode()).as("unmasked").isEqualTo(1002);
        }
        try (var raw = RawWebSocket.open(app.uri(), attackerToken)) {
            raw.send(RawWebSocket.CONTINUATION, true, ping);
            assertThat(raw.readFrame().closeCode()).as("a continuation of nothing").isEqualTo(1002);
        }
    }

    @net.jqwik.api.Example
    void aClientsCloseIsAnsweredWith1000() throws Exception {
        try (var raw = RawWebSocket.open(app.uri(), attackerToken)) {
            raw.send(RawWebSocket.CLOSE, true, new byte[] {(byte) (1001 >> 8), (byte) (1001 & 0xFF)});
            assertThat(raw.readFrame().closeCode()).isEqualTo(1000);
        }
    }

    @net.jqwik.api.Example
    void aBinaryFrameIsRefusedWithUnsupportedFrameAndTheConnectionStays() throws Exception {
        try (var raw = RawWebSocket.open(app.uri(), attackerToken)) {
            assertThat(answersTo(raw, List.of(sending(() -> raw.send(0x2, true, new byte[] {1, 2, 3})))))
                    .containsExactly("error unsupported_frame");
            assertThat(answersTo(raw, "{\"type\":\"ping\"}")).containsExactly("pong");
        }
    }

    @net.jqwik.api.Example
    void invalidUtf8InATextFrameIsRefused() throws Exception {
        try (var raw = RawWebSocket.open(app.uri(), attackerToken)) {
            raw.sendText(new byte[] {'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
            var reply = JSON.readTree(raw.readText());
            assertThat(reply.path("type").asText()).isEqualTo("error");
            assertThat(reply.path("code").asText()).isEqualTo("invalid_utf8");
        }
    }
}
