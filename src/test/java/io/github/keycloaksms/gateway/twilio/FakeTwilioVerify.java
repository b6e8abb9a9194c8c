package io.github.keycloaksms.gateway.twilio;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.keycloaksms.testing.LocalHttpServer;

/**
 * A local stand-in for Twilio Verify: a verification makes a code for the number (201, status
 * {@code pending}), the same one again while it is pending; a check answers 200 with {@code approved} for that code, {@code pending} for
 * another, and 404 (error 20404) when the number has no pending verification, as Twilio does. Every
 * answer comes after the same delay, whoever holds the number.
 */
public final class FakeTwilioVerify implements AutoCloseable {

    public static final String SERVICE = "VA0123456789abcdef0123456789abcdef";

    public record Received(String path, String authorization, Map<String, String> form) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final LocalHttpServer server;
    private final Map<String, String> pending = new ConcurrentHashMap<>();
    private volatile Duration delay = Duration.ZERO;
    private volatile LocalHttpServer.Reply forced;
    private volatile String checkStatus;

    public FakeTwilioVerify() {
        server = new LocalHttpServer(request -> {
            LocalHttpServer.Reply reply = forced != null ? forced : answer(request.path(), request.form());
            return new LocalHttpServer.Reply(reply.status(), reply.contentType(), reply.headers(), reply.body(), delay, Duration.ZERO);
        });
    }

    public String url() {
        return server.url();
    }

    public LocalHttpServer server() {
        return server;
    }

    /** The code of the number's pending verification, as the user would read it; null when none is pending. */
    public String codeFor(String e164) {
        return pending.get(e164);
    }

    /** Every answer waits this long: a provider's round trip. */
    public void delay(Duration delay) {
        this.delay = delay;
    }

    /** Answers every request with Twilio's error document from now on. */
    public void fail(int httpStatus, int twilioCode, String message) {
        forced = LocalHttpServer.Reply.of(httpStatus, "application/json", "{\"code\": " + twilioCode + ", \"message\": \"" + message
                + "\", \"more_info\": \"https://www.twilio.com/docs/errors/" + twilioCode + "\", \"status\": " + httpStatus + "}");
    }

    /** Answers every request with this, from now on. */
    public void answer(int httpStatus, String contentType, String body) {
        forced = LocalHttpServer.Reply.of(httpStatus, contentType, body);
    }

    /** Answers as Twilio does again, after {@link #fail} or {@link #answer}. */
    public void recover() {
        forced = null;
    }

    /** Checks of a pending verification answer this status, whatever the code. */
    public void checkStatus(String status) {
        this.checkStatus = status;
    }

    public List<Received> received() {
        return server.received().stream()
                .map(request -> new Received(request.path(), request.header("Authorization"), request.form())).toList();
    }

    private LocalHttpServer.Reply answer(String path, Map<String, String> form) {
        String to = form.getOrDefault("To", "");
        if (path.equals("/v2/Services/" + SERVICE + "/Verifications")) {
            // as Twilio does: a new verification while one is pending sends the same code again
            pending.computeIfAbsent(to, number -> {
                StringBuilder code = new StringBuilder();
                for (int i = 0; i < 6; i++) {
                    code.append(RANDOM.nextInt(10));
                }
                return code.toString();
            });
            return LocalHttpServer.Reply.of(201, "application/json", verification(to, form.getOrDefault("Channel", "sms"), "pending"));
        } else if (path.equals("/v2/Services/" + SERVICE + "/VerificationCheck")) {
            String code = pending.get(to);
            if (code == null) {
                return LocalHttpServer.Reply.of(404, "application/json", "{\"code\": 20404, \"message\": \"The requested resource "
                        + "/Services/" + SERVICE + "/VerificationCheck was not found\", \"more_info\": "
                        + "\"https://www.twilio.com/docs/errors/20404\", \"status\": 404}");
            }
            boolean right = code.equals(form.get("Code"));
            if (right && checkStatus == null) {
                pending.remove(to);
            }
            return LocalHttpServer.Reply.of(200, "application/json",
                    verification(to, "sms", checkStatus != null ? checkStatus : right ? "approved" : "pending"));
        }
        return LocalHttpServer.Reply.of(404, "application/json", "{\"code\": 20404, \"message\": \"not found\", \"status\": 404}");
    }

    private static String verification(String to, String channel, String status) {
        return "{\"sid\": \"VE0123456789abcdef0123456789abcdef\", \"service_sid\": \"" + SERVICE + "\", "
                + "\"account_sid\": \"AC00000000000000000000000000000000\", \"to\": \"" + to + "\", \"channel\": \"" + channel + "\", "
                + "\"status\": \"" + status + "\", \"valid\": " + "approved".equals(status) + ", \"amount\": null, \"payee\": null, "
                + "\"date_created\": \"2026-12-07T20:00:00Z\", \"date_updated\": \"2026-12-07T20:00:00Z\", \"lookup\": {}, "
                + "\"send_code_attempts\": [{\"time\": \"2026-12-07T20:00:00Z\", \"channel\": \"SMS\", \"attempt_sid\": "
                + "\"VL0123456789abcdef0123456789abcdef\"}], \"sna\": null, \"url\": \"https://verify.twilio.com/v2/Services/"
                + SERVICE + "/Verifications/VE0123456789abcdef0123456789abcdef\"}";
    }

    @Override
    public void close() {
        server.close();
    }
}
