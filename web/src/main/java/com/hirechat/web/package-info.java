/**
 * Helidon 4 SE front door: the WebSocket protocol and room fan-out, the JSON HTTP API, tokens, and the browser client.
 *
 * <p><b>Runtime rules.</b> A socket's frames are handled one at a time, in arrival order; a command is handed to
 * {@code ChatCommands} and its ack is sent only after the events committed. Everything a socket is sent goes through
 * its {@code Outbox}, whose single writer keeps frames in order and disconnects a client whose backlog overflows
 * (it resumes with {@code afterSeq}). One conversation's events reach a subscriber in seq order, without gaps or
 * duplicates, replay before live ({@code Subscription}); a subscriber only ever sees committed events. Fan-out
 * ({@code RoomHub}) must not block the thread that hands it events.
 */
package com.hirechat.web;
