package com.hirechat.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.OptionalInt;
import java.util.logging.Logger;

/**
 * Finds the embedded PostgreSQL another process of ours runs in a data directory, so that command-line work
 * (compliance exports, rebuilds) can run beside a local server instead of failing to start a second one; and clears
 * the pid file a crashed server left behind, so that a restart after any crash comes up by itself.
 */
final class RunningEmbeddedPostgres {

    private static final Logger LOG = Logger.getLogger(RunningEmbeddedPostgres.class.getName());
    /** Seconds to connect, log in and answer: a server of ours on this machine takes milliseconds. */
    private static final int PATIENCE_SECONDS = 2;

    private RunningEmbeddedPostgres() {
    }

    /**
     * The port of the live server of {@code directory}, if one runs. A pid file naming a process that is not that
     * server (the pid was given to another process after a crash) is removed: PostgreSQL would refuse to start
     * while that process lives.
     */
    static OptionalInt in(Path directory) {
        // postmaster.pid: line 1 the server's pid, line 4 its port (PostgreSQL's documented layout)
        var pidFile = directory.resolve("postmaster.pid");
        long pid;
        int port;
        try {
            var lines = Files.readAllLines(pidFile);
            if (lines.size() < 4) {
                return OptionalInt.empty(); // a server writing it right now, or none: PostgreSQL decides
            }
            pid = Long.parseLong(lines.get(0).strip());
            port = Integer.parseInt(lines.get(3).strip());
        } catch (IOException | NumberFormatException e) {
            return OptionalInt.empty();
        }
        var process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return OptionalInt.empty(); // left behind by a crash: PostgreSQL removes it when it starts
        }
        // a pid alone proves nothing after a crash: only the server itself, or its command line, can say it is ours
        if (answersFor(directory, port) || isPostmasterOf(process.get(), directory)) {
            return OptionalInt.of(port);
        }
        removeStale(pidFile, pid, port);
        return OptionalInt.empty();
    }

    /** Whether a PostgreSQL answers on the port and serves exactly this data directory. */
    private static boolean answersFor(Path directory, int port) {
        var url = "jdbc:postgresql://localhost:" + port + "/postgres?connectTimeout=" + PATIENCE_SECONDS
                + "&socketTimeout=" + PATIENCE_SECONDS + "&loginTimeout=" + PATIENCE_SECONDS
                + "&ApplicationName=hirechat-pid-check";
        try (var connection = DriverManager.getConnection(url, "postgres", "");
             var statement = connection.createStatement();
             var result = statement.executeQuery("SHOW data_directory")) {
            return result.next() && sameDirectory(Path.of(result.getString(1)), directory);
        } catch (SQLException e) {
            return false; // nothing listens, something else does, or it is another user's server
        }
    }

    /**
     * Whether the process is a PostgreSQL started on this directory ({@code postgres -D <directory> …}): ours, though
     * it does not answer (starting, shutting down, out of connections). A second server must never start then.
     */
    private static boolean isPostmasterOf(ProcessHandle process, Path directory) {
        var arguments = process.info().arguments().map(List::of).orElse(List.of());
        for (int i = 0; i + 1 < arguments.size(); i++) {
            if (arguments.get(i).equals("-D") && sameDirectory(Path.of(arguments.get(i + 1)), directory)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameDirectory(Path one, Path other) {
        try {
            return one.toRealPath().equals(other.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    private static void removeStale(Path pidFile, long pid, int port) {
        try {
            Files.deleteIfExists(pidFile);
            LOG.warning(() -> "removed the stale " + pidFile + " left by a crash: its process " + pid
                    + " is not this directory's PostgreSQL, and no PostgreSQL of this directory answers on port " + port);
        } catch (IOException e) {
            // PostgreSQL's own start-up then says why it cannot start
            LOG.warning(() -> "cannot remove the stale " + pidFile + ": " + e.getMessage());
        }
    }
}
