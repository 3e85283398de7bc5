package com.hirechat.web;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A user's choices for email digests (docs/notifications.md): on or off, how long unread messages wait before a
 * digest (empty: the server's default), quiet hours in the user's time zone during which no digest is sent.
 */
public record NotificationPreferences(boolean emailDigests, OptionalInt delayMinutes, Optional<QuietHours> quietHours,
                                      ZoneId timeZone) {

    /** Longest delay a user may choose: a day. */
    public static final int MAX_DELAY_MINUTES = 1440;
    /** What a user who never chose gets. */
    public static final NotificationPreferences DEFAULT =
            new NotificationPreferences(true, OptionalInt.empty(), Optional.empty(), ZoneId.of("UTC"));

    /** A daily window, start inclusive and end exclusive; a window whose end is before its start spans midnight. */
    public record QuietHours(LocalTime start, LocalTime end) {

        /** Whether the local time falls inside the window. */
        boolean contains(LocalTime time) {
            return start.isBefore(end) ? !time.isBefore(start) && time.isBefore(end)
                    : !time.isBefore(start) || time.isBefore(end);
        }
    }

    /** The earliest instant at or after {@code at} that is outside the quiet hours. */
    public Instant nextAllowed(Instant at) {
        if (quietHours.isEmpty()) {
            return at;
        }
        var quiet = quietHours.get();
        var local = at.atZone(timeZone);
        if (!quiet.contains(local.toLocalTime())) {
            return at;
        }
        var end = local.with(quiet.end());
        if (!end.isAfter(local)) {
            end = end.plusDays(1);
        }
        return end.toInstant();
    }

    /** The delay for this user: their own, else the server's. */
    public Duration delay(Duration serverDefault) {
        return delayMinutes.isPresent() ? Duration.ofMinutes(delayMinutes.getAsInt()) : serverDefault;
    }

    /** As the API shows them. */
    public Map<String, Object> view() {
        var view = new LinkedHashMap<String, Object>();
        view.put("emailDigests", emailDigests);
        view.put("delayMinutes", delayMinutes.isPresent() ? delayMinutes.getAsInt() : null);
        view.put("quietHours", quietHours.map(q -> {
            var window = new LinkedHashMap<String, String>();   // start before end, always
            window.put("start", q.start().toString());
            window.put("end", q.end().toString());
            return window;
        }).orElse(null));
        view.put("timeZone", timeZone.getId());
        return view;
    }

    /** Reads a {@code PUT /api/me/preferences} body; anything wrong is 400 with a stable code (docs/api.md). */
    static NotificationPreferences parse(JsonNode body) {
        var unknown = new java.util.ArrayList<String>();
        body.fieldNames().forEachRemaining(name -> {
            if (!java.util.List.of("emailDigests", "delayMinutes", "quietHours", "timeZone").contains(name)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw ApiException.badRequest("invalid_field", "unknown field(s) " + unknown);
        }
        var digests = body.get("emailDigests");
        if (digests == null || !digests.isBoolean()) {
            throw ApiException.badRequest("invalid_preferences", "'emailDigests' must be true or false");
        }
        var delay = OptionalInt.empty();
        var delayNode = body.get("delayMinutes");
        if (delayNode != null && !delayNode.isNull()) {
            if (!delayNode.isIntegralNumber() || !delayNode.canConvertToInt() || delayNode.intValue() < 1
                    || delayNode.intValue() > MAX_DELAY_MINUTES) {
                throw ApiException.badRequest("invalid_delay",
                        "'delayMinutes' must be a whole number from 1 to " + MAX_DELAY_MINUTES);
            }
            delay = OptionalInt.of(delayNode.intValue());
        }
        Optional<QuietHours> quiet = Optional.empty();
        var quietNode = body.get("quietHours");
        if (quietNode != null && !quietNode.isNull()) {
            if (!quietNode.isObject()) {
                throw ApiException.badRequest("invalid_quiet_hours", "'quietHours' must be {\"start\": \"HH:MM\", \"end\": \"HH:MM\"}");
            }
            var start = clock(quietNode.get("start"));
            var end = clock(quietNode.get("end"));
            if (start.equals(end)) {
                throw ApiException.badRequest("invalid_quiet_hours", "quiet hours must not start and end at the same time");
            }
            quiet = Optional.of(new QuietHours(start, end));
        }
        var zone = ZoneId.of("UTC");
        var zoneNode = body.get("timeZone");
        if (zoneNode != null && !zoneNode.isNull()) {
            if (!zoneNode.isTextual()) {
                throw ApiException.badRequest("invalid_time_zone", "'timeZone' must be an IANA zone such as Europe/Berlin");
            }
            try {
                zone = ZoneId.of(zoneNode.textValue());
            } catch (DateTimeException e) {
                throw ApiException.badRequest("invalid_time_zone", "'timeZone' must be an IANA zone such as Europe/Berlin");
            }
        }
        return new NotificationPreferences(digests.booleanValue(), delay, quiet, zone);
    }

    private static LocalTime clock(JsonNode node) {
        if (node == null || !node.isTextual() || !node.textValue().matches("([01][0-9]|2[0-3]):[0-5][0-9]")) {
            throw ApiException.badRequest("invalid_quiet_hours", "quiet hours' 'start' and 'end' are times HH:MM");
        }
        try {
            return LocalTime.parse(node.textValue());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("invalid_quiet_hours", "quiet hours' 'start' and 'end' are times HH:MM");
        }
    }
}
