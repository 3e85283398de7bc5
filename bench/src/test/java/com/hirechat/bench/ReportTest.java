package com.hirechat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ReportTest {

    private static RunResult run(String scenario, String system, String variant, int run, Map<String, Double> figures) {
        var integrity = new Recorder.Integrity(100, 0, 0, 0, 0, 0, 0, 0, Map.of());
        return new RunResult(scenario, system, variant, run, figures, integrity);
    }

    @Test
    void throughputTableShowsMediansRangesAndRatiosToEachPeer() {
        var runs = List.of(
                run("a", PgbenchScenario.LABEL, "c=1", 1, Map.of("throughput", 3000.0)),
                run("a", PgbenchScenario.LABEL, "c=1", 2, Map.of("throughput", 3400.0)),
                run("a", PgbenchScenario.LABEL, "c=1", 3, Map.of("throughput", 3200.0)),
                run("a", Report.HIRECHAT, "c=1", 1, Map.of("throughput", 1600.0)),
                run("a", Report.SOCKETIO, "c=1", 1, Map.of("throughput", 800.0)));
        var environment = new LinkedHashMap<String, String>();
        environment.put("runs", "3");

        var markdown = new Report(runs, environment, "## Where the time goes\n\nsomewhere").render();

        assertThat(markdown).contains("| c=1 | 3,200 [3,000–3,400] | 1,600 | 800 | — | 0.50× | 2.00× | — |");
        assertThat(markdown).contains("| throughput ≥ 0.5 × pgbench single-row inserts (c=1) | 1,600 msg/s = 0.50 × pgbench's 3,200/s | **met** |");
        assertThat(markdown).contains("| catch-up of 10,000 missed messages ≤ 1 s | not measured | — |");
        assertThat(markdown).endsWith("## Where the time goes\n\nsomewhere\n\n");
    }

    @Test
    void ratiosOfMissingFiguresAreDashes() {
        assertThat(Report.ratio(1, Double.NaN)).isEqualTo("—");
        assertThat(Report.ratio(3, 2)).isEqualTo("1.50×");
    }
}
