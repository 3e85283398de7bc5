package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Engine.IO and Socket.IO layers' refusals, on the wire over long-polling: the codes docs/protocol.md lists (the
 * reference server's Engine.IO errors, CONNECT_ERROR codes), and a malformed packet ending the session.
 */
class SocketIoProtocolTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static ChatApplication server;

    @BeforeAll
    static void start() {
        server = TestServers.onFreshDatabase();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void engineIoRefusalsCarryTheReferenceServersCodes() throws Exception {
        assertThat(engineError(get("EIO=3&transport=polling", null))).isEqualTo(5);
        assertThat(engineError(get("EIO=4&transport=pigeon", null))).isEqualTo(0);
        assertThat(engineError(get("EIO=4&transport=polling&sid=nope", null))).isEqualTo(1);
        assertThat(engineError(post("EIO=4&transport=polling", "40"))).isEqualTo(2);
        assertThat(engineError(post("EIO=4&transport=polling&sid=nope", "40"))).isEqualTo(1);
    }

    @Test
    void theHandshakeAnnouncesTheUpgradeHeartbeatAndLimit() throws Exception {
        var open = get("EIO=4&transport=polling", null);
        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(open.body()).startsWith("0{");
        var handshake = JSON.readTree(open.body().substring(1));
        assertThat(handshake.path("upgrades").get(0).asText()).isEqualTo("websocket");
        assertThat(handshake.path("pingInterval").asInt()).isEqualTo(25_000);
        assertThat(handshake.path("pingTimeout").asInt()).isEqualTo(20_000);
        assertThat(handshake.path("maxPayload").asInt()).isEqualTo(262_144);
    }

    @Test
    void connectRefusalsAreConnectErrorsWithStableCodes() throws Exception {
        assertThat(connect("40", null)).isEqualTo("44{\"message\":\"unauthenticated\"");
        assertThat(connect("40{\"token\":\"forged\"}", null)).isEqualTo("44{\"message\":\"invalid_token\"");
        assertThat(connect("40{\"token\":\"" + TestServers.token("origin-user") + "\"}", "https://evil.example"))
                .isEqualTo("44{\"message\":\"forbidden_origin\"");
        assertThat(connect("40/admin,{}", null)).isEqualTo("44/admin,{\"message\":\"invalid_namespace\"");
    }

    @Test
    void aMalformedPacketEndsTheSession() throws Exception {
        var sid = handshake(null);
        post("EIO=4&transport=polling&sid=" + sid, "40{\"token\":\"" + TestServers.token("parser") + "\"}");
        assertThat(get("EIO=4&transport=polling&sid=" + sid, null).body()).startsWith("40{\"sid\"");
        // an EVENT whose payload is not an array: the reference server closes the connection ("parse error")
        assertThat(post("EIO=4&transport=polling&sid=" + sid, "42{\"not\":\"an array\"}").statusCode()).isEqualTo(200);
        assertThat(get("EIO=4&transport=polling&sid=" + sid, null).body()).isEqualTo("1");
        assertThat(engineError(get("EIO=4&transport=polling&sid=" + sid, null))).isEqualTo(1);
    }

    @Test
    void anUnreadableOffsetIsANewSessionNotARecovery() throws Exception {
        var sid = handshake(null);
        post("EIO=4&transport=polling&sid=" + sid, "40{\"token\":\"" + TestServers.token("recovering")
                + "\",\"pid\":\"my-old-pid\",\"offset\":\"not base64 json\"}");
        var reply = JSON.readTree(get("EIO=4&transport=polling&sid=" + sid, null).body().substring(2));
        assertThat(reply.path("pid").asText()).isNotEmpty().isNotEqualTo("my-old-pid");
    }

    @Test
    void aSecondWaitingPollEndsTheSession() throws Exception {
        var sid = handshake(null);
        var first = HTTP.sendAsync(HttpRequest.newBuilder(uri("EIO=4&transport=polling&sid=" + sid)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        // the first poll waits for packets; a second one beside it breaks the protocol
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
            var second = get("EIO=4&transport=polling&sid=" + sid, null);
            return second.statusCode() == 400 && JSON.readTree(second.body()).path("code").asInt() == 3;
        });
        // whichever poll was the waiting one was told the session closed; the session is gone
        var firstAnswer = first.get();
        assertThat(firstAnswer.statusCode() == 200 ? firstAnswer.body() : "400").isIn("1", "400");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
            var after = get("EIO=4&transport=polling&sid=" + sid, null);
            return after.statusCode() == 400 && JSON.readTree(after.body()).path("code").asInt() == 1;
        });
    }

    /** The CONNECT answer's first field, as it starts on the wire. */
    private static String connect(String packet, String origin) throws Exception {
        var sid = handshake(origin);
        post("EIO=4&transport=polling&sid=" + sid, packet);
        var answer = get("EIO=4&transport=polling&sid=" + sid, null).body();
        var comma = answer.indexOf(',', answer.indexOf("\"message\""));
        var code = answer.substring(0, comma < 0 ? answer.length() : comma);
        assertThat(answer).contains("\"data\":{");
        return code;
    }

    private static String handshake(String origin) throws Exception {
        var open = get("EIO=4&transport=polling", origin).body();
        return JSON.readTree(open.substring(1)).path("sid").asText();
    }

    private static int engineError(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("message").asText()).isNotEmpty();
        return body.path("code").asInt();
    }

    private static HttpResponse<String> get(String query, String origin) throws Exception {
        var request = HttpRequest.newBuilder(uri(query)).GET();
        if (origin != null) {
            request.header("Origin", origin);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String query, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(query)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "text/plain;charset=UTF-8").build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String query) {
        return server.uri().resolve("socket.io/?" + query);
    }
}
