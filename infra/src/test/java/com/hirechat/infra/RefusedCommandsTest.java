package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.logging.SimpleFormatter;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Commands aimed at a conversation that does not exist are refused like any outsider's (403
 * {@code not_a_participant}) and cost the log at most one line each, never a stack trace: any signed-in user can
 * send them as fast as they like.
 */
class RefusedCommandsTest {

    private static ChatApplication app;
    private static ApiClient api;
    @RegisterExtension
    final LogCapture log = new LogCapture();

    @BeforeAll
    static void start() {
        app = TestServers.onFreshDatabase();
        api = new ApiClient(app.uri());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void everyHttpWriteToANonexistentConversationIs403AndLogsNoStackTrace() {
        var token = api.login("prober-" + UUID.randomUUID());
        var admin = api.loginWithRoles("moderator-" + UUID.randomUUID(), "admin");
        var path = "api/conversations/" + UUID.randomUUID();
        var message = UUID.randomUUID();

        var answers = List.of(
                api.post(path + "/messages", token, "{\"clientMessageId\":\"c-1\",\"text\":\"hello?\"}"),
                api.patch(path + "/messages/" + message, token, "{\"text\":\"edited\"}"),
                api.delete(path + "/messages/" + message, token),
                // an admin may remove messages anywhere, so this one reaches the write side itself
                api.delete(path + "/messages/" + message, admin),
                api.post(path + "/read", token, "{\"upToSeq\":0}"),
                api.post(path + "/jobs", token, "{\"id\":\"job-1\",\"title\":\"Java\"}"),
                api.post(path + "/participants", token, "{\"userId\":\"someone\"}"),
                api.delete(path + "/participants/someone", token));

        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.status()).as(answer.toString()).isEqualTo(403);
            assertThat(answer.errorCode()).as(answer.toString()).isEqualTo("not_a_participant");
        });
        assertOneLineEachAtMost(answers.size());
    }

    @Test
    void everyWebSocketWriteToANonexistentConversationIsRefusedAndLogsNoStackTrace() {
        var token = api.login("prober-" + UUID.randomUUID());
        var admin = api.loginWithRoles("moderator-" + UUID.randomUUID(), "admin");
        var conversation = UUID.randomUUID().toString();
        var message = UUID.randomUUID();
        var frames = List.of(
                "{\"type\":\"send\",\"conversationId\":\"" + conversation + "\",\"clientMessageId\":\"c-1\",\"text\":\"hi\"}",
                "{\"type\":\"edit\",\"conversationId\":\"" + conversation + "\",\"messageId\":\"" + message
                        + "\",\"text\":\"edited\",\"requestId\":\"r-edit\"}",
                "{\"type\":\"redact\",\"conversationId\":\"" + conversation + "\",\"messageId\":\"" + message
                        + "\",\"requestId\":\"r-redact\"}",
                "{\"type\":\"read\",\"conversationId\":\"" + conversation + "\",\"upToSeq\":0,\"requestId\":\"r-read\"}",
                "{\"type\":\"subscribe\",\"conversationId\":\"" + conversation + "\"}",
                "{\"type\":\"typing\",\"conversationId\":\"" + conversation + "\"}");
        for (var socketToken : List.of(token, admin)) {
            try (var socket = WsClient.connect(api.base(), socketToken)) {
                for (var frame : frames) {
                    socket.clear();
                    socket.send(frame);
                    assertThat(socket.awaitType("error").path("code").asText()).as(frame).isEqualTo("not_a_participant");
                }
            }
        }
        assertOneLineEachAtMost(2 * frames.size());
    }

    private void assertOneLineEachAtMost(int refusals) {
        var formatter = new SimpleFormatter();
        assertThat(log.records()).allSatisfy(record -> {
            assertThat(record.getThrown()).as(record.getLoggerName() + ": " + record.getMessage()).isNull();
            assertThat(formatter.formatMessage(record)).as(record.getLoggerName()).doesNotContain("\n");
        });
        // the product's logging.properties silences Axon's gateway, which tests do not load: one line each then
        assertThat(log.warnings().stream())
                .hasSizeLessThanOrEqualTo(refusals);
    }
}
