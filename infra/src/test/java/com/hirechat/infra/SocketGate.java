package com.hirechat.infra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP relay in front of a server that can cut and refuse WebSocket connections while plain HTTP still goes through:
 * what a browser meets behind a proxy or a flaky mobile network that drops long-lived connections. The page can still
 * be reloaded, but its socket cannot open. (DevTools' request blocking does not apply to WebSocket handshakes.)
 */
final class SocketGate implements AutoCloseable {

    private static final int MAX_REQUEST_LINE = 8192;

    private final ServerSocket listener;
    private final int targetPort;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<Socket> webSockets = ConcurrentHashMap.newKeySet();
    private volatile boolean blocked;

    private SocketGate(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.submit(this::accept);
    }

    /** A gate relaying to the server at {@code server} (on this machine). */
    static SocketGate inFrontOf(URI server) {
        try {
            return new SocketGate(server.getPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the browser goes instead of the server. */
    URI uri() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/");
    }

    /** Drops every open WebSocket and refuses new ones until {@link #open()}. */
    void block() {
        blocked = true;
        for (var socket : webSockets) {
            closeQuietly(socket);
        }
        webSockets.clear();
    }

    void open() {
        blocked = false;
    }

    @Override
    public void close() {
        closeQuietly(listener);
        block();
        threads.shutdownNow();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                var client = listener.accept();
                threads.submit(() -> relay(client));
            } catch (IOException e) {
                return;   // closed
            }
        }
    }

    private void relay(Socket client) {
        try (client; var upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort)) {
            var head = requestLine(client.getInputStream());
            var webSocket = head.startsWith("GET /ws");
            if (webSocket && blocked) {
                return;   // closed without an answer: the browser reports a failed handshake
            }
            if (webSocket) {
                webSockets.add(client);
                webSockets.add(upstream);
            }
            upstream.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            threads.submit(() -> pipe(client.getInputStream(), upstream.getOutputStream(), upstream));
            pipe(upstream.getInputStream(), client.getOutputStream(), client);
        } catch (IOException e) {
            // one side went away: so does the other
        } finally {
            webSockets.remove(client);
        }
    }

    /** The bytes up to and including the first line feed: enough to tell a WebSocket upgrade from other requests. */
    private static String requestLine(InputStream in) throws IOException {
        var line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            line.write(b);
            if (b == '\n' || line.size() >= MAX_REQUEST_LINE) {
                break;
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static Void pipe(InputStream from, OutputStream to, Socket closeWhenDone) {
        try {
            from.transferTo(to);
        } catch (IOException e) {
            // closed
        } finally {
            closeQuietly(closeWhenDone);
        }
        return null;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
