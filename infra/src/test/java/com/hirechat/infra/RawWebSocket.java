package com.hirechat.infra;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A WebSocket client at the byte level, for what well-behaved clients cannot send: invalid UTF-8, frames of any
 * size, fragments, unmasked frames, and upgrade requests whose refusal is read in full (status and body).
 */
final class RawWebSocket implements AutoCloseable {

    static final int TEXT = 0x1;
    static final int CONTINUATION = 0x0;
    static final int CLOSE = 0x8;
    static final int PONG = 0xA;

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    /** One frame from the server. */
    record Frame(int opcode, byte[] payload) {

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status code of a close frame. */
        int closeCode() {
            if (opcode != CLOSE || payload.length < 2) {
                throw new IllegalStateException("not a close frame with a code: opcode " + opcode);
            }
            return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }

    /** The server's answer to an upgrade request: its status, headers (lower-case names) and body. */
    record Answer(int status, Map<String, String> headers, String body) {
    }

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.socket.setSoTimeout(10_000);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawWebSocket open(URI httpBase, String token) throws IOException {
        var raw = new RawWebSocket(new Socket(httpBase.getHost(), httpBase.getPort()));
        var answer = raw.handshake(httpBase, "/ws?access_token=" + token, Map.of());
        if (answer.status() != 101) {
            raw.close();
            throw new IOException("upgrade refused: " + answer);
        }
        return raw;
    }

    /**
     * Sends an upgrade request for {@code target} (path and query) with extra headers, and returns the answer; a
     * refused upgrade's body is read in full. The connection is closed afterwards either way.
     */
    static Answer upgrade(URI httpBase, String target, Map<String, String> headers) throws IOException {
        try (var raw = new RawWebSocket(new Socket(httpBase.getHost(), httpBase.getPort()))) {
            return raw.handshake(httpBase, target, headers);
        }
    }

    private Answer handshake(URI httpBase, String target, Map<String, String> extraHeaders) throws IOException {
        var key = new byte[16];
        RANDOM.nextBytes(key);
        var headers = new LinkedHashMap<String, String>();
        headers.put("Host", httpBase.getHost() + ":" + httpBase.getPort());
        headers.put("Upgrade", "websocket");
        headers.put("Connection", "Upgrade");
        headers.put("Sec-WebSocket-Key", Base64.getEncoder().encodeToString(key));
        headers.put("Sec-WebSocket-Version", "13");
        headers.putAll(extraHeaders);
        var request = new StringBuilder("GET " + target + " HTTP/1.1\r\n");
        headers.forEach((name, value) -> {
            if (value != null) {
                request.append(name).append(": ").append(value).append("\r\n");
            }
        });
        out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        var statusLine = readLine();
        var status = Integer.parseInt(statusLine.split(" ")[1]);
        var received = new LinkedHashMap<String, String>();
        for (var line = readLine(); !line.isEmpty(); line = readLine()) {
            var colon = line.indexOf(':');
            received.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        if (status == 101) {
            return new Answer(status, received, "");
        }
        var body = new byte[Integer.parseInt(received.getOrDefault("content-length", "0"))];
        in.readFully(body);
        return new Answer(status, received, new String(body, StandardCharsets.UTF_8));
    }

    private String readLine() throws IOException {
        var line = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("connection closed during handshake");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    void sendText(byte[] payload) throws IOException {
        send(TEXT, true, payload);
    }

    void sendText(String text) throws IOException {
        sendText(text.getBytes(StandardCharsets.UTF_8));
    }

    /** One masked frame, as a client must send it. */
    void send(int opcode, boolean fin, byte[] payload) throws IOException {
        var mask = new byte[4];
        RANDOM.nextBytes(mask);
        var masked = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            masked[i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        writeFrame(opcode, fin, mask, masked);
    }

    /** A frame without the mask every client frame must carry (RFC 6455, 5.1). */
    void sendUnmasked(int opcode, byte[] payload) throws IOException {
        writeFrame(opcode, true, null, payload);
    }

    private void writeFrame(int opcode, boolean fin, byte[] mask, byte[] payload) throws IOException {
        var header = ByteBuffer.allocate(14);
        header.put((byte) ((fin ? 0x80 : 0) | opcode));
        var maskBit = mask == null ? 0 : 0x80;
        if (payload.length < 126) {
            header.put((byte) (maskBit | payload.length));
        } else if (payload.length <= 0xFFFF) {
            header.put((byte) (maskBit | 126)).putShort((short) payload.length);
        } else {
            header.put((byte) (maskBit | 127)).putLong(payload.length);
        }
        if (mask != null) {
            header.put(mask);
        }
        var frame = new ByteArrayOutputStream(header.position() + payload.length);
        frame.write(header.array(), 0, header.position());
        frame.write(payload);
        // one write: a frame must not be interleaved with anything, and per-byte writes are one syscall each
        out.write(frame.toByteArray());
        out.flush();
    }

    /** The next frame but unsolicited pongs: the server's probes of the connection (docs/protocol.md, Heartbeats). */
    Frame readFrame() throws IOException {
        var frame = readAnyFrame();
        while (frame.opcode() == PONG) {
            frame = readAnyFrame();
        }
        return frame;
    }

    private Frame readAnyFrame() throws IOException {
        var opcode = in.readUnsignedByte() & 0x0F;
        var length = (long) (in.readUnsignedByte() & 0x7F);
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        var payload = new byte[(int) length];
        in.readFully(payload);
        return new Frame(opcode, payload);
    }

    String readText() throws IOException {
        var frame = readFrame();
        if (frame.opcode() != TEXT) {
            throw new IOException("expected a text frame, got opcode " + frame.opcode());
        }
        return frame.text();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
