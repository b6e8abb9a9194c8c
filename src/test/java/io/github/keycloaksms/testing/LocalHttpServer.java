package io.github.keycloaksms.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;

/**
 * The base of the local stand-ins for SMS providers and webhooks: an HTTP server on 127.0.0.1 that
 * records every request and answers what its fake decides. The fakes speak each provider's wire
 * format on top of it.
 */
public final class LocalHttpServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // the JDK server writes an answer's head and body apart: with Nagle's algorithm on, the body
        // waits for the client's delayed ACK, about 40 ms per request, which caps a benchmark's rate
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** One request as it arrived. */
    public record Request(String method, String path, Headers headers, String body) {

        public String header(String name) {
            return headers.getFirst(name);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        /** The body read as a form ({@code application/x-www-form-urlencoded}), in its order. */
        public Map<String, String> form() {
            Map<String, String> form = new LinkedHashMap<>();
            for (String pair : body.split("&")) {
                String[] kv = pair.split("=", 2);
                if (kv.length == 2) {
                    form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
                }
            }
            return form;
        }
    }

    /** What to answer: the status line after {@code delay}, then the body spread over {@code trickle}, as a slow provider does. */
    public record Reply(int status, String contentType, Map<String, String> headers, String body, Duration delay, Duration trickle) {

        public static Reply of(int status, String contentType, String body) {
            return new Reply(status, contentType, Map.of(), body, Duration.ZERO, Duration.ZERO);
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Request> received = new ArrayList<>();

    public LocalHttpServer(Function<Request, Reply> answer) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestHeaders(), new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            synchronized (received) {
                received.add(request);
                received.notifyAll();
            }
            Reply reply = answer.apply(request);
            pause(reply.delay());
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            if (reply.contentType() != null) {
                exchange.getResponseHeaders().add("Content-Type", reply.contentType());
            }
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            if (reply.trickle().isZero() || bytes.length == 0) {
                exchange.getResponseBody().write(bytes);
            } else {
                exchange.getResponseBody().flush();
                for (byte b : bytes) {
                    pause(reply.trickle().dividedBy(bytes.length));
                    exchange.getResponseBody().write(b);
                    exchange.getResponseBody().flush();
                }
            }
            exchange.close();
        });
        server.setExecutor(threads);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://localhost:<port>}. */
    public String url() {
        return "http://localhost:" + port();
    }

    public List<Request> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** How many requests arrived so far: a mark for {@link #since} and {@link #await}. */
    public int mark() {
        synchronized (received) {
            return received.size();
        }
    }

    public List<Request> since(int mark) {
        synchronized (received) {
            return List.copyOf(received.subList(mark, received.size()));
        }
    }

    /** The first request after {@code mark}, waiting up to 10 s for it. */
    public Request await(int mark) {
        Instant deadline = Instant.now().plusSeconds(10);
        synchronized (received) {
            while (received.size() <= mark) {
                long wait = Duration.between(Instant.now(), deadline).toMillis();
                if (wait <= 0) {
                    throw new AssertionError("no request arrived");
                }
                try {
                    received.wait(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
            return received.get(mark);
        }
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
