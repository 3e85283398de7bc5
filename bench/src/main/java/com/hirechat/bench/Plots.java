package com.hirechat.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's PNG plots, drawn with XChart (headless). */
final class Plots {

    /** Percentiles on the x axis, spaced by "nines" so the tail gets as much room as the median. */
    private static final double[] PERCENTILES = {50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 100};

    private Plots() {
    }

    /** A latency percentile curve per system (log-scale ms over 50th … 99.99th percentile and max). */
    static void percentiles(Path file, String title, Map<String, long[]> samplesBySystem) throws IOException {
        var chart = new XYChartBuilder().width(900).height(500).title(title)
                .xAxisTitle("percentile, as nines: 0.3 = p50, 1 = p90, 2 = p99, 3 = p99.9, 4 = p99.99, 5 = max")
                .yAxisTitle("latency, ms (log scale)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(nines(100));
        for (var entry : samplesBySystem.entrySet()) {
            var latencies = Latencies.of(entry.getValue());
            if (latencies.count() == 0) {
                continue;
            }
            var xs = new ArrayList<Double>();
            var ys = new ArrayList<Double>();
            for (var p : PERCENTILES) {
                xs.add(nines(p));
                // a log axis cannot show 0: sub-microsecond values are drawn at 1 µs
                ys.add(Math.max(latencies.percentileMillis(p), 0.001));
            }
            chart.addSeries(entry.getKey(), xs, ys).setMarker(SeriesMarkers.CIRCLE);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** Position on the axis: the number of nines, log10(100 / (100 - p)): p90 at 1, p99 at 2, …; max at 5. */
    static double nines(double percentile) {
        return percentile >= 100 ? 5 : Math.log10(100 / (100 - percentile));
    }

    /** Durable messages/s per system at each concurrency. */
    static void throughput(Path file, List<String> variants, Map<String, List<Double>> bySystem) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500)
                .title("(a) durable messages/s, closed loop (median of runs)")
                .xAxisTitle("concurrency").yAxisTitle("messages (rows) per second").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setDecimalPattern("#,##0");
        for (var entry : bySystem.entrySet()) {
            var values = entry.getValue().stream().map(v -> Double.isFinite(v) ? v : 0.0).toList();
            chart.addSeries(entry.getKey(), variants, values);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
