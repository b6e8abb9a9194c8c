package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * One realm's slow provider and flooded sign-up must not slow another realm's codes: the send pools
 * and the gateways' in-flight places are shared by the realms of a node, fairly.
 */
class FairnessIT {

    private static final KeycloakServer server = KeycloakServer.shared();
    private static final SmsLog sms = new SmsLog(server);
    private static final String NEIGHBOUR = "+49 151 91000001";
    private static final int FLOOD = 90;

    @Test
    void aRealmWhoseProviderAnswersOnlyJustInTimeDoesNotDelayAnotherRealmsCodes() {
        try (WebhookSink sink = new WebhookSink()) {
            // the status line after 4.5 s, the body trickled until 5.5 s: inside every timeout of the client, and early
            // enough that the circuit breaker, which opens on answers near the deadline (CircuitBreakerTest), lets them be
            sink.answerSlowly("/slow", 200, "{\"status\": \"queued\", \"padding\": \"" + "x".repeat(32) + "\"}",
                    Duration.ofMillis(4500), Duration.ofMillis(1000));
            TestRealm slow = TestRealm.create("slow-provider", r -> {
                TestRealm.withPhoneSignIn(r, server, true);
                r.setRegistrationAllowed(true);
                TestRealm.smsConfig(r).putAll(Map.of("gateway", "webhook", "webhookUrl", sink.url("/slow"), "allowedRegions", "DE",
                        "maxSendsPerIpPerHour", "100", "resendCooldown", "0", "backoffPerNumber", "false"));
            });
            TestRealm fast = TestRealm.create("fast-neighbour", r -> {
                TestRealm.withPhoneSignIn(r, server, false);
                TestRealm.withResetBySms(r);
                TestRealm.smsConfig(r).putAll(Map.of("maxSendsPerIpPerHour", "100", "resendCooldown", "0", "backoffPerNumber", "false"));
            });
            try {
                Steps.enrolledUser(fast, sms, "neighbour", NEIGHBOUR, "01");
                int slowMark = sink.mark();
                for (int i = 0; i < FLOOD; i++) {
                    try (Browser visitor = new Browser()) {
                        visitor.open(slow.phoneAuthUrl()).fill("phone", String.format("+49 151 920000%02d", i)).submit("send");
                    }
                }
                List<Long> millis = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    millis.add(timeToCode(() -> new Browser().open(fast.phoneAuthUrl()).fill("phone", NEIGHBOUR).submit("send")));
                    millis.add(timeToCode(() -> new Browser().open(fast.authUrl()).followLinkText("Forgot Password?")
                            .fill("username", "neighbour").submitForm("//form[@id='kc-reset-password-form']")));
                }
                assertTrue(sink.since(slowMark).size() < FLOOD, "the slow realm's sends were still under way: "
                        + sink.since(slowMark).size());
                millis.sort(Long::compare);
                long p95 = millis.get((int) Math.ceil(0.95 * millis.size()) - 1);
                assertTrue(p95 < 2000, "the neighbour's phone sign-in and reset codes, ms: " + millis);
            } finally {
                slow.delete();
                fast.delete();
            }
        }
    }

    /** Milliseconds from the visitor's request to the code in the neighbour realm's log. */
    private static long timeToCode(java.util.function.Supplier<Browser> request) {
        int mark = sms.mark();
        long start = System.nanoTime();
        try (Browser browser = request.get()) {
            sms.awaitCode(mark, "01");
        }
        return (System.nanoTime() - start) / 1_000_000;
    }
}
