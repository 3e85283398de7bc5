package com.hirechat.commands.writepath;

import java.util.logging.Logger;

import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventsourcing.snapshotting.SnapshotFilter;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.UnknownSerializedType;

/**
 * Lets a snapshot through only when it reads: the aggregate is then rebuilt from its events instead of failing the
 * command. Axon deserializes a snapshot's payload lazily, when the repository builds the aggregate from it, which is
 * past the point where Axon's event store falls back to the events on a snapshot it cannot read.
 *
 * <p>A snapshot is read only when its aggregate is not in the cache, so deserializing it here and again in Axon costs
 * a second read on those loads only; in exchange an unreadable snapshot never costs a command.
 */
public final class ReadableSnapshotFilter implements SnapshotFilter {

    private static final Logger LOG = Logger.getLogger(ReadableSnapshotFilter.class.getName());

    private final Serializer snapshotSerializer;

    public ReadableSnapshotFilter(Serializer snapshotSerializer) {
        this.snapshotSerializer = snapshotSerializer;
    }

    @Override
    public boolean test(DomainEventData<?> snapshot) {
        try {
            Object state = snapshotSerializer.deserialize(snapshot.getPayload());
            if (state == null || state instanceof UnknownSerializedType) {
                warn(snapshot, "its type " + snapshot.getPayload().getType().getName() + " is unknown");
                return false;
            }
            return true;
        } catch (RuntimeException e) {
            warn(snapshot, firstLine(e));
            return false;
        }
    }

    /** One line: the snapshot stays in the store, so this repeats on every load from the store until the next one. */
    private static void warn(DomainEventData<?> snapshot, String why) {
        LOG.warning(() -> "Discarded the snapshot of %s %s at seq %d, rebuilding it from its events: %s"
                .formatted(snapshot.getType(), snapshot.getAggregateIdentifier(), snapshot.getSequenceNumber(), why));
    }

    /** The innermost cause's message up to its first line break: Jackson appends the source position on new lines. */
    private static String firstLine(Throwable failure) {
        var root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        var message = String.valueOf(root.getMessage());
        int end = message.indexOf('\n');
        return root.getClass().getSimpleName() + ": " + (end < 0 ? message : message.substring(0, end)).strip();
    }
}
