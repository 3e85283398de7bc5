package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

/** Every way in is checked: tokens, algorithms, origins, participation, roles, limits. */
class SecurityTest {

    private static final KeyPair HOST_SITE_KEYS = rsaKeys();
    private static final String ISSUER = "https://jobs.example";
    private static final String AUDIENCE = "hirechat";
    private static ChatApplication app;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        // the host site signs with RS256; this server holds only its public key
        app = TestServers.on(TestServers.freshDatabase(), Map.of(
                "HIRECHAT_TOKEN_SECRET", "",
                "HIRECHAT_TOKEN_PUBLIC_KEY", pem(HOST_SITE_KEYS),
                "HIRECHAT_TOKEN_ISSUER", ISSUER,
                "HIRECHAT_TOKEN_AUDIENCE", AUDIENCE,
                "HIRECHAT_ALLOWED_ORIGINS", "https://jobs.example",
                "HIRECHAT_MESSAGES_PER_SECOND", "2",
                "HIRECHAT_MESSAGE_BURST", "5",
                "HIRECHAT_MAX_CONNECTIONS_PER_USER", "2"));
        api = new ApiClient(app.uri());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static KeyPair rsaKeys() {
        try {
            var generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(KeyPair keys) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    private static JWTClaimsSet claims(String user, Instant expires, String... roles) {
        return claimsBuilder(user, expires, roles).build();
    }

    /** The claims the host site puts in a token for this chat: its issuer, this service as audience. */
    private static JWTClaimsSet.Builder claimsBuilder(String user, Instant expires, String... roles) {
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject(user).claim("roles", List.of(roles))
                .issueTime(new Date()).expirationTime(Date.from(expires));
    }

    /** A token as the host site signs it. */
    private static String hostToken(String user, String... roles) {
        return rs256(claims(user, Instant.now().plusSeconds(600), roles));
    }

    private static String rs256(JWTClaimsSet claims) {
        try {
            var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
            jwt.sign(new RSASSASigner((RSAPrivateKey) HOST_SITE_KEYS.getPrivate()));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hs256(JWTClaimsSet claims, byte[] secret) {
        try {
            var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String user(String role) {
        return role + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void everyBadTokenIsRefusedOverHttpAndAtTheWebSocketUpgrade() {
        var alice = user("alice");
        var otherKeys = rsaKeys();
        var forged = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims(alice, Instant.now().plusSeconds(600)));
        try {
            forged.sign(new RSASSASigner((RSAPrivateKey) otherKeys.getPrivate()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        var publicKeyBytes = pem(HOST_SITE_KEYS).getBytes(StandardCharsets.UTF_8);
        var badTokens = Map.ofEntries(
                Map.entry("expired", rs256(claims(alice, Instant.now().minusSeconds(3600)))),
                Map.entry("wrong signature", forged.serialize()),
                Map.entry("alg none", new PlainJWT(new PlainHeader(), claims(alice, Instant.now().plusSeconds(600))).serialize()),
                Map.entry("HS256 keyed with the public key", hs256(claims(alice, Instant.now().plusSeconds(600)), publicKeyBytes)),
                Map.entry("HS256 with the test secret", TestServers.token(alice)),
                Map.entry("garbage", "not.a.token"),
                Map.entry("no subject", rs256(new JWTClaimsSet.Builder().expirationTime(Date.from(Instant.now().plusSeconds(600)))
                        .build())),
                Map.entry("no expiry", rs256(new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject(alice).build())),
                Map.entry("another issuer", rs256(claimsBuilder(alice, Instant.now().plusSeconds(600))
                        .issuer("https://other.example").build())),
                Map.entry("no issuer", rs256(claimsBuilder(alice, Instant.now().plusSeconds(600)).issuer(null).build())),
                Map.entry("for another service", rs256(claimsBuilder(alice, Instant.now().plusSeconds(600))
                        .audience("billing").build())),
                Map.entry("no audience", rs256(claimsBuilder(alice, Instant.now().plusSeconds(600)).audience((String) null)
                        .build())));

        for (var bad : badTokens.entrySet()) {
            var response = api.get("api/contacts", bad.getValue());
            assertThat(response.status()).as(bad.getKey()).isEqualTo(401);
            assertThat(response.errorCode()).as(bad.getKey()).isEqualTo("invalid_token");
            assertThat(upgradeStatus(bad.getValue(), null)).as(bad.getKey()).isEqualTo(401);
            assertThat(refusedUpgrade("/ws?access_token=" + bad.getValue(), Map.of())).as(bad.getKey())
                    .isEqualTo("401 invalid_token");
        }
        assertThat(api.get("api/contacts", null).errorCode()).isEqualTo("unauthenticated");
        assertThat(upgradeStatus("", null)).isEqualTo(401);
        assertThat(refusedUpgrade("/ws", Map.of())).isEqualTo("401 unauthenticated");
        assertThat(refusedUpgrade("/ws?access_token=", Map.of())).isEqualTo("401 unauthenticated");
        assertThat(refusedUpgrade("/ws?other=1", Map.of())).isEqualTo("401 unauthenticated");

        var good = hostToken(alice);
        assertThat(api.get("api/contacts", good).status()).isEqualTo(200);
        // an audience list that names this service among others is fine
        assertThat(api.get("api/contacts", rs256(claimsBuilder(alice, Instant.now().plusSeconds(600))
                .audience(List.of("billing", AUDIENCE)).build())).status()).isEqualTo(200);
        // clock skew up to a minute is tolerated
        assertThat(api.get("api/contacts", rs256(claims(alice, Instant.now().minusSeconds(30)))).status()).isEqualTo(200);
    }

    @Test
    void aPageFromAnotherSiteCannotOpenASocketWithTheVisitorsToken() {
        var token = hostToken(user("visitor"));
        assertThat(upgradeStatus(token, "https://evil.example")).isEqualTo(403);
        assertThat(refusedUpgrade("/ws?access_token=" + token, Map.of("Origin", "https://evil.example")))
                .isEqualTo("403 forbidden_origin");
        // the origin is judged before the token: a hijacking page learns nothing about the visitor's token
        assertThat(refusedUpgrade("/ws?access_token=forged", Map.of("Origin", "https://evil.example")))
                .isEqualTo("403 forbidden_origin");
        assertThat(upgradeStatus(token, "https://jobs.example")).isEqualTo(101);
        assertThat(upgradeStatus(token, null)).isEqualTo(101);
    }

    @Test
    void outsidersAreRefusedEverythingAboutAConversationAndLearnNothing() {
        var seeker = user("seeker");
        var seekerToken = hostToken(seeker);
        var conversation = api.startConversation(seekerToken, user("recruiter"));
        var outsider = hostToken(user("outsider"));
        var path = "api/conversations/" + conversation;

        assertThat(api.get(path, outsider).errorCode()).isEqualTo("not_a_participant");
        assertThat(api.get(path + "/messages", outsider).errorCode()).isEqualTo("not_a_participant");
        assertThat(api.post(path + "/messages", outsider, "{\"clientMessageId\":\"x\",\"text\":\"hi\"}").errorCode())
                .isEqualTo("not_a_participant");
        assertThat(api.post(path + "/read", outsider, "{\"upToSeq\":0}").errorCode()).isEqualTo("not_a_participant");
        assertThat(api.post(path + "/jobs", outsider, "{\"id\":\"j\",\"title\":\"t\"}").errorCode())
                .isEqualTo("not_a_participant");
        try (var socket = WsClient.connect(api.base(), outsider)) {
            socket.subscribe(conversation, 0);
            assertThat(socket.awaitType("error").path("code").asText()).isEqualTo("not_a_participant");
            socket.clear();
            socket.send("{\"type\":\"typing\",\"conversationId\":\"" + conversation + "\"}");
            assertThat(socket.awaitType("error").path("code").asText()).isEqualTo("not_a_participant");
        }
    }

    @Test
    void onlyAdminsManageProfiles() {
        var target = user("target");
        var body = "{\"displayName\":\"Someone\",\"role\":\"seeker\"}";
        assertThat(api.put("api/admin/users/" + target, hostToken(user("plain")), body).errorCode()).isEqualTo("forbidden");
        assertThat(api.put("api/admin/users/" + target, hostToken(user("auditor"), "compliance"), body).errorCode())
                .isEqualTo("forbidden");
        assertThat(api.put("api/admin/users/" + target, hostToken(user("ops"), "admin"), body).status()).isEqualTo(204);
    }

    @Test
    void onlyComplianceReadsTheRecordAndEveryReadIsLogged() {
        var seeker = user("seeker");
        var seekerToken = hostToken(seeker);
        var conversation = api.startConversation(seekerToken, user("recruiter"));
        api.post("api/conversations/" + conversation + "/messages", seekerToken,
                "{\"clientMessageId\":\"c1\",\"text\":\"for the record\"}");
        var path = "api/compliance/conversations/" + conversation + "/events?reason=case%2042";

        assertThat(api.get(path, seekerToken).errorCode()).isEqualTo("forbidden");
        assertThat(api.get(path, hostToken(user("ops"), "admin")).errorCode()).isEqualTo("forbidden");
        var auditor = user("auditor");
        var auditorToken = hostToken(auditor, "compliance");
        assertThat(api.get("api/compliance/conversations/" + conversation + "/events", auditorToken).errorCode())
                .isEqualTo("missing_parameter");

        var record = api.get(path, auditorToken);
        assertThat(record.status()).isEqualTo(200);
        assertThat(record.body().path("events")).extracting(e -> e.path("type").asText())
                .containsExactly("ConversationStarted", "MessageSent");
        assertThat(record.body().path("events").get(1).path("event").path("text").asText()).isEqualTo("for the record");
        var logged = org.jdbi.v3.core.Jdbi.create(app.dataSource()).withHandle(h -> h.createQuery(
                        "SELECT accessed_by || ' ' || action || ' ' || reason FROM compliance_access_log "
                                + "WHERE conversation_id = CAST(:c AS uuid)")
                .bind("c", conversation).mapTo(String.class).list());
        assertThat(logged).containsExactly(auditor + " replay case 42");
    }

    @Test
    void developmentLoginIsOffWhenAnExternalDatabaseIsConfigured() {
        var response = api.post("api/dev/login", null, "{\"userId\":\"anyone\"}");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.errorCode()).isEqualTo("dev_login_disabled");
    }

    @Test
    void sendingFasterThanTheRateIsRefusedAndTheConnectionSurvives() {
        var token = hostToken(user("chatty"));
        var conversation = api.startConversation(token, user("listener"));
        try (var socket = WsClient.connect(api.base(), token)) {
            for (int n = 1; n <= 8; n++) {
                socket.sendMessage(conversation, "burst-" + n, "message " + n);
            }
            socket.awaitFrame(f -> f.path("code").asText().equals("rate_limited"));
            assertThat(socket.framesOfType("ack").size()).isLessThanOrEqualTo(5);
            // a little later the bucket has refilled and the same socket sends again
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300)).until(() -> {
                socket.sendMessage(conversation, "later-" + UUID.randomUUID(), "after a pause");
                return socket.framesOfType("ack").size() > 5 || socket.framesOfType("ack").stream()
                        .anyMatch(f -> f.path("clientMessageId").asText().startsWith("later-"));
            });
        }
        assertThat(api.post("api/conversations/" + conversation + "/messages", token,
                "{\"clientMessageId\":\"h\",\"text\":\"x\"}").status()).isIn(200, 429);
    }

    @Test
    void invalidWritesOverHttpDoNotUseUpTheRateLimit() {
        var token = hostToken(user("clumsy"));
        var conversation = api.startConversation(token, user("listener"));
        var path = "api/conversations/" + conversation + "/messages";
        var mine = api.post(path, token, "{\"clientMessageId\":\"first\",\"text\":\"hello\"}").body().path("messageId")
                .asText();
        // four times the burst of 5, faster than the 2/s refill could make up for
        for (int n = 0; n < 4; n++) {
            assertThat(api.post(path, token, "{\"clientMessageId\":\"e-" + n + "\",\"text\":\"  \"}").errorCode())
                    .isEqualTo("empty_text");
            assertThat(api.post(path, token, "{\"text\":\"no id\"}").errorCode()).isEqualTo("missing_field");
            assertThat(api.post(path, token, "{").errorCode()).isEqualTo("bad_json");
            assertThat(api.patch(path + "/" + mine, token, "{\"text\":\"\"}").errorCode())
                    .isEqualTo("empty_text");
            assertThat(api.delete(path + "/not-a-message-id", token).errorCode()).isEqualTo("invalid_message_id");
        }
        var valid = api.post(path, token, "{\"clientMessageId\":\"ok\",\"text\":\"finally\"}");
        assertThat(valid.status()).isEqualTo(200);
        assertThat(valid.body().path("type").asText()).isEqualTo("ack");
    }

    @Test
    void invalidFramesDoNotUseUpTheRateLimit() {
        var token = hostToken(user("clumsy"));
        var conversation = api.startConversation(token, user("listener"));
        try (var socket = WsClient.connect(api.base(), token)) {
            socket.sendMessage(conversation, "first", "hello");
            var mine = socket.awaitType("ack").path("messageId").asText();
            var frames = List.of(
                    "{\"type\":\"send\",\"conversationId\":\"" + conversation + "\",\"clientMessageId\":\"e\",\"text\":\" \"}",
                    "{\"type\":\"send\",\"conversationId\":\"" + conversation + "\",\"text\":\"no id\"}",
                    "{\"type\":\"edit\",\"conversationId\":\"" + conversation + "\",\"messageId\":\"" + mine
                            + "\",\"text\":\"\"}",
                    "{\"type\":\"redact\",\"conversationId\":\"" + conversation + "\",\"messageId\":\"nope\"}");
            for (int n = 0; n < 5; n++) {
                for (var frame : frames) {
                    socket.clear();
                    socket.send(frame);
                    assertThat(socket.awaitType("error").path("code").asText()).as(frame)
                            .isIn("empty_text", "missing_field", "invalid_message_id");
                }
            }
            socket.sendMessage(conversation, "ok", "finally");
            assertThat(socket.awaitFrame(f -> f.path("type").asText().equals("ack")
                    || f.path("code").asText().equals("rate_limited")).path("type").asText()).isEqualTo("ack");
        }
    }

    @Test
    void aUserHoldsABoundedNumberOfSocketsAndGetsThemBackWhenTheyDrop() {
        var token = hostToken(user("tabs"));
        try (var first = WsClient.connect(api.base(), token);
             var second = WsClient.connect(api.base(), token)) {
            assertThat(upgradeStatus(token, null)).isEqualTo(429);
            assertThat(refusedUpgrade("/ws?access_token=" + token, Map.of())).isEqualTo("429 too_many_connections");
            first.abort();
            await().atMost(Duration.ofSeconds(10)).until(() -> upgradeStatus(token, null) == 101);
            assertThat(second.closed()).isNotDone();
        }
    }

    /** The HTTP status of a WebSocket upgrade attempt (101 when it succeeded; the socket is then closed again). */
    private static int upgradeStatus(String token, String origin) {
        var builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (origin != null) {
            builder.header("Origin", origin);
        }
        try {
            var socket = builder.buildAsync(WsClient.webSocketUri(api.base(), token), new WebSocket.Listener() { })
                    .orTimeout(10, TimeUnit.SECONDS).join();
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "probe").orTimeout(5, TimeUnit.SECONDS).join();
            socket.abort();
            return 101;
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException handshake) {
                return handshake.getResponse().statusCode();
            }
            throw e;
        }
    }

    /**
     * A WebSocket upgrade over a raw socket that the server refuses: "status code", the code taken from the JSON
     * error body, which must also carry a message and the JSON content type.
     */
    private static String refusedUpgrade(String target, Map<String, String> headers) {
        try {
            var answer = RawWebSocket.upgrade(api.base(), target, headers);
            assertThat(answer.status()).as("refused: %s", target).isNotEqualTo(101);
            assertThat(answer.headers()).containsEntry("content-type", "application/json");
            assertThat(answer.headers().keySet()).as("no internal header leaks").noneMatch(h -> h.startsWith("x-hirechat"));
            var error = new ObjectMapper().readTree(answer.body()).path("error");
            assertThat(error.path("message").asText()).as(answer.body()).isNotBlank();
            return answer.status() + " " + error.path("code").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aMalformedUpgradeRequestIsABadRequestWithTheJsonErrorShape() {
        var token = hostToken(user("sloppy"));
        assertThat(refusedUpgrade("/ws?access_token=" + token, Map.of("Sec-WebSocket-Version", "8")))
                .isEqualTo("400 bad_request");
        assertThat(refusedUpgrade("/ws?access_token=" + token, Map.of("Sec-WebSocket-Key", "c2hvcnQ=")))
                .isEqualTo("400 bad_request");
        // without a key it is no upgrade at all, but a plain GET of a path that serves nothing over HTTP
        var headers = new HashMap<String, String>();
        headers.put("Sec-WebSocket-Key", null);
        assertThat(refusedUpgrade("/ws?access_token=" + token, headers)).isEqualTo("404 not_found");
    }

    @Test
    void aWebSocketUriWithoutTheTokenParameterIsRefused() {
        var uri = URI.create(api.base().toString().replaceFirst("^http", "ws") + "ws");
        assertThatThrownBy(() -> HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(uri, new WebSocket.Listener() { }).orTimeout(10, TimeUnit.SECONDS).join())
                .hasCauseInstanceOf(WebSocketHandshakeException.class);
    }
}
