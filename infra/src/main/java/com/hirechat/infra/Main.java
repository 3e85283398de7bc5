package com.hirechat.infra;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.helidon.logging.common.LogConfig;

import com.hirechat.domain.DomainRuleViolation;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/** Command line of the runnable jar. */
@Command(name = "hirechat", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
        description = "Event-sourced real-time chat for a job board.",
        subcommands = {Main.Serve.class, ComplianceCommands.Replay.class, ComplianceCommands.Verify.class,
                ComplianceCommands.Export.class, ComplianceCommands.Transcript.class, RebuildCommand.class})
public final class Main implements Callable<Integer> {

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        var commandLine = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler((failure, line, parsed) -> {
            if (failure instanceof ConfigException) {
                line.getErr().println("configuration error: " + failure.getMessage());
                return 2;
            }
            if (failure instanceof DomainRuleViolation invalid) {
                line.getErr().println("invalid argument: " + invalid.getMessage());
                return 2;
            }
            if (failure instanceof RebuildException rebuild) {
                line.getErr().println("rebuild failed: " + rebuild.getMessage());
                return 1;
            }
            if (failure instanceof StartupException) {
                // what was unreachable and which variable points at it; a stack trace would add nothing
                line.getErr().println("start-up error: " + failure.getMessage());
                return 1;
            }
            throw failure;
        });
        System.exit(commandLine.execute(args));
    }

    @Override
    public Integer call() {
        // no sub-command: serve, the common case
        return new Serve().call();
    }

    /** Runs the server until the process is stopped. */
    @Command(name = "serve", description = "Run the chat server (embedded PostgreSQL unless HIRECHAT_JDBC_URL is set).")
    static final class Serve implements Callable<Integer> {

        private static final Duration SHUTDOWN_PATIENCE = Duration.ofSeconds(15);

        @Override
        public Integer call() {
            var application = ChatApplication.start(AppConfig.fromEnvironment());
            var stopped = new CountDownLatch(1);
            // SIGTERM (and Ctrl+C) drain the node instead of dropping what is in flight
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                application.shutdown(SHUTDOWN_PATIENCE);
                stopped.countDown();
            }, "shutdown"));
            System.out.println("HireChat is running: open " + application.uri());
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }
    }
}
