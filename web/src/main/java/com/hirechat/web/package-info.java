/**
 * Helidon 4 SE front door: the WebSocket protocol and room fan-out, the JSON HTTP API, tokens, and the browser client.
 *
 * <p><b>Runtime rules.</b> A socket's frames are handled one at a time, in arrival order; a command is handed to
 * {@code ChatCommands} and its ack is sent only after the events committed. Everything a socket is sent goes through
 * its {@code Outbox}, whose single writer keeps frames in order and disconnects a client whose backlog overflows
 * (it resumes with {@code afterSeq}). One conversation's events reach a subscriber in seq order, without gaps or
 * duplicates, replay before live ({@code Subscription}); a subscriber only ever sees committed events. Fan-out
 * ({@code RoomHub}) runs on the feed's threads ({@code live-fan-out}, {@code conversation-event-tail}), never on a
 * command thread, and must not block them: a frame is queued, never written in place. A subscription fills a seq
 * hole from the store without holding its lock, then applies it by seq under the lock.
 *
 * <p><b>The tutorial's Socket.IO clients.</b> {@code SocketIoChat} subscribes them through the same {@code RoomHub},
 * delivering to a {@code FrameSink} (the Socket.IO session's bounded single-writer queue) instead of an {@code Outbox};
 * its acks, too, are sent only after the command committed (package {@code web.socketio} has the transport's rules).
 *
 * <p><b>Connections.</b> A socket's state (fragments, typing clock, the frame in hand) is guarded by its own lock, not
 * by the thread Helidon calls it on. It is released by its close, or, when the client vanished without a close frame
 * (Helidon then tells the listener nothing), by the {@code ws-reaper}: once a write to it failed (an idle connection
 * is probed with an unsolicited pong about every 5 s, which draws no answer and so keeps no silent client alive), or
 * once it has been silent past the idle timeout and two idle checks, when Helidon has already dropped it.
 */
package com.hirechat.web;
