package io.github.keycloaksms.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/** A local SMS webhook receiver: records what Keycloak POSTs and answers as told per path. */
public final class WebhookSink implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    public record Received(String path, String authorization, String contentType, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    public record Answer(int status, String body, Duration delay) {
    }

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    /** An answer body that sends the request's body back, as some careless APIs do in their errors. */
    public static final String ECHO = "(echo)";

    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    public WebhookSink() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            synchronized (received) {
                received.add(new Received(exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("Authorization"),
                        exchange.getRequestHeaders().getFirst("Content-Type"), body));
                received.notifyAll();
            }
            Answer answer = answers.getOrDefault(exchange.getRequestURI().getPath(), new Answer(200, "{\"ok\":true}", Duration.ZERO));
            KeycloakServer.sleep(answer.delay());
            byte[] bytes = (answer.body().equals(ECHO) ? body : answer.body()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    public String url(String path) {
        return "http://localhost:" + server.getAddress().getPort() + path;
    }

    public void answer(String path, int status, String body, Duration delay) {
        answers.put(path, new Answer(status, body, delay));
    }

    public int mark() {
        synchronized (received) {
            return received.size();
        }
    }

    public List<Received> since(int mark) {
        synchronized (received) {
            return List.copyOf(received.subList(mark, received.size()));
        }
    }

    /** The first request after {@code mark}, waiting for it a little. */
    public Received await(int mark) {
        Instant deadline = Instant.now().plusSeconds(10);
        synchronized (received) {
            while (received.size() <= mark) {
                long wait = Duration.between(Instant.now(), deadline).toMillis();
                if (wait <= 0) {
                    throw new AssertionError("the webhook received nothing");
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

    @Override
    public void close() {
        server.stop(0);
    }
}
