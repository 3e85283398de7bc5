package com.hirechat.bench;

import java.util.concurrent.CompletableFuture;

/** One user's real-time connection to a system under test, whatever its protocol. */
interface ChatClient extends AutoCloseable {

    /** Joins a conversation; completes once the server confirms it (replayed events follow when afterSeq is given). */
    CompletableFuture<Void> subscribe(String conversationId, Long afterSeq);

    /** Sends a message without waiting; the ack and the deliveries arrive at the {@link Events}. */
    void send(String conversationId, String clientMessageId, String text);

    /** Keeps the connection alive across idle periods (HireChat closes silent sockets). */
    void ping();

    @Override
    void close();

    /** What a client observes, reported with the {@link System#nanoTime()} at which it arrived. */
    interface Events {
        void acked(String clientMessageId, long atNanos);

        /** seq is -1 where the peer has none (the Socket.io peer). */
        void delivered(String conversationId, long seq, String clientMessageId, String senderId, long atNanos);

        void refused(String code, String clientMessageId);

        void closed(String reason);

        /** Events nobody counts: idle clients, and clients between runs. */
        Events IGNORED = new Events() {
            @Override
            public void acked(String clientMessageId, long atNanos) {
            }

            @Override
            public void delivered(String conversationId, long seq, String clientMessageId, String senderId,
                                  long atNanos) {
            }

            @Override
            public void refused(String code, String clientMessageId) {
            }

            @Override
            public void closed(String reason) {
            }
        };
    }
}
