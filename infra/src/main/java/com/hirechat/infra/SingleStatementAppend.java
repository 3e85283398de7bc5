package com.hirechat.infra;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.statements.TimestampWriter;
import org.axonframework.serialization.Serializer;

/**
 * A commit's events as one multi-row {@code INSERT}: atomic on its own, so a command needs no transaction around it
 * (Axon's JDBC batch is atomic without one only while the driver sends it in one piece, which it stops doing for large
 * batches).
 */
final class SingleStatementAppend {

    /** Those of {@link EventSchema#domainEventFields()}, bound in that order. */
    private static final int COLUMNS = 9;
    /** PostgreSQL's protocol numbers a statement's parameters with 16 bits. */
    private static final int MAX_EVENTS = 65_535 / COLUMNS;

    private SingleStatementAppend() {
    }

    static PreparedStatement build(Connection connection, EventSchema schema, Class<?> dataType,
                                   List<? extends EventMessage<?>> events, Serializer serializer,
                                   TimestampWriter timestamps) throws SQLException {
        if (events.size() > MAX_EVENTS) {
            // a command batch holds a few events per command, far below this
            throw new IllegalArgumentException("at most " + MAX_EVENTS + " events per commit, not " + events.size());
        }
        var sql = new StringBuilder("INSERT INTO ").append(schema.domainEventTable())
                .append(" (").append(schema.domainEventFields()).append(") VALUES ");
        for (int i = 0; i < events.size(); i++) {
            sql.append(i == 0 ? "(" : ",(").append("?,".repeat(COLUMNS - 1)).append("?)");
        }
        var statement = connection.prepareStatement(sql.toString());
        int p = 0;
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
}
