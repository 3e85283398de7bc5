package com.hirechat.infra;

import io.helidon.logging.common.LogConfig;

import com.hirechat.domain.DomainRuleViolation;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/**
 * Command line of the runnable jar. Not runnable itself: without a command it prints the usage to standard error and
 * exits with status 2, starting nothing (it used to start the server, with a data directory wherever it was run).
 */
@Command(name = "hirechat", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
        description = "Event-sourced real-time chat for a job board.",
        subcommands = {ServeCommand.class, ComplianceCommands.Replay.class, ComplianceCommands.Verify.class,
                ComplianceCommands.Export.class, ComplianceCommands.Transcript.class, ComplianceCommands.EraseUser.class,
                ComplianceCommands.RotateMasterKey.class, HoldCommands.Place.class, HoldCommands.Release.class,
                HoldCommands.ListHolds.class, HoldCommands.Run.class, HoldCommands.Runs.class, RebuildCommand.class})
public final class Main {

    public static void main(String[] args) {
        // first: the log manager is chosen once, when java.util.logging is first used; a class literal initialises nothing
        System.setProperty("java.util.logging.manager", ShutdownLogManager.class.getName());
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
}
