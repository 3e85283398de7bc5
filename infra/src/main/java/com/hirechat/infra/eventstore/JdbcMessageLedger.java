package com.hirechat.infra.eventstore;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.eventhandling.EventMessage;
import org.postgresql.util.PSQLException;

import com.hirechat.domain.ClientMessageId;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.MessageAccepted;
import com.hirechat.domain.MessageFacts;
import com.hirechat.domain.MessageId;
import com.hirechat.domain.MessageLedger;
import com.hirechat.domain.MessageSent;
import com.hirechat.domain.UserId;

/**
 * The message ledger in PostgreSQL ({@code message_ledger}, written with the events by {@link SingleStatementAppend}).
 *
 * <p>Facts are always read from the table. A send's lookup is not: asking on every send would add a round trip to
 * each, and almost every send is new. The table's unique key refuses a second message of a sender and client id in
 * the very statement that would store it; the events of that statement are then {@linkplain #suspect suspected}, the
 * command fails as a concurrency conflict and is run again, and its next lookup asks the table, which answers with
 * the original. So a retry is never stored twice nor answered with anything but the original.
 */
final class JdbcMessageLedger implements MessageLedger {

    private static final String UNIQUE_VIOLATION = "23505";

    private record Send(String conversation, String sender, String clientMessageId) {
    }

    private final ConnectionProvider connections;
    // sends refused as duplicates, whose next lookup must ask the table; each is removed by that lookup
    private final Set<Send> suspects = ConcurrentHashMap.newKeySet();

    /** {@code connections} gives the unit of work's connection when one is bound, so a lookup takes no other. */
    JdbcMessageLedger(ConnectionProvider connections) {
        this.connections = connections;
    }

    @Override
    public Optional<MessageAccepted> accepted(ConversationId conversation, UserId sender, ClientMessageId clientMessageId) {
        if (!suspects.remove(new Send(conversation.value(), sender.value(), clientMessageId.value()))) {
            return Optional.empty(); // provisional: the append's unique key has the last word
        }
        return query("""
                SELECT message_id, seq, sent_at FROM message_ledger
                WHERE conversation_id = ? AND sender = ? AND client_message_id = ?""",
                rows -> new MessageAccepted(MessageId.of(rows.getString(1)), rows.getLong(2),
                        rows.getObject(3, OffsetDateTime.class).toInstant()),
                conversation.value(), sender.value(), clientMessageId.value());
    }

    @Override
    public Optional<MessageFacts> facts(ConversationId conversation, MessageId messageId) {
        return query("""
                SELECT m.sender, m.seq, EXISTS (SELECT 1 FROM message_ledger_redactions r
                        WHERE r.conversation_id = m.conversation_id AND r.message_id = m.message_id)
                FROM message_ledger m WHERE m.conversation_id = ? AND m.message_id = ?""",
                rows -> new MessageFacts(UserId.of(rows.getString(1)), rows.getLong(2), rows.getBoolean(3)),
                conversation.value(), messageId.value());
    }

    /**
     * Called when an append failed: if the ledger refused one of its sends, the next lookup of each of them asks the
     * table (which one was the duplicate, the error does not say in a form worth parsing).
     */
    void appendFailed(List<? extends EventMessage<?>> events, Throwable failure) {
        if (!refusedByLedger(failure)) {
            return;
        }
        for (var event : events) {
            if (event.getPayload() instanceof MessageSent sent) {
                suspects.add(new Send(sent.conversationId().value(), sent.sentBy().value(),
                        sent.clientMessageId().value()));
            }
        }
    }

    private static boolean refusedByLedger(Throwable failure) {
        for (var cause = failure; cause != null; cause = cause.getCause()) {
            // a batch's failure may carry the server's error as its next exception rather than as its cause
            for (var sql = cause instanceof SQLException e ? e : null; sql != null; sql = sql.getNextException()) {
                if (sql instanceof PSQLException server && UNIQUE_VIOLATION.equals(server.getSQLState())
                        && server.getServerErrorMessage() != null
                        && "message_ledger".equals(server.getServerErrorMessage().getTable())) {
                    return true;
                }
            }
        }
        return false;
    }

    private interface Row<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private <T> Optional<T> query(String sql, Row<T> row, String... parameters) {
        try (var connection = connections.getConnection(); var statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            try (var rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(row.read(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the message ledger", e);
        }
    }
}
