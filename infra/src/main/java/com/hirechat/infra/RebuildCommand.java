package com.hirechat.infra;

import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import com.hirechat.projections.Projection;

import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Rebuilds projections from the event store beside the live tables, with progress, then switches over. */
@Command(name = "rebuild", description = "Rebuild projections from the event store into shadow tables while the "
        + "server keeps serving the live ones, then switch the live tables over in one transaction (reads go on; "
        + "writes wait a moment).")
final class RebuildCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PROJECTION", arity = "0..*",
            description = "Which: participants, history, contacts, directory, analytics (default: all).")
    List<String> projections;

    @Option(names = "--no-switch", description = "Only build the shadow tables (schemas rebuild_public, "
            + "rebuild_analytics) and keep them for inspection; the live tables stay as they are.")
    boolean noSwitch;

    @Override
    public Integer call() {
        var chosen = chosen();
        try (var record = OfflineRecord.open(AppConfig.fromEnvironment());
             var rebuild = ProjectionRebuild.prepare(record.database(), record.axon(), chosen)) {
            var head = rebuild.head();
            var started = System.nanoTime();
            try (var bar = new ProgressBarBuilder().setTaskName("rebuild").setInitialMax(Math.max(head, 0))
                    .setStyle(ProgressBarStyle.ASCII).setUnit(" events", 1).showSpeed().build()) {
                rebuild.catchUp(head, bar::stepTo);
                bar.maxHint(rebuild.applied());
            }
            var seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("rebuilt %s from %d events in %.1f s (%.0f events/s)%n", names(chosen),
                    rebuild.applied(), seconds, rebuild.applied() / Math.max(seconds, 1e-9));
            if (noSwitch) {
                System.out.println("live tables unchanged; rebuilt tables kept: " + String.join(", ", rebuild.shadowTables()));
                return 0;
            }
            var switched = rebuild.switchOver();
            System.out.println("switched over: " + switched.rows().entrySet().stream()
                    .map(entry -> entry.getKey() + " (" + entry.getValue() + " rows)")
                    .collect(Collectors.joining(", "))
                    + "; writes to them waited " + switched.writesBlocked().toMillis() + " ms, reads went on");
            return 0;
        }
    }

    private EnumSet<Projection> chosen() {
        if (projections == null || projections.isEmpty()) {
            return EnumSet.allOf(Projection.class);
        }
        var chosen = EnumSet.noneOf(Projection.class);
        for (var name : projections) {
            chosen.add(Projection.named(name).orElseThrow(() -> new ParameterException(spec.commandLine(),
                    "unknown projection '" + name + "': choose from " + names(EnumSet.allOf(Projection.class)))));
        }
        return chosen;
    }

    private static String names(EnumSet<Projection> chosen) {
        return chosen.stream().map(projection -> projection.cliName()).collect(Collectors.joining(", "));
    }
}
