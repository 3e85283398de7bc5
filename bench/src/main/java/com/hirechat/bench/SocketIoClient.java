package com.hirechat.bench;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Socket;
import io.socket.engineio.client.transports.WebSocket;
import okhttp3.OkHttpClient;
import org.json.JSONObject;

/**
 * A client of the seed's Socket.IO protocol (join_room / send_message / receive_message): of the Socket.io peer
 * (bench/node-peer/server.js), and of HireChat's own Socket.IO endpoint, which takes a token in the CONNECT's auth.
 */
final class SocketIoClient implements ChatClient {

    private final Socket socket;
    private final String userId;
    private final Events events;

    private SocketIoClient(Socket socket, String userId, Events events) {
        this.socket = socket;
        this.userId = userId;
        this.events = events;
    }

    /** Connects over the WebSocket transport only (no long-polling), like a browser on a good network. */
    static CompletableFuture<ChatClient> connect(OkHttpClient http, URI base, String userId, String token,
                                                 Events events) {
        var builder = IO.Options.builder()
                .setTransports(new String[] {WebSocket.NAME})
                .setForceNew(true)
                .setReconnection(false);
        if (token != null) {
            builder.setAuth(java.util.Map.of("token", token));
        }
        var options = builder.build();
        // one OkHttp client for all sockets: otherwise every socket gets its own thread pools
        options.callFactory = http;
        options.webSocketFactory = http;
        var socket = IO.socket(base, options);
        var client = new SocketIoClient(socket, userId, events);
        var connected = new CompletableFuture<ChatClient>();
        socket.once(Socket.EVENT_CONNECT, args -> connected.complete(client));
        socket.once(Socket.EVENT_CONNECT_ERROR, args -> connected.completeExceptionally(
                new IllegalStateException("connect error: " + (args.length > 0 ? args[0] : ""))));
        socket.on("receive_message", args -> {
            var now = System.nanoTime();
            var data = (JSONObject) args[0];
            events.delivered(data.optString("roomId"), -1, data.optString("clientMessageId"),
                    data.optString("senderId"), now);
        });
        socket.on(Socket.EVENT_DISCONNECT, args -> events.closed("disconnect " + (args.length > 0 ? args[0] : "")));
        socket.connect();
        return connected;
    }

    @Override
    public CompletableFuture<Void> subscribe(String conversationId, Long afterSeq) {
        // the seed has no history replay: afterSeq is ignored; the peer acks the join so the run knows it is in place
        var done = new CompletableFuture<Void>();
        socket.emit("join_room", conversationId, (Ack) args -> done.complete(null));
        return done;
    }

    @Override
    public void send(String conversationId, String clientMessageId, String text) {
        var data = new JSONObject();
        try {
            data.put("roomId", conversationId);
            data.put("clientMessageId", clientMessageId);
            data.put("senderId", userId);
            data.put("text", text);
        } catch (org.json.JSONException e) {
            throw new IllegalStateException(e);
        }
        socket.emit("send_message", data, (Ack) args -> {
            var now = System.nanoTime();
            var answer = args.length > 0 && args[0] instanceof JSONObject object ? object : null;
            if (answer != null && answer.optBoolean("ok")) {
                events.acked(clientMessageId, now);
            } else {
                events.refused(answer == null ? "no_answer" : answer.optString("error"), clientMessageId);
            }
        });
    }

    @Override
    public void ping() {
        // Engine.IO pings by itself
    }

    @Override
    public void close() {
        socket.close();
    }

    static OkHttpClient sharedHttp() {
        // OkHttp 3 reads each WebSocket on a dispatcher thread for the socket's whole life, and the dispatcher
        // allows 5 calls per host by default: without this only 5 clients could ever be connected
        var dispatcher = new okhttp3.Dispatcher();
        dispatcher.setMaxRequests(100_000);
        dispatcher.setMaxRequestsPerHost(100_000);
        return new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .readTimeout(0, java.util.concurrent.TimeUnit.MILLISECONDS)
                .connectTimeout(30, java.util.concurrent.TimeUnit.SECONDS)
                .build();
    }
}
