package com.hirechat.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void nearestRankPercentilesOfOneToAThousandMilliseconds() {
        var latencies = Latencies.of(LongStream.rangeClosed(1, 1000).map(ms -> ms * 1_000_000).toArray());

        assertThat(latencies.percentileMillis(50)).isEqualTo(500.0);
        assertThat(latencies.percentileMillis(99)).isEqualTo(990.0);
        assertThat(latencies.percentileMillis(99.9)).isEqualTo(999.0);
        assertThat(latencies.percentileMillis(100)).isEqualTo(1000.0);
        assertThat(latencies.maxMillis()).isEqualTo(1000.0);
    }

    @Test
    void unsortedInputIsSortedAndASingleSampleIsEveryPercentile() {
        var latencies = Latencies.of(new long[] {3_000_000, 1_000_000, 2_000_000});
        assertThat(latencies.percentileMillis(50)).isEqualTo(2.0);

        var single = Latencies.of(new long[] {7_000_000});
        assertThat(single.summary()).isEqualTo(new Latencies.Summary(1, 7.0, 7.0, 7.0, 7.0));
    }

    @Test
    void noSamplesGiveNaNAndPercentilesOutsideTheRangeAreRefused() {
        assertThat(Latencies.of(new long[0]).percentileMillis(99)).isNaN();
        assertThatThrownBy(() -> Latencies.of(new long[] {1}).percentileMillis(0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
