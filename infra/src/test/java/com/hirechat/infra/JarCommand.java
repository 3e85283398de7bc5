package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.hirechat.projections.TestDatabase;

/** Runs the jar's command line as its own process against a test database, as an operator would. */
final class JarCommand {

    /** Exit code and everything the process printed (standard output and error). */
    record Run(int exit, String output) {
    }

    private JarCommand() {
    }

    static Run run(TestDatabase.Coordinates database, String... arguments) throws Exception {
        var command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(arguments));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("HIRECHAT_JDBC_URL", database.jdbcUrl());
        builder.environment().put("HIRECHAT_JDBC_USER", database.user());
        builder.environment().put("HIRECHAT_JDBC_PASSWORD", database.password());
        builder.environment().put("HIRECHAT_TOKEN_SECRET", TestServers.TOKEN_SECRET);
        var process = builder.start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the command ends").isTrue();
        return new Run(process.exitValue(), output);
    }
}
