import java.io.*;
import java.net.*;
import java.net.http.*;
import java.nio.charset.StandardCharsets;

/**
 * What the JDK HTTP client (the node agent's, HTTP/1.1) puts on the wire for one heartbeat: a single
 * POST /v1/nodes/{id}/heartbeat with its bearer token, and a POST /v1/heartbeats batch of one, plus
 * what each further batch entry adds. The bodies are the agent's (Wire.heartbeat / Wire.batch) for a
 * node id of 13 characters, a 43-character node token and a 5-digit free memory. Prints the request
 * heads (token masked) and the byte counts; docs/scaling.md uses them.
 * Usage: java infra/bench/HeartbeatWire.java
 */
public class HeartbeatWire {
    public static void main(String[] args) throws Exception {
        String token = "A".repeat(43); // HMAC-SHA256, base64url without padding: 43 characters
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            URI base = URI.create("http://127.0.0.1:" + server.getLocalPort());
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String single = "{\"state\":\"idle\",\"freeMemoryMb\":79123}";
            String batch = "{\"heartbeats\":[{\"nodeId\":\"r01-node-0001\",\"state\":\"idle\",\"freeMemoryMb\":79123,\"nodeToken\":\"" + token + "\"}]}";
            String entry = ",{\"nodeId\":\"r01-node-0002\",\"state\":\"idle\",\"freeMemoryMb\":79123,\"nodeToken\":\"" + token + "\"}";
            var a = client.sendAsync(HttpRequest.newBuilder(base.resolve("/v1/nodes/r01-node-0001/heartbeat"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(single)).build(), HttpResponse.BodyHandlers.discarding());
            System.out.println("single: " + read(server) + " bytes");
            var b = client.sendAsync(HttpRequest.newBuilder(base.resolve("/v1/heartbeats"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(batch)).build(), HttpResponse.BodyHandlers.discarding());
            System.out.println("batch of one: " + read(server) + " bytes; each further entry " + entry.length() + " bytes");
        }
    }

    static int read(ServerSocket server) throws IOException {
        try (Socket s = server.accept()) {
            s.setSoTimeout(2000);
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            int contentLength = -1, headerEnd = -1;
            while (true) {
                int n = in.read(buf);
                if (n < 0) break;
                got.write(buf, 0, n);
                String text = got.toString(StandardCharsets.ISO_8859_1);
                if (headerEnd < 0 && (headerEnd = text.indexOf("\r\n\r\n")) >= 0) {
                    for (String line : text.substring(0, headerEnd).split("\r\n")) {
                        if (line.toLowerCase().startsWith("content-length:")) contentLength = Integer.parseInt(line.substring(15).trim());
                    }
                    System.out.print(text.substring(0, headerEnd).replace("A".repeat(43), "<43-char token>") + "\n---\n");
                }
                if (headerEnd >= 0 && got.size() >= headerEnd + 4 + contentLength) break;
            }
            s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes());
            return got.size();
        }
    }
}
