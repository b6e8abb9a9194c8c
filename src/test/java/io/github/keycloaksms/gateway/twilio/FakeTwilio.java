package io.github.keycloaksms.gateway.twilio;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.keycloaksms.testing.LocalHttpServer;

/**
 * A local stand-in for Twilio's Messages API: answers as Twilio does (201 with a message
 * resource, or an error document with Twilio's code) and records every request.
 */
public final class FakeTwilio implements AutoCloseable {

    public record Received(String path, String authorization, Map<String, String> form) {
    }

    private final LocalHttpServer server;
    private volatile int status = 201;
    private volatile String body;
    private volatile String contentType = "application/json";
    private volatile Map<String, String> headers = Map.of();
    private volatile Duration stall = Duration.ZERO;

    public FakeTwilio() {
        server = new LocalHttpServer(request -> {
            Map<String, String> form = request.form();
            String answer = body != null ? body : request.path().endsWith("/Calls.json") ? queuedCall(form) : created(form);
            return new LocalHttpServer.Reply(status, contentType, headers, answer, stall, Duration.ZERO);
        });
    }

    public String url() {
        return server.url();
    }

    /** Answers with a Twilio error document, as the real API does for a refused message. */
    public void fail(int httpStatus, int twilioCode, String message) {
        status = httpStatus;
        body = "{\"code\": " + twilioCode + ", \"message\": \"" + message + "\", \"more_info\": \"https://www.twilio.com/docs/errors/"
                + twilioCode + "\", \"status\": " + httpStatus + "}";
    }

    public void answer(int httpStatus, String contentType, String body, Map<String, String> headers) {
        this.status = httpStatus;
        this.contentType = contentType;
        this.body = body;
        this.headers = headers;
    }

    public void stall(Duration stall) {
        this.stall = stall;
    }

    public List<Received> received() {
        return server.received().stream()
                .map(request -> new Received(request.path(), request.header("Authorization"), request.form())).toList();
    }

    /** A call resource as the Calls API answers a new call. */
    private static String queuedCall(Map<String, String> form) {
        return "{\"account_sid\": \"AC00000000000000000000000000000000\", \"api_version\": \"2010-04-01\", "
                + "\"sid\": \"CA00000000000000000000000000000001\", \"status\": \"queued\", \"direction\": \"outbound-api\", "
                + "\"from\": \"" + form.getOrDefault("From", "") + "\", \"to\": \"" + form.getOrDefault("To", "") + "\", "
                + "\"date_created\": null, \"uri\": \"/2010-04-01/Accounts/AC00000000000000000000000000000000/Calls/CA00000000000000000000000000000001.json\"}";
    }

    private static String created(Map<String, String> form) {
        return "{\"account_sid\": \"AC00000000000000000000000000000000\", \"api_version\": \"2010-04-01\", "
                + "\"body\": \"" + form.getOrDefault("Body", "").replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\", "
                + "\"date_created\": \"Wed, 25 Nov 2026 10:00:00 +0000\", \"direction\": \"outbound-api\", \"error_code\": null, "
                + "\"error_message\": null, \"from\": \"" + form.getOrDefault("From", "") + "\", "
                + "\"messaging_service_sid\": " + (form.containsKey("MessagingServiceSid") ? "\"" + form.get("MessagingServiceSid") + "\"" : "null") + ", "
                + "\"num_media\": \"0\", \"num_segments\": \"1\", \"price\": null, \"price_unit\": \"USD\", "
                + "\"sid\": \"SM00000000000000000000000000000001\", \"status\": \"queued\", \"to\": \"" + form.getOrDefault("To", "") + "\", "
                + "\"uri\": \"/2010-04-01/Accounts/AC00000000000000000000000000000000/Messages/SM00000000000000000000000000000001.json\"}";
    }

    @Override
    public void close() {
        server.close();
    }
}
