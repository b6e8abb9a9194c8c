package io.github.keycloaksms.gateway.webhook;

import java.util.List;

import io.github.keycloaksms.testing.LocalHttpServer;

/** A local stand-in for an SMS provider's API: records each request and answers what the test scripts. */
final class FakeProvider implements AutoCloseable {

    private final LocalHttpServer server;
    private volatile int status = 200;
    private volatile String answer = "{}";

    FakeProvider() {
        server = new LocalHttpServer(request -> LocalHttpServer.Reply.of(status, "application/json", answer));
    }

    String baseUrl() {
        return server.url();
    }

    void answer(int status, String body) {
        this.status = status;
        this.answer = body;
    }

    List<LocalHttpServer.Request> received() {
        return server.received();
    }

    LocalHttpServer.Request only() {
        List<LocalHttpServer.Request> all = received();
        if (all.size() != 1) {
            throw new AssertionError("expected one request, got " + all.size());
        }
        return all.get(0);
    }

    @Override
    public void close() {
        server.close();
    }
}
