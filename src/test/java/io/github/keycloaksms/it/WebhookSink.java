package io.github.keycloaksms.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.keycloaksms.testing.LocalHttpServer;

/** A local SMS webhook receiver: records what Keycloak POSTs and answers as told per path. */
public final class WebhookSink implements AutoCloseable {

    /** An answer body that sends the request's body back, as some careless APIs do in their errors. */
    public static final String ECHO = "(echo)";
    private static final LocalHttpServer.Reply OK = LocalHttpServer.Reply.of(200, null, "{\"ok\":true}");

    /** One POST as it arrived. */
    public record Received(LocalHttpServer.Request request) {
        public String path() {
            return request.path();
        }

        public String authorization() {
            return request.header("Authorization");
        }

        public String contentType() {
            return request.header("Content-Type");
        }

        public String body() {
            return request.body();
        }

        public JsonNode json() {
            return request.json();
        }
    }

    private final Map<String, LocalHttpServer.Reply> answers = new ConcurrentHashMap<>();
    private final LocalHttpServer server = new LocalHttpServer(request -> {
        LocalHttpServer.Reply reply = answers.getOrDefault(request.path(), OK);
        return reply.body().equals(ECHO) ? new LocalHttpServer.Reply(reply.status(), null, Map.of(), request.body(), reply.delay(), reply.trickle()) : reply;
    });

    public String url(String path) {
        return server.url() + path;
    }

    public void answer(String path, int status, String body, Duration delay) {
        answerSlowly(path, status, body, delay, Duration.ZERO);
    }

    /** The status line after {@code delay}, the body spread over {@code trickle}: a provider that answers only just in time. */
    public void answerSlowly(String path, int status, String body, Duration delay, Duration trickle) {
        answers.put(path, new LocalHttpServer.Reply(status, null, Map.of(), body, delay, trickle));
    }

    public int mark() {
        return server.mark();
    }

    public List<Received> since(int mark) {
        return server.since(mark).stream().map(Received::new).toList();
    }

    /** The first request after {@code mark}, waiting for it a little. */
    public Received await(int mark) {
        return new Received(server.await(mark));
    }

    @Override
    public void close() {
        server.close();
    }
}
