package dev.gridstate.testkit.toxiproxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A raw Redis connection for measuring a proxy: PINGs written and answers read byte by byte. */
final class RespSocket implements AutoCloseable {

    private final Socket socket;

    private RespSocket(Socket socket) {
        this.socket = socket;
    }

    static RespSocket open(int port, Duration readTimeout) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(Math.toIntExact(readTimeout.toMillis()));
        return new RespSocket(socket);
    }

    void sendPing() throws IOException {
        send("PING\r\n");
    }

    void send(String command) throws IOException {
        socket.getOutputStream().write(command.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** One line, without its CRLF; null at end of stream. */
    String readLine() throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.US_ASCII);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return null;
    }

    String ping() throws IOException {
        sendPing();
        return readLine();
    }

    /** Every byte until the other side closes. */
    byte[] readToEnd() throws IOException {
        return socket.getInputStream().readAllBytes();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
