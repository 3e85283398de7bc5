package com.hirechat.infra.eventstore;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventsourcing.EventStreamUtils;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.jdbi.v3.core.Jdbi;

import com.hirechat.domain.ConversationId;
import com.hirechat.projections.StoredEvent;
import com.hirechat.projections.StoredEvents;

/**
 * A conversation's rows of {@code domain_event_entry} read as they are: the payload bytes, type and revision that
 * chain scheme 2 covers come from the row, never from re-serializing what the code makes of it, so an upcaster or a
 * changed event class cannot change what verifies. The readable event goes through the upcasters as usual.
 */
public final class JdbcStoredEvents implements StoredEvents {

    /** Rows fetched per round trip: the stream holds one batch, whatever the conversation's length. */
    private static final int FETCH_SIZE = 500;

    private final Jdbi jdbi;
    private final Serializer eventSerializer;
    private final EventUpcaster upcasters;

    JdbcStoredEvents(DataSource dataSource, Serializer eventSerializer, EventUpcaster upcasters) {
        this.jdbi = Jdbi.create(dataSource);
        this.eventSerializer = eventSerializer;
        this.upcasters = upcasters;
    }

    @Override
    public Stream<StoredEvent> read(ConversationId conversation) {
        var handle = jdbi.open();
        try {
            // PostgreSQL fetches in batches only inside a transaction; without one it would load every row at once
            handle.begin();
            return handle.createQuery("""
                            SELECT type, aggregate_identifier, sequence_number, event_identifier, time_stamp,
                                   payload_type, payload_revision, payload, meta_data
                              FROM domain_event_entry
                             WHERE aggregate_identifier = :id
                             ORDER BY sequence_number""")
                    .bind("id", conversation.value())
                    .setFetchSize(FETCH_SIZE)
                    .map((row, context) -> stored(row))
                    .stream()
                    .onClose(() -> {
                        handle.rollback();
                        handle.close();
                    });
        } catch (RuntimeException e) {
            handle.close();
            throw e;
        }
    }

    private StoredEvent stored(ResultSet row) throws SQLException {
        var payload = row.getBytes("payload");
        var payloadType = row.getString("payload_type");
        var payloadRevision = row.getString("payload_revision");
        var entry = new GenericDomainEventEntry<>(row.getString("type"), row.getString("aggregate_identifier"),
                row.getLong("sequence_number"), row.getString("event_identifier"), row.getString("time_stamp"),
                payloadType, payloadRevision, payload, row.getBytes("meta_data"));
        // lazy: payload and metadata are deserialized when first asked for
        var message = EventStreamUtils.upcastAndDeserializeDomainEvents(Stream.of(entry), eventSerializer, upcasters)
                .next();
        return new StoredEvent(entry.getAggregateIdentifier(), entry.getSequenceNumber(), payloadType,
                payloadRevision, payload, message);
    }
}
