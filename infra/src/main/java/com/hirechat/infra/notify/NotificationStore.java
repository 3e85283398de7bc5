package com.hirechat.infra.notify;

import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.OptionalInt;

import org.jdbi.v3.core.Jdbi;

import com.hirechat.domain.UserId;
import com.hirechat.infra.crypto.KeyRing;
import com.hirechat.infra.crypto.KeySubject;
import com.hirechat.infra.crypto.Sealer;
import com.hirechat.web.NotificationPreferences;

/**
 * {@code notification_settings}: each user's address, sealed under their profile key like their name (so destroying
 * that key, which erasure does, leaves it unreadable), and their digest preferences.
 */
final class NotificationStore {

    /** A user's address as it can be read now. */
    sealed interface Address {
        record Present(String email) implements Address {
        }

        /** None was registered. */
        record Missing() implements Address {
        }

        /** One was, and its key was destroyed: the user was erased. */
        record Erased() implements Address {
        }
    }

    private final Jdbi jdbi;
    private final KeyRing keys;
    private final Clock clock;

    NotificationStore(Jdbi jdbi, KeyRing keys, Clock clock) {
        this.jdbi = jdbi;
        this.keys = keys;
        this.clock = clock;
    }

    void putAddress(UserId user, Optional<String> email) {
        if (email.isEmpty()) {
            jdbi.useHandle(h -> h.createUpdate("""
                            UPDATE notification_settings SET email_key_id = NULL, email_nonce = NULL, email_sealed = NULL,
                                   updated_at = :now WHERE user_id = :user""")
                    .bind("user", user.value()).bind("now", clock.instant().atOffset(ZoneOffset.UTC)).execute());
            return;
        }
        var key = keys.keyFor(KeySubject.profile(user));
        var sealed = Sealer.seal(key, aad(user, key.id()), "email|" + user.value(), email.get());
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO notification_settings (user_id, email_key_id, email_nonce, email_sealed, updated_at)
                        VALUES (:user, :key, :nonce, :sealed, :now)
                        ON CONFLICT (user_id) DO UPDATE SET email_key_id = :key, email_nonce = :nonce,
                            email_sealed = :sealed, updated_at = :now""")
                .bind("user", user.value()).bind("key", sealed.keyId()).bind("nonce", sealed.nonce())
                .bind("sealed", sealed.data()).bind("now", clock.instant().atOffset(ZoneOffset.UTC)).execute());
    }

    Address address(UserId user) {
        var row = jdbi.withHandle(h -> h.createQuery("""
                        SELECT email_key_id, email_nonce, email_sealed FROM notification_settings
                        WHERE user_id = :user AND email_sealed IS NOT NULL""")
                .bind("user", user.value())
                .map((rs, ctx) -> new Sealer.Sealed(rs.getString(1), rs.getBytes(2), rs.getBytes(3)))
                .findOne());
        if (row.isEmpty()) {
            return new Address.Missing();
        }
        var key = keys.key(row.get().keyId());
        if (key.isEmpty()) {
            return new Address.Erased();
        }
        try {
            return new Address.Present(Sealer.open(key.get(), aad(user, key.get().id()), row.get()));
        } catch (GeneralSecurityException e) {
            // altered in the table, or moved from another user's row: never mail whoever it names
            throw new IllegalStateException("the sealed address of " + user.value() + " does not open", e);
        }
    }

    boolean hasAddress(UserId user) {
        return address(user) instanceof Address.Present;
    }

    NotificationPreferences preferences(UserId user) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT email_digests, delay_minutes, quiet_start, quiet_end, time_zone
                        FROM notification_settings WHERE user_id = :user""")
                .bind("user", user.value())
                .map((rs, ctx) -> {
                    var delay = rs.getObject(2) == null ? OptionalInt.empty() : OptionalInt.of(rs.getInt(2));
                    var start = rs.getObject(3, LocalTime.class);
                    var end = rs.getObject(4, LocalTime.class);
                    Optional<NotificationPreferences.QuietHours> quiet = start == null || end == null ? Optional.empty()
                            : Optional.of(new NotificationPreferences.QuietHours(start, end));
                    return new NotificationPreferences(rs.getBoolean(1), delay, quiet, ZoneId.of(rs.getString(5)));
                })
                .findOne()
                .orElse(NotificationPreferences.DEFAULT));
    }

    void putPreferences(UserId user, NotificationPreferences preferences) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO notification_settings (user_id, email_digests, delay_minutes, quiet_start, quiet_end,
                                                           time_zone, updated_at)
                        VALUES (:user, :digests, :delay, :start, :end, :zone, :now)
                        ON CONFLICT (user_id) DO UPDATE SET email_digests = :digests, delay_minutes = :delay,
                            quiet_start = :start, quiet_end = :end, time_zone = :zone, updated_at = :now""")
                .bind("user", user.value()).bind("digests", preferences.emailDigests())
                .bind("delay", preferences.delayMinutes().isPresent() ? preferences.delayMinutes().getAsInt() : null)
                .bind("start", preferences.quietHours().map(NotificationPreferences.QuietHours::start).orElse(null))
                .bind("end", preferences.quietHours().map(NotificationPreferences.QuietHours::end).orElse(null))
                .bind("zone", preferences.timeZone().getId())
                .bind("now", clock.instant().atOffset(ZoneOffset.UTC)).execute());
    }

    void unsubscribe(UserId user) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO notification_settings (user_id, email_digests, updated_at) VALUES (:user, false, :now)
                        ON CONFLICT (user_id) DO UPDATE SET email_digests = false, updated_at = :now""")
                .bind("user", user.value()).bind("now", clock.instant().atOffset(ZoneOffset.UTC)).execute());
    }

    private static String aad(UserId user, String keyId) {
        return "email|" + user.value() + "|" + keyId;
    }
}
