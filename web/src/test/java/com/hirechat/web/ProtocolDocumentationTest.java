package com.hirechat.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * docs/protocol.md lists exactly the codes the WebSocket endpoint can send: error frames, refused upgrades (with
 * their statuses) and close codes. A code added on either side alone fails here.
 */
class ProtocolDocumentationTest {

    private static final String PROTOCOL = read(Path.of("docs", "protocol.md"));

    @Test
    void theErrorCodeTableListsExactlyTheCodesAnErrorFrameCanCarry() {
        var documented = firstColumn(section("Error codes"));
        assertThat(new TreeSet<>(documented)).as("codes in docs/protocol.md, section Error codes")
                .isEqualTo(new TreeSet<>(SocketErrors.FRAME_CODES));
        assertThat(documented).as("each listed once").doesNotHaveDuplicates();
    }

    @Test
    void theRefusedUpgradesTableListsExactlyTheCodesAndStatusesAnUpgradeCanBeRefusedWith() {
        var documented = new TreeMap<String, Integer>();
        for (var row : rows(section("Refused upgrades"))) {
            assertThat(documented.put(unquote(row.get(1)), Integer.parseInt(row.get(0)))).as("listed once").isNull();
        }
        assertThat(documented).isEqualTo(new TreeMap<>(SocketErrors.UPGRADE_CODES));
    }

    @Test
    void theCloseCodeTableListsExactlyTheCloseCodesTheServerSends() {
        var documented = firstColumn(section("Close codes")).stream().map(Integer::parseInt).toList();
        var sent = Arrays.stream(CloseCode.values()).map(CloseCode::code).collect(Collectors.toSet());
        assertThat(new TreeSet<>(documented)).isEqualTo(new TreeSet<>(sent));
        assertThat(documented).doesNotHaveDuplicates();
    }

    @Test
    void theSocketIoEventErrorTableListsExactlyTheCodesAnEventCanBeRefusedWith() {
        var documented = firstColumn(section("Socket.IO event errors"));
        assertThat(new TreeSet<>(documented)).isEqualTo(new TreeSet<>(SocketErrors.SOCKET_IO_CODES));
        assertThat(documented).doesNotHaveDuplicates();
    }

    @Test
    void theSocketIoConnectErrorTableListsExactlyTheCodesAConnectCanBeRefusedWith() {
        var documented = firstColumn(section("Socket.IO connect errors"));
        assertThat(new TreeSet<>(documented)).isEqualTo(new TreeSet<>(SocketIoChat.CONNECT_CODES));
        assertThat(documented).doesNotHaveDuplicates();
    }

    @Test
    void aRefusalWithAnUndocumentedCodeReachesTheClientAsAnInternalError() {
        var documented = new ApiException(400, "bad_json", "not valid JSON");
        assertThat(SocketErrors.frameError(documented)).isSameAs(documented);
        assertThat(SocketErrors.frameError(new ApiException(400, "not_a_group", "HTTP only")).code())
                .isEqualTo("internal_error");
        var refusal = new ApiException(401, "invalid_token", "the token is invalid or expired");
        assertThat(SocketErrors.upgradeRefusal(refusal)).isSameAs(refusal);
        assertThat(SocketErrors.upgradeRefusal(new ApiException(403, "invalid_token", "wrong status")).status())
                .isEqualTo(500);
    }

    /** The text under the level-2 heading {@code title}, up to the next level-2 heading. */
    private static String section(String title) {
        var start = PROTOCOL.indexOf("\n## " + title + "\n");
        assertThat(start).as("docs/protocol.md has a section '%s'", title).isNotNegative();
        var end = PROTOCOL.indexOf("\n## ", start + 1);
        return PROTOCOL.substring(start, end < 0 ? PROTOCOL.length() : end);
    }

    /** The body rows of the section's first table, cell by cell, without the header and its separator. */
    private static List<List<String>> rows(String section) {
        var lines = section.lines().filter(line -> line.startsWith("|")).toList();
        assertThat(lines).as("a table with a header and rows").hasSizeGreaterThan(2);
        return lines.stream().skip(2)
                .map(line -> Arrays.stream(line.substring(1).split("\\|")).map(String::strip).toList())
                .toList();
    }

    private static List<String> firstColumn(String section) {
        return rows(section).stream().map(row -> unquote(row.get(0))).toList();
    }

    private static String unquote(String cell) {
        assertThat(cell).as("a code in backticks").matches("`[a-z0-9_]+`");
        return cell.substring(1, cell.length() - 1);
    }

    private static String read(Path relative) {
        // tests run in the module's directory; the docs are at the project's root
        for (var dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(relative))) {
                try {
                    return Files.readString(dir.resolve(relative));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
    }
}
