/**
 * Engine.IO 4 and Socket.IO 5 on Helidon SE, written from the published specifications
 * (https://socket.io/docs/v4/engine-io-protocol/, https://socket.io/docs/v4/socket-io-protocol/), for the tutorial's
 * front end (docs/migrating-from-the-tutorial.md says why not the {@code io.socket} Java server libraries).
 *
 * <p><b>Transports.</b> A session starts with a long-poll handshake (GET {@code /socket.io/?EIO=4&transport=polling})
 * or directly on a WebSocket; a polling session may upgrade ({@code 2probe}/{@code 3probe}/{@code 5}). Only the
 * default namespace exists; binary packets are refused.
 *
 * <p><b>Order.</b> A session's incoming packets are handled one at a time, in the order they arrive, whichever transport
 * carried them ({@code SocketIoSession#receive} holds the session's lock). Everything the server sends goes through
 * the session's one bounded queue, which exactly one writer drains at a time: the pending GET before the upgrade, the
 * WebSocket writer after it. Items are rendered by that writer, in queue order, so state that must follow delivery
 * order (a recovery offset) is computed there. A client whose queue overflows is disconnected; with recovery it resumes.
 *
 * <p><b>What the handler owns.</b> Acks are the handler's: the chat adapter ({@code com.hirechat.web.SocketIoChat})
 * acknowledges a {@code send_message} only after its command committed, with the same per-sender idempotency as a
 * {@code send}, and delivers room events through the same {@code RoomHub} subscriptions as {@code /ws}. Recovery is
 * the handler's too: the CONNECT reply's {@code pid} and the offset it appends to every event let it resume each room
 * from the last seq the client saw, from the event store, after any disconnect (a server restart included); this layer
 * keeps no state a restart loses that recovery needs.
 */
package com.hirechat.web.socketio;
