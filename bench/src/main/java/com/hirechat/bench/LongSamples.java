package com.hirechat.bench;

import java.util.Arrays;

/** A growable array of samples that many threads append to (appends are rare enough for one lock). */
final class LongSamples {

    private long[] values = new long[1024];
    private int size;

    synchronized void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    synchronized long[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
