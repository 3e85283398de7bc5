package com.hirechat.projections;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

import com.hirechat.domain.ConversationEvent;
import com.hirechat.domain.ConversationEvents;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.ConversationStarted;
import com.hirechat.domain.Erased;
import com.hirechat.domain.MessageSent;
import com.hirechat.projections.feed.ConversationEventFeed;

/** Reads of the legal record for compliance, computed from the event store only (never from read models). */
public final class ComplianceRecord {

    /**
     * One message as participants saw it at some instant: text after edits up to then, or removed; {@code erased}
     * (with an empty text) once its author's key is gone.
     */
    public record TranscriptLine(long seq, String messageId, String senderId, String text, Instant sentAt,
                                 Instant editedAt, boolean removed, boolean erased) {
    }

    private final ConversationEventFeed feed;

    public ComplianceRecord(ConversationEventFeed feed) {
        this.feed = feed;
    }

    /** The transcript exactly as participants saw it at {@code asOf}: later events are not applied. */
    public List<TranscriptLine> transcriptAsOf(ConversationId conversation, Instant asOf) {
        var lines = new LinkedHashMap<Long, TranscriptLine>();
        feed.replay(conversation, -1, event -> {
            if (occurredAt(event).isAfter(asOf)) {
                return;
            }
            switch (event) {
                case MessageSent sent -> lines.put(sent.seq(), new TranscriptLine(sent.seq(),
                        sent.messageId().value(), sent.sentBy().value(), shown(sent.text()), sent.sentAt(), null, false,
                        Erased.is(sent.text())));
                case ConversationEvents.MessageEdited edited -> lines.computeIfPresent(edited.messageSeq(),
                        (seq, line) -> new TranscriptLine(seq, line.messageId(), line.senderId(), shown(edited.text()),
                                line.sentAt(), edited.editedAt(), line.removed(), Erased.is(edited.text())));
                case ConversationEvents.MessageRedacted redacted -> lines.computeIfPresent(redacted.messageSeq(),
                        (seq, line) -> new TranscriptLine(seq, line.messageId(), line.senderId(), "",
                                line.sentAt(), line.editedAt(), true, line.erased()));
                default -> {
                    // membership, jobs and read marks do not change what the messages said
                }
            }
        });
        return new ArrayList<>(lines.values());
    }

    private static String shown(String text) {
        return Erased.is(text) ? "" : text;
    }

    /** When the event happened, by the server's clock when it was stored. */
    public static Instant occurredAt(ConversationEvent event) {
        return switch (event) {
            case ConversationStarted e -> e.startedAt();
            case MessageSent e -> e.sentAt();
            case ConversationEvents.JobLinked e -> e.linkedAt();
            case ConversationEvents.ParticipantAdded e -> e.addedAt();
            case ConversationEvents.ParticipantRemoved e -> e.removedAt();
            case ConversationEvents.MessageEdited e -> e.editedAt();
            case ConversationEvents.MessageRedacted e -> e.redactedAt();
            case ConversationEvents.MessagesRead e -> e.readAt();
        };
    }

    /** Who caused the event. */
    public static String actor(ConversationEvent event) {
        return switch (event) {
            case ConversationStarted e -> e.startedBy().value();
            case MessageSent e -> e.sentBy().value();
            case ConversationEvents.JobLinked e -> e.linkedBy().value();
            case ConversationEvents.ParticipantAdded e -> e.addedBy().value();
            case ConversationEvents.ParticipantRemoved e -> e.removedBy().value();
            case ConversationEvents.MessageEdited e -> e.editedBy().value();
            case ConversationEvents.MessageRedacted e -> e.redactedBy().value();
            case ConversationEvents.MessagesRead e -> e.reader().value();
        };
    }
}
