package io.github.keycloaksms.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A local HTTP forward proxy, as an operator's egress proxy: it asks for Basic credentials, records
 * each request (absolute-form requests and CONNECT), and forwards it to 127.0.0.1 whatever host it
 * names, so a host that only the proxy "knows" ({@code *.proxied.test}) is reachable through it alone.
 */
public final class RecordingProxy implements AutoCloseable {

    public static final String USER = "egress";
    public static final String PASSWORD = "proxy-pw";
    /** A host name only this proxy resolves (to 127.0.0.1). */
    public static final String PROXIED_HOST = "sms.proxied.test";

    public record Request(String method, String target, String proxyAuthorization) {
    }

    private final ServerSocket server;
    private final List<Request> requests = new ArrayList<>();

    public RecordingProxy() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "recording-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Keycloak's proxy mapping that sends *.proxied.test through this proxy, with its credentials. */
    public String mapping() {
        return ".*\\.proxied\\.test;http://" + USER + ":" + PASSWORD + "@127.0.0.1:" + port();
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread handler = new Thread(() -> handle(socket), "recording-proxy-connection");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            String requestLine = line(in);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                headers.put(header.substring(0, colon).strip().toLowerCase(Locale.ROOT), header.substring(colon + 1).strip());
            }
            String[] parts = requestLine.split(" ");
            String authorization = headers.get("proxy-authorization");
            synchronized (requests) {
                requests.add(new Request(parts[0], parts[1], authorization));
            }
            String expected = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
            if (!expected.equals(authorization)) {
                out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"egress\"\r\n"
                        + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            if (parts[0].equals("CONNECT")) {
                out.write("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            forward(parts[0], URI.create(parts[1]), headers, body, out);
        } catch (IOException | RuntimeException e) {
            // the client went away
        }
    }

    private static void forward(String method, URI target, Map<String, String> headers, byte[] body, OutputStream out) throws IOException {
        try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target.getPort())) {
            StringBuilder request = new StringBuilder(method + " " + target.getRawPath()
                    + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery()) + " HTTP/1.1\r\n");
            headers.forEach((name, value) -> {
                if (!name.startsWith("proxy-") && !name.equals("connection")) {
                    request.append(name).append(": ").append(value).append("\r\n");
                }
            });
            request.append("connection: close\r\n\r\n");
            OutputStream up = upstream.getOutputStream();
            up.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            up.write(body);
            up.flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            upstream.getInputStream().transferTo(answer);
            out.write(answer.toByteArray());
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
