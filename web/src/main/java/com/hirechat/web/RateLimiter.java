package com.hirechat.web;

import java.util.concurrent.ConcurrentHashMap;

import com.hirechat.domain.UserId;

/** A token bucket per user: a steady rate of writes with room for a short burst. Counts on this node only. */
final class RateLimiter {

    private static final int FORGET_IDLE_ABOVE = 100_000;

    private final double tokensPerNano;
    private final double burst;
    private final ConcurrentHashMap<UserId, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        private double tokens;
        private long refilledAt;

        private Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }
    }

    RateLimiter(double perSecond, int burst) {
        this.tokensPerNano = perSecond / 1_000_000_000d;
        this.burst = burst;
    }

    /** Takes one token for the user, or throws {@code rate_limited} when their bucket is empty. */
    void acquire(UserId user) {
        var now = System.nanoTime();
        var bucket = buckets.computeIfAbsent(user, u -> new Bucket(burst, now));
        synchronized (bucket) {
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.refilledAt) * tokensPerNano);
            bucket.refilledAt = now;
            if (bucket.tokens < 1) {
                throw new ApiException(429, "rate_limited", "too many messages; slow down");
            }
            bucket.tokens -= 1;
        }
        if (buckets.size() > FORGET_IDLE_ABOVE) {
            forgetFullBuckets(now);
        }
    }

    // a full bucket is the same as no bucket: dropping it bounds memory without changing any decision
    private void forgetFullBuckets(long now) {
        buckets.values().removeIf(bucket -> {
            synchronized (bucket) {
                return bucket.tokens + (now - bucket.refilledAt) * tokensPerNano >= burst;
            }
        });
    }
}
