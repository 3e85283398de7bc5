package com.hirechat.infra.eventstore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.statements.TimestampWriter;
import org.axonframework.serialization.Serializer;

import com.hirechat.domain.ConversationEvents.MessageRedacted;
import com.hirechat.domain.MessageSent;

/**
 * A commit's events as one multi-row {@code INSERT}: atomic on its own, so a command needs no transaction around it
 * (Axon's JDBC batch is atomic without one only while the driver sends it in one piece, which it stops doing for large
 * batches). The same statement writes the message ledger's rows of those events ({@code WITH … INSERT}): the ledger
 * can neither lag nor lead the events, and a send costs no second round trip.
 */
final class SingleStatementAppend {

    /** Those of {@link EventSchema#domainEventFields()}, bound in that order. */
    private static final int COLUMNS = 9;
    /** The ledger's columns of a sent message and of a redaction. */
    private static final int SENT_COLUMNS = 6;
    private static final int REDACTED_COLUMNS = 2;
    /** PostgreSQL's protocol numbers a statement's parameters with 16 bits; an event binds at most this many. */
    private static final int MAX_EVENTS = 65_535 / (COLUMNS + SENT_COLUMNS);

    private SingleStatementAppend() {
    }

    static PreparedStatement build(Connection connection, EventSchema schema, Class<?> dataType,
                                   List<? extends EventMessage<?>> events, Serializer serializer,
                                   TimestampWriter timestamps) throws SQLException {
        if (events.size() > MAX_EVENTS) {
            // a command batch holds a few events per command, far below this
            throw new IllegalArgumentException("at most " + MAX_EVENTS + " events per commit, not " + events.size());
        }
        var sent = events.stream().map(EventMessage::getPayload)
                .filter(MessageSent.class::isInstance).map(MessageSent.class::cast).toList();
        var redacted = events.stream().map(EventMessage::getPayload)
                .filter(MessageRedacted.class::isInstance).map(MessageRedacted.class::cast).toList();
        var sql = new StringBuilder();
        if (!sent.isEmpty() || !redacted.isEmpty()) {
            sql.append("WITH ");
            if (!sent.isEmpty()) {
                sql.append("sent AS (INSERT INTO message_ledger (conversation_id, message_id, sender, client_message_id,"
                        + " seq, sent_at) VALUES ").append(rows(sent.size(), SENT_COLUMNS)).append(")");
            }
            if (!redacted.isEmpty()) {
                // the aggregate never redacts twice; a redelivered batch (never stored twice either) changes nothing
                sql.append(sent.isEmpty() ? "" : ", ").append("redacted AS (INSERT INTO message_ledger_redactions"
                        + " (conversation_id, message_id) VALUES ").append(rows(redacted.size(), REDACTED_COLUMNS))
                        .append(" ON CONFLICT DO NOTHING)");
            }
            sql.append(' ');
        }
        sql.append("INSERT INTO ").append(schema.domainEventTable())
                .append(" (").append(schema.domainEventFields()).append(") VALUES ").append(rows(events.size(), COLUMNS));
        var statement = connection.prepareStatement(sql.toString());
        int p = bindRedacted(statement, bindSent(statement, 0, sent), redacted);
        for (var message : events) {
            // what Axon's own statement stores for an event without an aggregate
            var event = message instanceof DomainEventMessage<?> domain ? domain
                    : new GenericDomainEventMessage<>(null, message.getIdentifier(), 0L, message,
                            message::getTimestamp);
            var payload = event.serializePayload(serializer, dataType);
            var metaData = event.serializeMetaData(serializer, dataType);
            statement.setString(++p, event.getIdentifier());
            statement.setString(++p, event.getAggregateIdentifier());
            statement.setLong(++p, event.getSequenceNumber());
            statement.setString(++p, event.getType());
            timestamps.writeTimestamp(statement, ++p, event.getTimestamp());
            statement.setString(++p, payload.getType().getName());
            statement.setString(++p, payload.getType().getRevision());
            statement.setObject(++p, payload.getData());
            statement.setObject(++p, metaData.getData());
        }
        statement.addBatch(); // Axon executes what it is given as a batch: here, of one statement
        return statement;
    }

    /**
     * Writes the message ledger's rows of {@code events} by statements of their own, for Axon's own append of the events
     * in the same transaction ({@link RuntimeFallback#SINGLE_STATEMENT_APPEND}): atomic with them only inside one.
     */
    static void insertLedgerRows(Connection connection, List<? extends EventMessage<?>> events) throws SQLException {
        var sent = events.stream().map(EventMessage::getPayload)
                .filter(MessageSent.class::isInstance).map(MessageSent.class::cast).toList();
        var redacted = events.stream().map(EventMessage::getPayload)
                .filter(MessageRedacted.class::isInstance).map(MessageRedacted.class::cast).toList();
        if (!sent.isEmpty()) {
            try (var statement = connection.prepareStatement("INSERT INTO message_ledger (conversation_id, message_id,"
                    + " sender, client_message_id, seq, sent_at) VALUES " + rows(sent.size(), SENT_COLUMNS))) {
                bindSent(statement, 0, sent);
                statement.executeUpdate();
            }
        }
        if (!redacted.isEmpty()) {
            try (var statement = connection.prepareStatement("INSERT INTO message_ledger_redactions (conversation_id,"
                    + " message_id) VALUES " + rows(redacted.size(), REDACTED_COLUMNS) + " ON CONFLICT DO NOTHING")) {
                bindRedacted(statement, 0, redacted);
                statement.executeUpdate();
            }
        }
    }

    /** Binds the ledger's columns of each sent message from parameter {@code p + 1} on; returns the last one bound. */
    private static int bindSent(PreparedStatement statement, int p, List<MessageSent> sent) throws SQLException {
        for (var message : sent) {
            statement.setString(++p, message.conversationId().value());
            statement.setString(++p, message.messageId().value());
            statement.setString(++p, message.sentBy().value());
            statement.setString(++p, message.clientMessageId().value());
            statement.setLong(++p, message.seq());
            statement.setObject(++p, OffsetDateTime.ofInstant(message.sentAt(), ZoneOffset.UTC));
        }
        return p;
    }

    private static int bindRedacted(PreparedStatement statement, int p, List<MessageRedacted> redacted)
            throws SQLException {
        for (var redaction : redacted) {
            statement.setString(++p, redaction.conversationId().value());
            statement.setString(++p, redaction.messageId().value());
        }
        return p;
    }

    /** {@code count} rows of {@code columns} parameters each, for a {@code VALUES} list. */
    private static String rows(int count, int columns) {
        var row = "(" + "?,".repeat(columns - 1) + "?)";
        return String.join(",", java.util.Collections.nCopies(count, row));
    }
}
