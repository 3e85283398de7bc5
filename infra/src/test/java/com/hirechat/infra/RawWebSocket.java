package com.hirechat.infra;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A WebSocket client at the byte level, for what well-behaved clients cannot send (invalid UTF-8).
 * Only what the tests need: the handshake, one masked text frame out, unfragmented text frames in.
 */
final class RawWebSocket implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.socket.setSoTimeout(10_000);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawWebSocket open(URI httpBase, String token) throws IOException {
        var raw = new RawWebSocket(new Socket(httpBase.getHost(), httpBase.getPort()));
        var key = new byte[16];
        RANDOM.nextBytes(key);
        var request = "GET /ws?access_token=" + token + " HTTP/1.1\r\n"
                + "Host: " + httpBase.getHost() + ":" + httpBase.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        raw.out.write(request.getBytes(StandardCharsets.US_ASCII));
        raw.out.flush();
        var status = raw.readLine();
        if (!status.contains(" 101 ")) {
            throw new IOException("upgrade refused: " + status);
        }
        while (!raw.readLine().isEmpty()) {
            // skip the response headers
        }
        return raw;
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
        var mask = new byte[4];
        RANDOM.nextBytes(mask);
        out.write(0x81); // FIN + text
        out.write(0x80 | payload.length); // masked; payloads here are under 126 bytes
        out.write(mask);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ mask[i % 4]);
        }
        out.flush();
    }

    String readText() throws IOException {
        var opcode = in.readUnsignedByte() & 0x0F;
        var length = (long) (in.readUnsignedByte() & 0x7F);
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        var payload = new byte[(int) length];
        in.readFully(payload);
        if (opcode != 1) {
            throw new IOException("expected a text frame, got opcode " + opcode);
        }
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
