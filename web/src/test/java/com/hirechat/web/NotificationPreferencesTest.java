package com.hirechat.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

/** Quiet hours postpone a digest to their end, in the user's own time zone, across midnight and daylight saving. */
class NotificationPreferencesTest {

    private static NotificationPreferences quiet(String start, String end, String zone) {
        return new NotificationPreferences(true, OptionalInt.empty(), Optional.of(
                new NotificationPreferences.QuietHours(LocalTime.parse(start), LocalTime.parse(end))), ZoneId.of(zone));
    }

    @Test
    void aWindowAcrossMidnightPostponesToItsEndInTheUsersZone() {
        var berlin = quiet("22:00", "07:00", "Europe/Berlin");
        // 23:30 in Berlin (UTC+1 in winter) is quiet: the digest waits for 07:00 Berlin, 06:00 UTC the next day
        assertThat(berlin.nextAllowed(Instant.parse("2026-12-06T22:30:00Z"))).isEqualTo(Instant.parse("2026-12-07T06:00:00Z"));
        // 05:00 Berlin is quiet too, and ends the same morning
        assertThat(berlin.nextAllowed(Instant.parse("2026-12-07T04:00:00Z"))).isEqualTo(Instant.parse("2026-12-07T06:00:00Z"));
        // 12:00 Berlin is not
        assertThat(berlin.nextAllowed(Instant.parse("2026-12-07T11:00:00Z"))).isEqualTo(Instant.parse("2026-12-07T11:00:00Z"));
        // the end is exclusive, the start inclusive
        assertThat(berlin.nextAllowed(Instant.parse("2026-12-07T06:00:00Z"))).isEqualTo(Instant.parse("2026-12-07T06:00:00Z"));
        assertThat(berlin.nextAllowed(Instant.parse("2026-12-07T21:00:00Z"))).isEqualTo(Instant.parse("2026-12-08T06:00:00Z"));
    }

    @Test
    void aWindowWithinOneDayAndSummerTime() {
        var lunch = quiet("12:00", "13:00", "Europe/Berlin");
        // July: Berlin is UTC+2
        assertThat(lunch.nextAllowed(Instant.parse("2026-07-01T10:30:00Z"))).isEqualTo(Instant.parse("2026-07-01T11:00:00Z"));
        assertThat(lunch.nextAllowed(Instant.parse("2026-07-01T09:59:00Z"))).isEqualTo(Instant.parse("2026-07-01T09:59:00Z"));
    }

    @Test
    void theUsersDelayOrTheServersDefault() {
        assertThat(NotificationPreferences.DEFAULT.delay(Duration.ofMinutes(10))).isEqualTo(Duration.ofMinutes(10));
        assertThat(new NotificationPreferences(true, OptionalInt.of(45), Optional.empty(), ZoneId.of("UTC"))
                .delay(Duration.ofMinutes(10))).isEqualTo(Duration.ofMinutes(45));
        assertThat(NotificationPreferences.DEFAULT.nextAllowed(Instant.EPOCH)).isEqualTo(Instant.EPOCH);
    }
}
