package com.hirechat.web;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;

import com.hirechat.domain.ConversationEvent;
import com.hirechat.domain.ConversationEvents;
import com.hirechat.domain.ConversationStarted;
import com.hirechat.domain.Erased;
import com.hirechat.domain.MessageAccepted;
import com.hirechat.domain.MessageSent;

/** Every frame the server sends over the WebSocket; the JSON carries its kind in {@code type}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
sealed interface ServerFrame {

    /** A message in a conversation the client subscribed to; an erased one has an empty text and {@code erased}. */
    @JsonTypeName("message")
    record Message(String conversationId, long seq, String messageId, String clientMessageId, String senderId,
                   String text, Instant sentAt, boolean erased, java.util.List<AttachmentView> attachments)
            implements ServerFrame {

        static Message of(MessageSent event) {
            return new Message(event.conversationId().value(), event.seq(), event.messageId().value(),
                    event.clientMessageId().value(), event.sentBy().value(), shown(event.text()), event.sentAt(),
                    Erased.is(event.text()), event.attachments().stream().map(AttachmentView::of).toList());
        }
    }

    /** A message's text was replaced by its author; an erased one has an empty text and {@code erased}. */
    @JsonTypeName("edited")
    record Edited(String conversationId, long seq, String messageId, long messageSeq, String editedBy, String text,
                  Instant editedAt, boolean erased) implements ServerFrame {
    }

    /** A text as frames carry it: empty once its author's key is gone. */
    private static String shown(String text) {
        return Erased.is(text) ? "" : text;
    }

    /** A message's content was removed; show a placeholder. */
    @JsonTypeName("redacted")
    record Redacted(String conversationId, long seq, String messageId, long messageSeq, String redactedBy,
                    Instant redactedAt) implements ServerFrame {
    }

    /** A read receipt: {@code userId} has read everything up to {@code upToSeq}. */
    @JsonTypeName("read")
    record Read(String conversationId, long seq, String userId, long upToSeq, Instant readAt) implements ServerFrame {
    }

    @JsonTypeName("participant_added")
    record ParticipantAdded(String conversationId, long seq, String userId, String addedBy, Instant addedAt)
            implements ServerFrame {
    }

    /** Someone left the group; when it is the receiving user, this is the last frame of the subscription. */
    @JsonTypeName("participant_removed")
    record ParticipantRemoved(String conversationId, long seq, String userId, String removedBy, Instant removedAt)
            implements ServerFrame {
    }

    @JsonTypeName("job_linked")
    record JobLinked(String conversationId, long seq, String jobId, String title, String linkedBy, Instant linkedAt)
            implements ServerFrame {
    }

    /** Someone is typing; never stored, carries no seq. */
    @JsonTypeName("typing")
    record Typing(String conversationId, String userId) implements ServerFrame {
    }

    /** The request with this id was carried out; its effect arrives as an event frame. */
    @JsonTypeName("ok")
    record Ok(String requestId) implements ServerFrame {
    }

    /** The client's message is durably stored. */
    @JsonTypeName("ack")
    record Ack(String conversationId, String clientMessageId, String messageId, long seq, Instant sentAt)
            implements ServerFrame {

        static Ack of(String conversationId, String clientMessageId, MessageAccepted accepted) {
            return new Ack(conversationId, clientMessageId, accepted.messageId().value(), accepted.seq(),
                    accepted.sentAt());
        }
    }

    /** A subscription is in place; events after {@code afterSeq} follow (live ones only when it is null). */
    @JsonTypeName("subscribed")
    record Subscribed(String conversationId, Long afterSeq) implements ServerFrame {
    }

    @JsonTypeName("unsubscribed")
    record Unsubscribed(String conversationId) implements ServerFrame {
    }

    /** A refused frame; {@code clientMessageId}, {@code requestId} and {@code conversationId} say which when known. */
    @JsonTypeName("error")
    record Error(String code, String message, String clientMessageId, String requestId, String conversationId)
            implements ServerFrame {
    }

    @JsonTypeName("pong")
    record Pong() implements ServerFrame {
    }

    /** The inbox is in place: events of every conversation the user takes part in follow, wrapped in {@code inbox}. */
    @JsonTypeName("inbox_subscribed")
    record InboxSubscribed() implements ServerFrame {
    }

    @JsonTypeName("inbox_unsubscribed")
    record InboxUnsubscribed() implements ServerFrame {
    }

    /** One event of one of the user's conversations, as a conversation subscription would push it. */
    @JsonTypeName("inbox")
    record Inbox(String conversationId, ServerFrame event) implements ServerFrame {
    }

    /** A conversation's start (seq 0): only ever pushed inside an {@code inbox} frame. */
    @JsonTypeName("started")
    record Started(String conversationId, long seq, String kind, String title, String startedBy,
                   java.util.List<String> participants, Instant startedAt) implements ServerFrame {

        static Started of(ConversationStarted event) {
            return new Started(event.conversationId().value(), event.seq(), event.kind().name(), event.title(),
                    event.startedBy().value(), event.participants().stream().map(user -> user.value()).toList(),
                    event.startedAt());
        }
    }

    /** The frame a stored event becomes for subscribers, or null when it has none (seq 0, the start). */
    static ServerFrame of(ConversationEvent event) {
        var conversation = event.conversationId().value();
        return switch (event) {
            case ConversationStarted started -> null;
            case MessageSent sent -> Message.of(sent);
            case ConversationEvents.MessageEdited e -> new Edited(conversation, e.seq(), e.messageId().value(),
                    e.messageSeq(), e.editedBy().value(), shown(e.text()), e.editedAt(), Erased.is(e.text()));
            case ConversationEvents.MessageRedacted e -> new Redacted(conversation, e.seq(), e.messageId().value(),
                    e.messageSeq(), e.redactedBy().value(), e.redactedAt());
            case ConversationEvents.MessagesRead e -> new Read(conversation, e.seq(), e.reader().value(), e.upToSeq(),
                    e.readAt());
            case ConversationEvents.ParticipantAdded e -> new ParticipantAdded(conversation, e.seq(),
                    e.participant().value(), e.addedBy().value(), e.addedAt());
            case ConversationEvents.ParticipantRemoved e -> new ParticipantRemoved(conversation, e.seq(),
                    e.participant().value(), e.removedBy().value(), e.removedAt());
            case ConversationEvents.JobLinked e -> new JobLinked(conversation, e.seq(), e.job().jobId(),
                    e.job().title(), e.linkedBy().value(), e.linkedAt());
        };
    }
}
