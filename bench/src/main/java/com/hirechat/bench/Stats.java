package com.hirechat.bench;

import java.util.Arrays;

/** Medians and spreads over repeated runs. */
final class Stats {

    private Stats() {
    }

    /** The median of the finite values (the mean of the middle two for an even count); NaN when none. */
    static double median(double[] values) {
        var finite = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        if (finite.length == 0) {
            return Double.NaN;
        }
        var middle = finite.length / 2;
        return finite.length % 2 == 1 ? finite[middle] : (finite[middle - 1] + finite[middle]) / 2;
    }

    static double min(double[] values) {
        return Arrays.stream(values).filter(Double::isFinite).min().orElse(Double.NaN);
    }

    static double max(double[] values) {
        return Arrays.stream(values).filter(Double::isFinite).max().orElse(Double.NaN);
    }

    /** Spread as (max - min) / median, in percent: how noisy the repetitions were. */
    static double spreadPercent(double[] values) {
        var median = median(values);
        return median == 0 || !Double.isFinite(median) ? Double.NaN : 100 * (max(values) - min(values)) / Math.abs(median);
    }

    /** The index of the run whose value is the (lower) median, so its samples can stand for the set. */
    static int medianIndex(double[] values) {
        var order = new Integer[values.length];
        for (var i = 0; i < values.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
        return order[(values.length - 1) / 2];
    }
}
