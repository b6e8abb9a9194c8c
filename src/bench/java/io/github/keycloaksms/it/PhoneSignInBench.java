package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.keycloaksms.gateway.twilio.FakeTwilioVerify;

/**
 * Whether the response time of phone sign-in tells a number with an account from one without:
 * the median and 95th percentile of the number step (and of a wrong code) for enrolled and unknown
 * numbers, alternating, one visitor at a time, while the gateway takes 100 ms per SMS; and the same
 * with Twilio Verify, which is asked about every wrong code.
 * Production-mode Keycloak 26.7.3 with PostgreSQL and the webhook gateway. Run with
 * {@code ./mvnw -Pbench verify -Dit.test=PhoneSignInBench}; results in target/bench.
 */
class PhoneSignInBench {

    private static final int NUMBERS = 8;
    private static final int WARM_UP = 80;
    private static final int MEASURED = 1000;
    private static final Duration GATEWAY_DELAY = Duration.ofMillis(100);
    private static final Duration VERIFY_DELAY = Duration.ofMillis(100);
    private static final String DATABASE = "keycloak_sms_bench_phone";

    private static KeycloakServer server;

    @BeforeAll
    static void start() {
        ClusterNodes.freshDatabase(DATABASE);
        server = ClusterNodes.node("phone-bench", DATABASE, 8397, 9397, 7837, "--proxy-headers=xforwarded");
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private record Timings(List<Long> numberStep, List<Long> wrongCode) {
        Timings() {
            this(new ArrayList<>(), new ArrayList<>());
        }
    }

    /** The same visits for enrolled and for unknown numbers, alternating. */
    private record Measured(Timings known, Timings unknown) {
    }

    @Test
    void knownAndUnknownNumbersTakeTheSameTime() throws Exception {
        try (WebhookSink sink = new WebhookSink()) {
            sink.answer("/sms", 200, "{\"ok\":true}", GATEWAY_DELAY);
            TestRealm realm = realm("bench-phone", sink);
            List<String> known = enroll(realm, sink, "+4915170");
            int warmUp = sink.mark();
            visit(realm, known, unknown(), WARM_UP, "10.4.");
            awaitSends(sink, warmUp, WARM_UP / 2);
            int mark = sink.mark();
            Measured measured = measure(realm, known, unknown(), "10.5.");
            awaitSends(sink, mark, MEASURED / 2);
            report("phone-sign-in.md", measured, "The gateway took " + GATEWAY_DELAY.toMillis() + " ms per SMS; it received "
                    + (MEASURED / 2) + " SMS, one for each enrolled-number request and none for the unknown numbers.");
        }
    }

    /**
     * With Twilio Verify, which makes and checks the codes: every wrong code is put to Twilio, for
     * enrolled and unknown numbers alike, and Twilio answers after the same delay either way.
     */
    @Test
    void knownAndUnknownNumbersCostTheSameCheckWithTwilioVerify() throws Exception {
        try (WebhookSink sink = new WebhookSink(); FakeTwilioVerify verify = new FakeTwilioVerify()) {
            sink.answer("/sms", 200, "{\"ok\":true}", GATEWAY_DELAY);
            verify.delay(VERIFY_DELAY);
            TestRealm realm = realm("bench-phone-verify", sink);
            List<String> known = enroll(realm, sink, "+4915172");
            realm.addGateway("verify", Map.of("kind", "twilio-verify", "twilioVerifyAccountSid", "AC00000000000000000000000000000000",
                    "twilioVerifyAuthToken", "token-1", "twilioVerifyServiceSid", FakeTwilioVerify.SERVICE,
                    "twilioVerifyApiUrl", verify.url()));
            Map<String, String> settings = new HashMap<>(realm.smsSettings());
            settings.putAll(Map.of("gateway", "verify", "resetCodeLength", "6"));
            assertEquals(204, realm.updateSmsSettings(settings).status());
            visit(realm, known, unknown(), WARM_UP, "10.7.");
            int mark = verify.server().mark();
            Measured measured = measure(realm, known, unknown(), "10.8.");
            Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
            while (verify.server().since(mark).size() < MEASURED * 3 / 2 && Instant.now().isBefore(deadline)) {
                KeycloakServer.sleep(Duration.ofMillis(200));
            }
            Map<String, Long> requests = verify.server().since(mark).stream()
                    .collect(Collectors.groupingBy(request -> request.path().substring(request.path().lastIndexOf('/') + 1),
                            TreeMap::new, Collectors.counting()));
            assertEquals(Map.of("VerificationCheck", (long) MEASURED, "Verifications", (long) MEASURED / 2), requests,
                    "a verification for each enrolled-number request, a check for every wrong code");
            report("phone-sign-in-verify.md", measured, "Twilio Verify (a local stand-in) answered every request after "
                    + VERIFY_DELAY.toMillis() + " ms: " + requests.get("Verifications") + " verifications started (one for each "
                    + "enrolled-number request, none for the unknown numbers) and " + requests.get("VerificationCheck")
                    + " checks (one for every wrong code, enrolled or unknown number).");
        }
    }

    private static TestRealm realm(String name, WebhookSink sink) {
        return TestRealm.create(server, name, r -> {
            TestRealm.withPhoneSignIn(r, server, false);
            r.setBruteForceProtected(false);
            TestRealm.smsConfig(r).putAll(Map.of("gateway", "webhook", "webhookUrl", sink.url("/sms"),
                    "resendCooldown", "0", "maxSendsPerNumberPerDay", "100", "maxSendsPerIpPerHour", "100",
                    "maxSendsPerCountryPerHour", "100000", "maxSendsPerRealmPerHour", "100000",
                    "maxVisitorSendsPerCountryPerHour", "100000", "maxVisitorSendsPerRealmPerHour", "100000",
                    "backoffPerNumber", "false"));
        });
    }

    private static List<String> unknown() {
        List<String> unknown = new ArrayList<>();
        for (int n = 0; n < NUMBERS; n++) {
            unknown.add("+4915171" + String.format("%06d", n));
        }
        return unknown;
    }

    private static Measured measure(TestRealm realm, List<String> known, List<String> unknown, String addressPrefix) {
        Measured measured = new Measured(new Timings(), new Timings());
        for (int i = 0; i < MEASURED; i++) {
            boolean isKnown = i % 2 == 0;
            List<String> numbers = isKnown ? known : unknown;
            visitOnce(realm, numbers.get((i / 2) % NUMBERS), address(addressPrefix, i), isKnown ? measured.known() : measured.unknown());
        }
        return measured;
    }

    private static void report(String file, Measured measured, String gateway) throws IOException {
        List<String> report = List.of(
                "| step (" + MEASURED / 2 + " requests each, alternating) | enrolled number: median | p95 | unknown number: median | p95 |",
                "|---|---|---|---|---|",
                row("number typed, code page shown", measured.known().numberStep(), measured.unknown().numberStep()),
                row("wrong code", measured.known().wrongCode(), measured.unknown().wrongCode()),
                "",
                "How far two samples of the same kind differ here (enrolled numbers, every other request against the rest): "
                        + noise(measured.known().numberStep()) + " at the number step, " + noise(measured.known().wrongCode())
                        + " at a wrong code.",
                "",
                gateway);
        Path out = Path.of("target", "bench", file);
        Files.createDirectories(out.getParent());
        Files.write(out, report);
        report.forEach(line -> System.out.println("[bench] " + line));
    }

    private static void visit(TestRealm realm, List<String> known, List<String> unknown, int requests, String addressPrefix) {
        Timings ignored = new Timings();
        for (int i = 0; i < requests; i++) {
            List<String> numbers = i % 2 == 0 ? known : unknown;
            visitOnce(realm, numbers.get((i / 2) % NUMBERS), address(addressPrefix, i), ignored);
        }
    }

    /** A new visitor opens phone sign-in, types the number, then a wrong code; both posts are timed. */
    private static void visitOnce(TestRealm realm, String number, String address, Timings timings) {
        FormLogin visitor = new FormLogin(address).open(realm.phoneAuthUrl());
        long start = System.nanoTime();
        visitor.submit("kc-sms-phone-form", Map.of("phone", number));
        timings.numberStep().add(System.nanoTime() - start);
        assertTrue(visitor.body().contains("id=\"kc-sms-code-form\""), "the code page");
        start = System.nanoTime();
        visitor.submit("kc-sms-code-form", Map.of("code", "000000"));
        timings.wrongCode().add(System.nanoTime() - start);
        assertTrue(visitor.body().contains("That code is not right."), "the wrong-code message");
    }

    /** Enrolls {@link #NUMBERS} numbers under {@code prefix}, each for a user of its own, with the password flow. */
    private static List<String> enroll(TestRealm realm, WebhookSink sink, String prefix) {
        List<String> numbers = new ArrayList<>();
        for (int n = 0; n < NUMBERS; n++) {
            String username = realm.name() + "-" + n;
            String number = prefix + String.format("%06d", n);
            realm.createUser(username);
            FormLogin user = new FormLogin(address("10.6.", n)).open(realm.authUrl())
                    .submit("kc-form-login", Map.of("username", username, "password", TestRealm.PASSWORD));
            int mark = sink.mark();
            user.submit("kc-sms-phone-form", Map.of("phone", number));
            user.submit("kc-sms-code-form", Map.of("code", sink.await(mark).json().path("Body").asText()));
            assertTrue(user.isLoggedIn(), "enrolled " + number);
            numbers.add(number);
        }
        return numbers;
    }

    /** The sends run behind the responses: waits until the gateway has had them all. */
    private static void awaitSends(WebhookSink sink, int mark, int expected) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (sink.since(mark).size() < expected && Instant.now().isBefore(deadline)) {
            KeycloakServer.sleep(Duration.ofMillis(200));
        }
        KeycloakServer.sleep(Duration.ofSeconds(1));   // any SMS that should not come
        assertEquals(expected, sink.since(mark).size(), "one SMS per enrolled-number request, none for unknown numbers");
    }

    private static String address(String prefix, int i) {
        return prefix + (i / 250) + "." + (i % 250 + 1);
    }

    private static String row(String step, List<Long> known, List<Long> unknown) {
        return String.format("| %s | %.1f ms | %.1f ms | %.1f ms | %.1f ms |", step,
                percentile(known, 50), percentile(known, 95), percentile(unknown, 50), percentile(unknown, 95));
    }

    /** The medians of the interleaved halves of one kind's timings, as "a ms vs b ms". */
    private static String noise(List<Long> nanos) {
        List<Long> even = new ArrayList<>();
        List<Long> odd = new ArrayList<>();
        for (int i = 0; i < nanos.size(); i++) {
            (i % 2 == 0 ? even : odd).add(nanos.get(i));
        }
        return String.format("median %.1f ms vs %.1f ms, p95 %.1f ms vs %.1f ms",
                percentile(even, 50), percentile(odd, 50), percentile(even, 95), percentile(odd, 95));
    }

    private static double percentile(List<Long> nanos, int percent) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1e6;
    }
}
