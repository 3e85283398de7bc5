package com.hirechat.infra;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine.Command;

/** Runs the server until the process is stopped. */
@Command(name = "serve", description = "Run the chat server (embedded PostgreSQL unless HIRECHAT_JDBC_URL is set).")
final class ServeCommand implements Callable<Integer> {

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
        System.out.println("HireChat is running: " + application.address().howToOpen());
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
