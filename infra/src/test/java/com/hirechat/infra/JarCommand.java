package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.hirechat.projections.TestDatabase;

/** Runs the jar's command line as its own process against a test database, as an operator would. */
final class JarCommand {

    /** Exit code and what the process printed on standard output and on standard error, kept apart. */
    record Run(int exit, String stdout, String stderr) {

        /** Everything it printed, standard output first. */
        String output() {
            return stdout + stderr;
        }
    }

    private JarCommand() {
    }

    static Run run(TestDatabase.Coordinates database, String... arguments) throws Exception {
        return run(Map.of(
                "HIRECHAT_JDBC_URL", database.jdbcUrl(),
                "HIRECHAT_JDBC_USER", database.user(),
                "HIRECHAT_JDBC_PASSWORD", database.password(),
                "HIRECHAT_TOKEN_SECRET", TestServers.TOKEN_SECRET,
                "HIRECHAT_MASTER_KEY", TestKeys.MASTER_BASE64), null, arguments);
    }

    /** The command with only {@code settings} among the HIRECHAT_ variables, in {@code workingDirectory} (null: ours). */
    static Run run(Map<String, String> settings, Path workingDirectory, String... arguments) throws Exception {
        return runCommand(command(arguments), settings, workingDirectory);
    }

    /** Any command, run as {@link #run(Map, Path, String...)} runs the jar's. */
    static Run runCommand(List<String> command, Map<String, String> settings) throws Exception {
        return runCommand(command, settings, null);
    }

    private static Run runCommand(List<String> command, Map<String, String> settings, Path workingDirectory)
            throws Exception {
        var builder = new ProcessBuilder(command).directory(workingDirectory == null ? null
                : workingDirectory.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("HIRECHAT_"));
        builder.environment().putAll(settings);
        var stdout = Files.createTempFile("hirechat-stdout", ".txt");
        var stderr = Files.createTempFile("hirechat-stderr", ".txt");
        try {
            var process = builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            try {
                assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the command ends").isTrue();
            } finally {
                process.destroyForcibly();
            }
            return new Run(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
        } finally {
            delete(stdout);
            delete(stderr);
        }
    }

    /** {@code java} running {@link Main} with this JVM's class path and the given arguments. */
    static List<String> command(String... arguments) {
        var command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(arguments));
        return command;
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
