package com.hirechat.bench;

import java.util.Arrays;

/** A sorted set of latency samples in nanoseconds, with nearest-rank percentiles. */
public final class Latencies {

    private final long[] sorted;

    private Latencies(long[] sorted) {
        this.sorted = sorted;
    }

    /** Copies and sorts the samples. */
    public static Latencies of(long[] samples) {
        var copy = samples.clone();
        Arrays.sort(copy);
        return new Latencies(copy);
    }

    public int count() {
        return sorted.length;
    }

    /**
     * The nearest-rank percentile: the smallest sample with at least {@code percent}% of all samples at or
     * below it (so p100 is the maximum); NaN when there are no samples.
     */
    public double percentileMillis(double percent) {
        if (percent <= 0 || percent > 100) {
            throw new IllegalArgumentException("percent must be in (0, 100], was " + percent);
        }
        if (sorted.length == 0) {
            return Double.NaN;
        }
        // ceil(p/100 * n) as a 1-based rank; the epsilon keeps 99.9% of 1000 at rank 999, not 1000
        var rank = (int) Math.ceil(percent / 100.0 * sorted.length - 1e-9);
        return sorted[Math.max(rank, 1) - 1] / 1e6;
    }

    public double maxMillis() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6;
    }

    /** p50, p99, p99.9 and max, the figures the report shows. */
    public Summary summary() {
        return new Summary(count(), percentileMillis(50), percentileMillis(99), percentileMillis(99.9), maxMillis());
    }

    /** Latency figures of one run, in milliseconds. */
    public record Summary(int count, double p50, double p99, double p999, double max) {
        public static final Summary EMPTY = new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
}
