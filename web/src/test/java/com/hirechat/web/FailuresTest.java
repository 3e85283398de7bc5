package com.hirechat.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.hirechat.domain.DomainError;
import com.hirechat.domain.DomainRuleViolation;

/** Every rule the domain can break reaches HTTP clients with the status docs/api.md lists its code under. */
class FailuresTest {

    private static final Pattern STATUS_ROW = Pattern.compile("(?m)^\\| (\\d{3}) \\| (.*) \\|$");
    private static final Pattern CODE = Pattern.compile("`([a-z_]+)`");

    /** The status table of docs/api.md: code → status. */
    private static Map<String, Integer> documentedStatuses() throws Exception {
        var statuses = new HashMap<String, Integer>();
        var rows = STATUS_ROW.matcher(Files.readString(Path.of("..", "docs", "api.md")));
        while (rows.find()) {
            var codes = CODE.matcher(rows.group(2));
            while (codes.find()) {
                statuses.put(codes.group(1), Integer.parseInt(rows.group(1)));
            }
        }
        return statuses;
    }

    @Test
    void everyDomainErrorHasTheStatusApiMdListsItUnder() throws Exception {
        var documented = documentedStatuses();
        for (var error : DomainError.values()) {
            var described = Failures.describe(new DomainRuleViolation(error, "refused"));
            assertThat(described.code()).isEqualTo(error.code());
            assertThat(documented).as("api.md lists " + error.code()).containsKey(error.code());
            assertThat(described.status()).as(error.code()).isEqualTo(documented.get(error.code()));
        }
    }

    @Test
    void refusalsOfPermissionAre403AndOfInputAre400() {
        assertThat(Failures.status(DomainError.NOT_ALLOWED)).isEqualTo(403);
        assertThat(Failures.status(DomainError.NOT_A_PARTICIPANT)).isEqualTo(403);
        assertThat(Failures.status(DomainError.EMPTY_TEXT)).isEqualTo(400);
    }
}
