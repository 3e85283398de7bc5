package com.hirechat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void medianOfOddAndEvenCountsIgnoringNaN() {
        assertThat(Stats.median(new double[] {3, 1, 2})).isEqualTo(2.0);
        assertThat(Stats.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(Stats.median(new double[] {Double.NaN, 5})).isEqualTo(5.0);
        assertThat(Stats.median(new double[0])).isNaN();
    }

    @Test
    void spreadIsTheRangeOverTheMedian() {
        assertThat(Stats.spreadPercent(new double[] {90, 100, 110})).isEqualTo(20.0);
    }

    @Test
    void medianIndexPointsAtTheMiddleRun() {
        assertThat(Stats.medianIndex(new double[] {30, 10, 20})).isEqualTo(2);
    }
}
