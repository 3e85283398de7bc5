package com.hirechat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** CPU time and memory of processes, read from /proc (Linux only, like the benchmark script). */
final class ProcStats {

    /** Clock ticks per second of /proc/<pid>/stat; 100 on every Linux this runs on (getconf CLK_TCK). */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcStats() {
    }

    /** utime + stime of the process, in seconds; 0 when it is gone. */
    static double cpuSeconds(long pid) {
        try {
            var stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) may contain spaces: count fields after its closing parenthesis
            var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * CPU seconds of {@code parent} and all its children, live or ended (PostgreSQL's postmaster and backends):
     * the live children's own time plus the parent's cutime + cstime, where an ended child's time goes.
     */
    static double childrenCpuSeconds(long parent) {
        var total = 0.0;
        for (var pid : children(parent)) {
            total += cpuSeconds(pid);
        }
        return total + cpuSeconds(parent) + endedChildrenCpuSeconds(parent);
    }

    private static double endedChildrenCpuSeconds(long pid) {
        try {
            var stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static List<Long> children(long parent) {
        var result = new ArrayList<Long>();
        try (var entries = Files.list(Path.of("/proc"))) {
            for (var entry : (Iterable<Path>) entries::iterator) {
                var name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    var stat = Files.readString(entry.resolve("stat"));
                    var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (Long.parseLong(fields[1]) == parent) {
                        result.add(Long.parseLong(name));
                    }
                } catch (IOException | RuntimeException e) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException e) {
            return result;
        }
        return result;
    }

    /** A /proc/<pid>/status field in KiB (VmHWM: peak resident memory; VmRSS: current); -1 when unknown. */
    static long statusKib(long pid, String field) {
        try {
            for (var line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").strip());
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Resets VmHWM to the current RSS so the next peak is this run's own (clear_refs 5; best effort). */
    static void resetPeak(long pid) {
        try {
            Files.writeString(Path.of("/proc", Long.toString(pid), "clear_refs"), "5");
        } catch (IOException | RuntimeException e) {
            // not permitted: the peak then covers the process's whole life, which the report says
        }
    }

    /** CPU and memory over a measured window. */
    record Window(long pid, long postmasterPid, long startNanos, double startCpu, double startDbCpu) {
        static Window start(long pid, long postmasterPid) {
            resetPeak(pid);
            return new Window(pid, postmasterPid, System.nanoTime(), pid > 0 ? cpuSeconds(pid) : 0,
                    postmasterPid > 0 ? childrenCpuSeconds(postmasterPid) : 0);
        }

        Usage stop() {
            var seconds = (System.nanoTime() - startNanos) / 1e9;
            var cpu = pid > 0 ? (cpuSeconds(pid) - startCpu) / seconds : Double.NaN;
            var dbCpu = postmasterPid > 0 ? (childrenCpuSeconds(postmasterPid) - startDbCpu) / seconds : Double.NaN;
            return new Usage(cpu, dbCpu, pid > 0 ? statusKib(pid, "VmHWM") / 1024.0 : Double.NaN);
        }
    }

    /** Cores used by the server and by PostgreSQL, and the server's peak RSS in MiB. */
    record Usage(double serverCores, double dbCores, double peakRssMib) {
    }
}
