package io.github.keycloaksms.gateway.telegram;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.keycloaksms.testing.LocalHttpServer;

/**
 * Telegram's Gateway API as a local server: {@code checkSendAbility} and
 * {@code sendVerificationMessage} answer a RequestStatus in {@code {"ok": true, "result": ...}};
 * a method told to fail answers {@code {"ok": false, "error": ...}} with the given status.
 */
public final class FakeTelegramGateway implements AutoCloseable {

    private static final HttpClient REPORTS = HttpClient.newHttpClient();

    private final Map<String, LocalHttpServer.Reply> answers = new ConcurrentHashMap<>();
    private final LocalHttpServer server = new LocalHttpServer(request -> answers.getOrDefault(request.path(), status(request)));

    private static LocalHttpServer.Reply status(LocalHttpServer.Request request) {
        String phone = request.json().path("phone_number").asText();
        String requestId = request.json().path("request_id").asText("tg-request-1");
        return LocalHttpServer.Reply.of(200, "application/json", "{\"ok\": true, \"result\": {\"request_id\": \"" + requestId
                + "\", \"phone_number\": \"" + phone + "\", \"request_cost\": 0.01, \"delivery_status\": {\"status\": \"sent\", "
                + "\"updated_at\": 1796000000}}}");
    }

    public String url() {
        return server.url();
    }

    /** The method (e.g. {@code checkSendAbility}) answers this status and body from now on. */
    public void answer(String method, int status, String body) {
        answers.put("/" + method, LocalHttpServer.Reply.of(status, "application/json", body));
    }

    public void fail(String method, int status, String error) {
        answer(method, status, "{\"ok\": false, \"error\": \"" + error + "\"}");
    }

    /**
     * Posts a delivery report to a {@code callback_url} as Telegram does: the body signed with the
     * token, at {@code sentAt}. Returns the status Keycloak answered.
     */
    public static int postReport(String callbackUrl, String token, String body, Instant sentAt) throws IOException, InterruptedException {
        String timestamp = Long.toString(sentAt.getEpochSecond());
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(callbackUrl))
                .header("Content-Type", "application/json")
                .header("X-Request-Timestamp", timestamp)
                .header("X-Request-Signature", TelegramReports.sign(timestamp, bytes, token))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        return REPORTS.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    public List<LocalHttpServer.Request> received() {
        return server.received();
    }

    public int mark() {
        return server.mark();
    }

    /** The request after {@code mark}, waiting up to 10 s for it: codes at phone sign-in go out after the response. */
    public LocalHttpServer.Request await(int mark) {
        return server.await(mark);
    }

    @Override
    public void close() {
        server.close();
    }
}
