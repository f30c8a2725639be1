package dev.edapatterns.notify.progress;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One WebSocket handshake over a plain socket: the request line goes out byte for byte as given (malformed escapes,
 * quotes and all, which HTTP client libraries refuse to send), and the outcome is what the server did: an HTTP answer
 * instead of the upgrade, or an upgrade it then closed.
 */
final class RawHandshake {

    /** An HTTP answer ({@code status} other than 101), or an upgrade and the close frame that ended it. */
    record Outcome(int status, String contentType, Short closeCode, String closeReason, int frames) {
    }

    private RawHandshake() {
    }

    /** Sends the upgrade (with {@code authorization} unless null) and reads until an answer or a close, 30 s at most. */
    static Outcome attempt(URI base, String uri, String authorization) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            StringBuilder request = new StringBuilder("GET ").append(uri).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n")
                    .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                    .append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
            if (authorization != null) {
                request.append("Authorization: ").append(authorization).append("\r\n");
            }
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int status = Integer.parseInt(line(in).split(" ")[1]);
            String contentType = null;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                if (header.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
                    contentType = header.substring("content-type:".length()).trim();
                }
            }
            if (status != 101) {
                return new Outcome(status, contentType, null, null, 0);
            }
            int frames = 0;
            while (true) {
                int opcode = in.readUnsignedByte() & 0x0F;
                byte[] payload = new byte[length(in)];
                in.readFully(payload);
                if (opcode == 0x8) {
                    short code = payload.length >= 2 ? (short) (((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF)) : 1005;
                    String reason = payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
                    out.write(new byte[] { (byte) 0x88, (byte) 0x80, 0, 0, 0, 0 }); // our close: empty, masked
                    out.flush();
                    return new Outcome(101, null, code, reason, frames);
                }
                if (opcode == 0x1) {
                    frames++;
                }
            }
        }
    }

    /** A server frame's payload length (servers do not mask). */
    private static int length(DataInputStream in) throws IOException {
        int length = in.readUnsignedByte() & 0x7F;
        if (length == 126) {
            return in.readUnsignedShort();
        }
        if (length == 127) {
            return (int) in.readLong();
        }
        return length;
    }

    private static String line(DataInputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("connection closed in the middle of the answer");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
