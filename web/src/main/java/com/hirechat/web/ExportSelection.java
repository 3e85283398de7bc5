package com.hirechat.web;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import com.hirechat.domain.ConversationId;
import com.hirechat.projections.ComplianceRecord;
import com.hirechat.projections.feed.ConversationEventFeed;

/**
 * What an export writes, and the one loop that writes it for the HTTP API and the command line alike, so both write
 * the same bytes for the same selection: each conversation's events in order with their links, only those in
 * [{@code from}, {@code to}) when a range is given (every event is still read: each line names the hash before it).
 */
public record ExportSelection(List<ConversationId> conversations, Optional<Instant> from, Optional<Instant> to) {

    /** Whole conversations. */
    public static ExportSelection of(List<ConversationId> conversations) {
        return new ExportSelection(conversations, Optional.empty(), Optional.empty());
    }

    /**
     * Writes every selected event to {@code export}; {@code beforeEach} runs before a conversation is read (the
     * access log's record), {@code afterEach} after it with the number of events written so far. Returns that number.
     */
    public long writeTo(ComplianceExport export, ConversationEventFeed feed, Consumer<ConversationId> beforeEach,
                        java.util.function.ObjLongConsumer<ConversationId> afterEach) {
        var events = new long[1];
        for (var id : conversations) {
            beforeEach.accept(id);
            feed.replayChained(id, (stored, previousHash) -> {
                if (inRange(ComplianceRecord.occurredAt(stored.event()))) {
                    export.write(stored, previousHash);
                    events[0]++;
                }
            });
            afterEach.accept(id, events[0]);
        }
        return events[0];
    }

    private boolean inRange(Instant at) {
        return from.map(start -> !at.isBefore(start)).orElse(true) && to.map(at::isBefore).orElse(true);
    }
}
