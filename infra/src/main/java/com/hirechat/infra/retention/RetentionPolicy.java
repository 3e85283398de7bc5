package com.hirechat.infra.retention;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import com.hirechat.domain.ConversationKind;
import com.hirechat.infra.ConfigException;

/**
 * How long a conversation with no activity is kept, per kind (docs/configuration.md#retention): off unless a number of
 * days is configured for a kind, and checked every {@code checkEvery} by the retention job.
 */
public record RetentionPolicy(Optional<Integer> directDays, Optional<Integer> groupDays, Duration checkEvery) {

    /** At most a century: a larger number is a typo, not a policy. */
    public static final int MAX_DAYS = 36_500;
    public static final Duration DEFAULT_CHECK_EVERY = Duration.ofHours(1);
    private static final Duration MAX_CHECK_EVERY = Duration.ofDays(7);

    /** No retention: nothing ever expires. */
    public static final RetentionPolicy OFF = new RetentionPolicy(Optional.empty(), Optional.empty(), DEFAULT_CHECK_EVERY);

    /** Reads {@code HIRECHAT_RETENTION_DIRECT_DAYS}, {@code …_GROUP_DAYS} and {@code …_CHECK_INTERVAL}. */
    public static RetentionPolicy from(Map<String, String> env) {
        return new RetentionPolicy(days(env, "HIRECHAT_RETENTION_DIRECT_DAYS"), days(env, "HIRECHAT_RETENTION_GROUP_DAYS"),
                value(env, "HIRECHAT_RETENTION_CHECK_INTERVAL").map(RetentionPolicy::interval)
                        .orElse(DEFAULT_CHECK_EVERY));
    }

    /** Whether any kind of conversation expires. */
    public boolean enabled() {
        return directDays.isPresent() || groupDays.isPresent();
    }

    /** Days without activity after which a conversation of this kind expires; empty: kept. */
    public Optional<Integer> days(ConversationKind kind) {
        return kind == ConversationKind.DIRECT ? directDays : groupDays;
    }

    /** The rule applied to one kind, as recorded in events and runs: {@code DIRECT:30d}. */
    public String label(ConversationKind kind) {
        return kind.name() + ":" + days(kind).map(days -> days + "d").orElse("kept");
    }

    /** The whole policy as recorded in each run: {@code DIRECT:30d GROUP:kept}. */
    public String describe() {
        return label(ConversationKind.DIRECT) + " " + label(ConversationKind.GROUP);
    }

    private static Duration interval(String text) {
        try {
            var interval = Duration.parse(text);
            if (interval.compareTo(Duration.ofSeconds(1)) >= 0 && interval.compareTo(MAX_CHECK_EVERY) <= 0) {
                return interval;
            }
        } catch (java.time.format.DateTimeParseException e) {
            // reported below
        }
        throw new ConfigException("HIRECHAT_RETENTION_CHECK_INTERVAL",
                "must be an ISO-8601 duration from PT1S to P7D (e.g. PT1H), was '" + text + "'");
    }

    private static Optional<Integer> days(Map<String, String> env, String key) {
        return value(env, key).map(text -> whole(key, text, MAX_DAYS));
    }

    private static Optional<String> value(Map<String, String> env, String key) {
        return Optional.ofNullable(env.get(key)).map(String::strip).filter(text -> !text.isEmpty());
    }

    private static int whole(String key, String text, int max) {
        try {
            var value = Integer.parseInt(text);
            if (value >= 1 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(key, "must be a whole number from 1 to " + max + ", was '" + text + "'");
    }
}
