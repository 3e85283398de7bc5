package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar's command line without a command, run as its own process. */
class CommandLineTest {

    @Test
    void withoutACommandItPrintsTheUsageAndStartsNothing(@TempDir Path workingDirectory) throws Exception {
        var run = JarCommand.run(Map.of(), workingDirectory);

        assertThat(run.exit()).as(run.output()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).contains("Missing required subcommand").contains("Usage: hirechat")
                .contains("serve").contains("replay").doesNotContain("HireChat is running")
                .doesNotContain("starting embedded PostgreSQL");
        // it used to serve, with an embedded database in ./data
        try (var left = Files.list(workingDirectory)) {
            assertThat(left).as("files made in the working directory").isEmpty();
        }
    }
}
