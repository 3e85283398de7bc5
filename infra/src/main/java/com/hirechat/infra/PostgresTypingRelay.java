package com.hirechat.infra;

import java.sql.SQLException;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.sql.DataSource;

import com.hirechat.domain.ConversationId;
import com.hirechat.domain.DomainRuleViolation;
import com.hirechat.domain.UserId;
import com.hirechat.infra.eventstore.PostgresNotifications;
import com.hirechat.web.TypingRelay;

/** Typing indicators to every node through PostgreSQL NOTIFY: delivered to listeners, never stored. */
final class PostgresTypingRelay implements TypingRelay {

    private static final Logger LOG = Logger.getLogger(PostgresTypingRelay.class.getName());

    private final DataSource dataSource;
    private volatile BiConsumer<ConversationId, UserId> listener = (conversation, user) -> { };

    PostgresTypingRelay(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void publish(ConversationId conversation, UserId typist) {
        // neither part can contain a space: the payload needs no escaping
        var payload = conversation.value() + " " + typist.value();
        try (var connection = dataSource.getConnection();
             var statement = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            statement.setString(1, PostgresNotifications.TYPING_CHANNEL);
            statement.setString(2, payload);
            statement.execute();
        } catch (SQLException e) {
            // an indicator lost is harmless; the next keystroke sends another
            LOG.log(Level.FINE, "typing indicator not sent", e);
        }
    }

    @Override
    public void onTyping(BiConsumer<ConversationId, UserId> listener) {
        this.listener = listener;
    }

    /** A notification arrived from some node. */
    void received(String payload) {
        var space = payload.indexOf(' ');
        if (space < 0) {
            return;
        }
        try {
            listener.accept(ConversationId.of(payload.substring(0, space)), UserId.of(payload.substring(space + 1)));
        } catch (DomainRuleViolation e) {
            LOG.fine(() -> "ignored a malformed typing notification");
        }
    }
}
