package com.hirechat.infra.notify;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.hirechat.domain.UserId;
import com.hirechat.web.NotificationPreferences;
import com.hirechat.web.Notifications;

/** What the HTTP API reaches of the digests: addresses, preferences, the unsubscribe link, the captured mail. */
final class Notifier implements Notifications {

    private final NotificationStore store;
    private final UnsubscribeTokens tokens;
    private final Optional<MailOutbox.Captured> captured;

    Notifier(NotificationStore store, UnsubscribeTokens tokens, Optional<MailOutbox.Captured> captured) {
        this.store = store;
        this.tokens = tokens;
        this.captured = captured;
    }

    @Override
    public void putAddress(UserId user, Optional<String> email) {
        store.putAddress(user, email);
    }

    @Override
    public NotificationPreferences preferences(UserId user) {
        return store.preferences(user);
    }

    @Override
    public boolean hasAddress(UserId user) {
        return store.hasAddress(user);
    }

    @Override
    public void putPreferences(UserId user, NotificationPreferences preferences) {
        store.putPreferences(user, preferences);
    }

    @Override
    public Optional<UserId> unsubscribeTarget(String token) {
        return tokens.verify(token);
    }

    @Override
    public void unsubscribe(UserId user) {
        store.unsubscribe(user);
    }

    @Override
    public Optional<List<Map<String, Object>>> capturedMail() {
        return captured.map(MailOutbox.Captured::newestFirst);
    }
}
