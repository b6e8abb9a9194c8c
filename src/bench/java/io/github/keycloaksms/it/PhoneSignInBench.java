package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Whether the response time of phone sign-in tells a number with an account from one without:
 * the median and 95th percentile of the number step (and of a wrong code) for enrolled and unknown
 * numbers, alternating, one visitor at a time, while the gateway takes 300 ms per SMS.
 * Production-mode Keycloak 26.7.3 with PostgreSQL and the webhook gateway. Run with
 * {@code ./mvnw -Pbench verify -Dit.test=PhoneSignInBench}; results in target/bench.
 */
class PhoneSignInBench {

    private static final int NUMBERS = 8;
    private static final int WARM_UP = 80;
    private static final int MEASURED = 1000;
    private static final Duration GATEWAY_DELAY = Duration.ofMillis(300);
    private static final String DATABASE = "keycloak_sms_bench_phone";

    private static KeycloakServer server;

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

    @Test
    void knownAndUnknownNumbersTakeTheSameTime() throws Exception {
        ClusterNodes.freshDatabase(DATABASE);
        server = ClusterNodes.node("phone-bench", DATABASE, 8397, 9397, 7837, "--proxy-headers=xforwarded");
        server.start();
        try (WebhookSink sink = new WebhookSink()) {
            sink.answer("/sms", 200, "{\"ok\":true}", GATEWAY_DELAY);
            TestRealm realm = TestRealm.create(server, "bench-phone", r -> {
                TestRealm.withPhoneSignIn(r, server, false);
                r.setBruteForceProtected(false);
                TestRealm.smsConfig(r).putAll(Map.of("gateway", "webhook", "webhookUrl", sink.url("/sms"),
                        "resendCooldown", "0", "maxSendsPerNumberPerDay", "100", "maxSendsPerIpPerHour", "100",
                        "maxSendsPerCountryPerHour", "100000", "maxSendsPerRealmPerHour", "100000"));
            });
            List<String> known = new ArrayList<>();
            List<String> unknown = new ArrayList<>();
            for (int n = 0; n < NUMBERS; n++) {
                known.add(enroll(realm, sink, n));
                unknown.add("+4915171" + String.format("%06d", n));
            }
            int warmUp = sink.mark();
            visit(realm, known, unknown, WARM_UP, "10.4.");
            awaitSends(sink, warmUp, WARM_UP / 2);
            int mark = sink.mark();
            Timings knownTimes = new Timings();
            Timings unknownTimes = new Timings();
            for (int i = 0; i < MEASURED; i++) {
                boolean isKnown = i % 2 == 0;
                List<String> numbers = isKnown ? known : unknown;
                visitOnce(realm, numbers.get((i / 2) % NUMBERS), address("10.5.", i), isKnown ? knownTimes : unknownTimes);
            }
            awaitSends(sink, mark, MEASURED / 2);

            List<String> report = List.of(
                    "| step (" + MEASURED / 2 + " requests each, alternating) | enrolled number: median | p95 | unknown number: median | p95 |",
                    "|---|---|---|---|---|",
                    row("number typed, code page shown", knownTimes.numberStep(), unknownTimes.numberStep()),
                    row("wrong code", knownTimes.wrongCode(), unknownTimes.wrongCode()),
                    "",
                    "How far two samples of the same kind differ here (enrolled numbers, every other request against the rest): "
                            + noise(knownTimes.numberStep()) + " at the number step, " + noise(knownTimes.wrongCode())
                            + " at a wrong code.",
                    "",
                    "The gateway took " + GATEWAY_DELAY.toMillis() + " ms per SMS; it received " + (MEASURED / 2)
                            + " SMS, one for each enrolled-number request and none for the unknown numbers.");
            Path out = Path.of("target", "bench", "phone-sign-in.md");
            Files.createDirectories(out.getParent());
            Files.write(out, report);
            report.forEach(line -> System.out.println("[bench] " + line));
        }
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

    /** Enrolls the n-th number for a user of its own, with the password flow. */
    private static String enroll(TestRealm realm, WebhookSink sink, int n) {
        String username = "bench-phone-" + n;
        String number = "+4915170" + String.format("%06d", n);
        realm.createUser(username);
        FormLogin user = new FormLogin(address("10.6.", n)).open(realm.authUrl())
                .submit("kc-form-login", Map.of("username", username, "password", TestRealm.PASSWORD));
        int mark = sink.mark();
        user.submit("kc-sms-phone-form", Map.of("phone", number));
        user.submit("kc-sms-code-form", Map.of("code", sink.await(mark).json().path("Body").asText()));
        assertTrue(user.isLoggedIn(), "enrolled " + number);
        return number;
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
