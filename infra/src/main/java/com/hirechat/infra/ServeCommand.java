package com.hirechat.infra;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the server until it is asked to stop, then drains it and exits with status 0. */
@Command(name = "serve", description = "Run the chat server (embedded PostgreSQL unless HIRECHAT_JDBC_URL is set).")
final class ServeCommand implements Callable<Integer> {

    private static final Duration SHUTDOWN_PATIENCE = Duration.ofSeconds(15);

    @Option(names = "--stop-with-parent", description = "Also stop (gracefully) when the process that started this one "
            + "ends. For `mvn -Pserve`: Maven, when killed, leaves the server it started running.")
    boolean stopWithParent;

    @Override
    public Integer call() {
        var application = ChatApplication.start(AppConfig.fromEnvironment());
        var stop = new GracefulStop(application);
        var stopRequested = new CountDownLatch(1);
        // a shutdown that is not one of our signals (SIGHUP, a signal the JVM kept) still drains, in the JVM's hook
        ShutdownLogManager.holdThroughShutdown();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.run();
            ShutdownLogManager.release();
        }, "shutdown"));
        StopSignals.handle(stopRequested::countDown);
        if (stopWithParent) {
            ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(stopRequested::countDown));
        }
        System.out.println("HireChat is running: " + application.address().howToOpen());
        try {
            stopRequested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // drained and stopped before the JVM begins to exit, so every line of it is logged and the exit status is 0
        stop.run();
        return 0;
    }

    /** Stops the application once, whoever asks first; a second caller waits until it has stopped. */
    private static final class GracefulStop {

        private final ChatApplication application;
        private boolean stopped;

        GracefulStop(ChatApplication application) {
            this.application = application;
        }

        synchronized void run() {
            if (!stopped) {
                stopped = true;
                application.shutdown(SHUTDOWN_PATIENCE);
            }
        }
    }
}
