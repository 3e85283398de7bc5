package com.hirechat.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * Finds the embedded PostgreSQL another process of ours runs in a data directory, so that command-line work
 * (compliance exports, rebuilds) can run beside a local server instead of failing to start a second one.
 */
final class RunningEmbeddedPostgres {

    private RunningEmbeddedPostgres() {
    }

    /** The port of the live server of {@code directory}, if one runs. */
    static OptionalInt in(Path directory) {
        // postmaster.pid: line 1 the server's pid, line 4 its port (PostgreSQL's documented layout)
        var pidFile = directory.resolve("postmaster.pid");
        try {
            var lines = Files.readAllLines(pidFile);
            if (lines.size() < 4) {
                return OptionalInt.empty();
            }
            var pid = Long.parseLong(lines.get(0).trim());
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                return OptionalInt.of(Integer.parseInt(lines.get(3).trim()));
            }
            return OptionalInt.empty(); // left behind by a crash: starting the server cleans it up
        } catch (IOException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
