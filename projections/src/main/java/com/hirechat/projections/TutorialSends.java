package com.hirechat.projections;

import java.util.UUID;

import org.jdbi.v3.core.Jdbi;

import com.hirechat.domain.ConversationId;
import com.hirechat.domain.UserId;

/**
 * Counts the messages without a client id that each tutorial channel (the Socket.IO event, the HTTP route) carried per
 * sender, conversation and text, in {@code tutorial_send_counts}: the k-th of each channel is the same message. The
 * text is known by a keyed hash only (the caller's), never in clear.
 */
public final class TutorialSends {

    /** The two ways the tutorial's page sends one message. */
    public enum Channel { SOCKET, HTTP }

    private final Jdbi jdbi;

    public TutorialSends(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** This channel's count of such messages, this one included (1 for the first); atomic under concurrent sends. */
    public long next(ConversationId conversation, UserId sender, String textHash, Channel channel) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        INSERT INTO tutorial_send_counts (conversation_id, sender, text_hash, channel, sent)
                        VALUES (:conversation, :sender, :hash, :channel, 1)
                        ON CONFLICT (conversation_id, sender, text_hash, channel)
                        DO UPDATE SET sent = tutorial_send_counts.sent + 1
                        RETURNING sent""")
                .bind("conversation", UUID.fromString(conversation.value()))
                .bind("sender", sender.value())
                .bind("hash", textHash)
                .bind("channel", channel.name())
                .mapTo(Long.class)
                .one());
    }
}
