package com.hirechat.web.socketio;

import java.time.Duration;
import java.util.List;

/** What a handler may do with its client's Socket.IO connection; every method may be called from any thread. */
public interface SocketIoConnection {

    /** Queues an EVENT packet; false when the connection is closing or overflowed (it is then closed). */
    default boolean emit(String event, List<?> args) {
        return queue(Outgoing.of(event(event, args)));
    }

    /** Queues an item; false when the connection is closing or overflowed (it is then closed). */
    boolean queue(Outgoing item);

    /** Queues an item, waiting up to {@code patience} for room; false, and closed, when none came. */
    boolean queueWaiting(Outgoing item, Duration patience);

    /** Answers the client's EVENT that carried {@code ackId}. */
    default void ack(long ackId, List<?> args) {
        queue(Outgoing.of(SocketIoSession.MESSAGE + SocketIoPacket.encode(SocketIoPacket.ACK, ackId, args)));
    }

    boolean isOpen();

    /** The client fell too far behind: closes the connection; a client with recovery reconnects and resumes. */
    void closeForBacklog();

    /** The Engine.IO packet of an EVENT with these arguments. */
    static String event(String event, List<?> args) {
        var all = new java.util.ArrayList<Object>(args.size() + 1);
        all.add(event);
        all.addAll(args);
        return SocketIoSession.MESSAGE + SocketIoPacket.encode(SocketIoPacket.EVENT, null, all);
    }
}
