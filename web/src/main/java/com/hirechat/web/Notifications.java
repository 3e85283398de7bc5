package com.hirechat.web;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.hirechat.domain.UserId;

/** What the HTTP API asks of the email digests (docs/notifications.md); implemented in infra. */
public interface Notifications {

    /** The address the host site registered for the user, or none to remove it. */
    void putAddress(UserId user, Optional<String> email);

    NotificationPreferences preferences(UserId user);

    /** Whether an address is registered for the user (never the address itself). */
    boolean hasAddress(UserId user);

    void putPreferences(UserId user, NotificationPreferences preferences);

    /** The user a signed unsubscribe token names, or empty when it is malformed or its signature does not hold. */
    Optional<UserId> unsubscribeTarget(String token);

    /** Turns the user's digests off, as the one-click link asks. */
    void unsubscribe(UserId user);

    /** Mail the development run captured instead of sending, newest first; empty when it sends (or sends none). */
    Optional<List<Map<String, Object>>> capturedMail();

    /** No notifications at all: every call changes nothing, and no mail is captured. */
    Notifications NONE = new Notifications() {
        @Override
        public void putAddress(UserId user, Optional<String> email) {
        }

        @Override
        public NotificationPreferences preferences(UserId user) {
            return NotificationPreferences.DEFAULT;
        }

        @Override
        public boolean hasAddress(UserId user) {
            return false;
        }

        @Override
        public void putPreferences(UserId user, NotificationPreferences preferences) {
        }

        @Override
        public Optional<UserId> unsubscribeTarget(String token) {
            return Optional.empty();
        }

        @Override
        public void unsubscribe(UserId user) {
        }

        @Override
        public Optional<List<Map<String, Object>>> capturedMail() {
            return Optional.empty();
        }
    };
}
