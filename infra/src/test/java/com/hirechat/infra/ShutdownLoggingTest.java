package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;
import java.util.stream.IntStream;

import io.helidon.logging.common.LogConfig;

import org.junit.jupiter.api.Test;

/**
 * Logging from a shutdown hook, in a JVM of its own: {@code java.util.logging}'s own hook resets it at the same time,
 * after which lines went nowhere, unless {@link ShutdownLogManager} holds it.
 */
class ShutdownLoggingTest {

    private static final int LINES = 40;

    @Test
    void aShutdownHookLogsEveryLineThoughTheJvmIsExiting() throws Exception {
        var run = new java.util.ArrayList<>(JarCommand.command());
        run.set(run.size() - 1, Probe.class.getName()); // Main's place: the same class path, the probe's main
        var process = JarCommand.runCommand(run, Map.of());

        assertThat(process.exit()).as(process.output()).isZero();
        assertThat(process.stderr().lines().filter(line -> line.contains("draining step")).count())
                .as("stdout: %s%nstderr: %s", process.stdout(), process.stderr()).isEqualTo(LINES);
        assertThat(process.stderr().lines().toList()).first().asString().endsWith("started");
        assertThat(process.stderr().lines().toList()).last().asString().endsWith("stopped");
    }

    /** A program whose shutdown hook logs for a while, as a drain does, with logging set up as {@link Main} does. */
    static final class Probe {

        public static void main(String[] args) {
            if (args.length == 0) { // an argument: without the manager, to see the test fail without it
                System.setProperty("java.util.logging.manager", ShutdownLogManager.class.getName());
            }
            LogConfig.configureRuntime();
            var log = Logger.getLogger(Probe.class.getName());
            log.info("started"); // the handlers exist from the first line on, as in a server that ran
            ShutdownLogManager.holdThroughShutdown();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                IntStream.rangeClosed(1, LINES).forEach(step -> {
                    log.info("draining step " + step);
                    // spread over ~0.4 s, as a drain's lines are: JUL's hook resets it within the first of them
                    LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
                });
                log.info("stopped");
                ShutdownLogManager.release();
            }));
            System.exit(0);
        }
    }
}
