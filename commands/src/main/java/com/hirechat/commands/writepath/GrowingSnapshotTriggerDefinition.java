package com.hirechat.commands.writepath;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.AbstractSnapshotTrigger;
import org.axonframework.eventsourcing.SnapshotTrigger;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;

/**
 * Snapshots an aggregate after {@code minimum} events, then whenever the events since its last snapshot reach half
 * of its length. A conversation's snapshot once held every message it ever accepted, so a snapshot cost in
 * proportion to the conversation's length and, at a fixed interval, long conversations spent most of their CPU
 * re-serialising themselves (figures in docs/benchmarks.md). Growing the interval with the length keeps that cost
 * constant per event, and a cold load still reads at most a snapshot plus half as many events as it covers.
 */
public final class GrowingSnapshotTriggerDefinition implements SnapshotTriggerDefinition {

    private final Snapshotter snapshotter;
    private final int minimum;

    public GrowingSnapshotTriggerDefinition(Snapshotter snapshotter, int minimum) {
        this.snapshotter = snapshotter;
        this.minimum = minimum;
    }

    @Override
    public SnapshotTrigger prepareTrigger(Class<?> aggregateType) {
        return new GrowingSnapshotTrigger(snapshotter, aggregateType, minimum);
    }

    @Override
    public SnapshotTrigger reconfigure(Class<?> aggregateType, SnapshotTrigger trigger) {
        if (trigger instanceof GrowingSnapshotTrigger growing) {
            growing.setSnapshotter(snapshotter);
            return growing;
        }
        return prepareTrigger(aggregateType);
    }

    /**
     * Messages since the last snapshot against the threshold; an instance loaded from a snapshot counts from there,
     * the snapshot message itself being the first.
     */
    static final class GrowingSnapshotTrigger extends AbstractSnapshotTrigger {

        private static final long serialVersionUID = 1L;

        private final int minimum;
        private long eventsSinceSnapshot;
        private long length;

        GrowingSnapshotTrigger(Snapshotter snapshotter, Class<?> aggregateType, int minimum) {
            super(snapshotter, aggregateType);
            this.minimum = minimum;
        }

        @Override
        public void eventHandled(EventMessage<?> message) {
            if (message instanceof DomainEventMessage<?> event) {
                length = event.getSequenceNumber() + 1;
            }
            super.eventHandled(message);
        }

        @Override
        protected boolean exceedsThreshold() {
            eventsSinceSnapshot++;
            return eventsSinceSnapshot >= minimum && 2 * eventsSinceSnapshot >= length;
        }

        @Override
        protected void reset() {
            eventsSinceSnapshot = 0;
        }
    }
}
