package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.keycloak.representations.idm.AuthenticationExecutionExportRepresentation;
import org.keycloak.representations.idm.AuthenticationFlowRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * What a dead SMS provider costs users who do not use SMS: password-only logins in another realm
 * (4 clients), without the outage and while 250 SMS logins wait on a webhook that never answers,
 * with a working fallback gateway. Once with the guards as shipped, once with them opened wide
 * (as before them). One Keycloak 26.7.3, start-dev, as in the measurement. Run with
 * {@code ./mvnw -Pbench verify -Dit.test=GatewayOutageBench}; results in target/bench.
 */
class GatewayOutageBench {

    private static final int SMS_LOGINS = Integer.getInteger("bench.smsLogins", 250);
    private static final int PLAIN_USERS = 20;
    private static final int CLIENTS = 4;
    private static final int BASELINE_LOGINS = 300;
    private static final Duration OUTAGE_WINDOW = Duration.ofSeconds(Integer.getInteger("bench.window", 60));
    private static final double TARGET = 1.5;

    private static final java.util.concurrent.atomic.AtomicReference<String> FIRST_FAILURE = new java.util.concurrent.atomic.AtomicReference<>();

    private KeycloakServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private record Result(List<Long> baseline, List<Long> outage, int smsLoginsDone, long codesByFallback) {
    }

    @Test
    void aDeadProviderDoesNotSlowDownOtherRealms() throws Exception {
        List<String> report = new ArrayList<>();
        report.add("| guards | password logins, no outage: p50 / p95 | during the outage: p50 / p95 | logins done in the outage window "
                + "| p95 ratio | SMS logins completed | codes delivered by the fallback |");
        report.add("|---|---|---|---|---|---|---|");
        Result shipped = measure("shipped", List.of());
        report.add(row("as shipped (max-in-flight 20, circuit after 5 failures)", shipped, true));
        Result wideOpen = Boolean.getBoolean("bench.quick") ? shipped : measure("wide-open", List.of("--spi-sms-gateway--webhook--max-in-flight=10000",
                "--spi-sms-gateway--webhook--circuit-failures=100000"));
        report.add(row("opened wide (as before them)", wideOpen, false));
        report.add("");
        report.add(String.format("%d SMS logins at once (one thread each) against a webhook that never answers (deadline 8 s), fallback: "
                + "a working gateway; the SMS realm's passwords hashed with 1 iteration, so that the gateway's cost is measured, not that of "
                + "250 password hashes at once; %d password-only clients in another realm, %d logins before the outage, then as many as fit in %d s.",
                SMS_LOGINS, CLIENTS, BASELINE_LOGINS, OUTAGE_WINDOW.toSeconds()));
        if (FIRST_FAILURE.get() != null) {
            Files.writeString(Path.of("target", "bench", "gateway-outage-failed-login.html"), FIRST_FAILURE.get());
        }
        Path out = Path.of("target", "bench", "gateway-outage.md");
        Files.createDirectories(out.getParent());
        Files.write(out, report);
        report.forEach(line -> System.out.println("[bench] " + line));
        double ratio = percentile(shipped.outage(), 95) / percentile(shipped.baseline(), 95);
        assertTrue(ratio <= TARGET, "p95 ratio " + ratio);
        assertTrue(shipped.codesByFallback() >= SMS_LOGINS, "the fallback delivered " + shipped.codesByFallback());
    }

    private Result measure(String name, List<String> options) throws Exception {
        Path home = KeycloakServer.distribution();
        KeycloakServer.installProviders(home);
        List<String> arguments = new ArrayList<>(List.of("start-dev", "--db=dev-mem", "--proxy-headers=xforwarded"));
        arguments.addAll(KeycloakServer.LOCAL_GATEWAY_OPTIONS);
        arguments.addAll(options);
        server = new KeycloakServer(home, 8399, 9399, arguments, Map.of());
        server.start();
        Path codes = Files.createTempFile("outage-codes", ".txt");
        try (WebhookSink sink = new WebhookSink()) {
            sink.answer("/stalled", 200, "{}", Duration.ofSeconds(120));
            TestRealm plain = plainRealm();
            TestRealm sms = smsRealm(sink, codes);
            run(CLIENTS, BASELINE_LOGINS / 2, i -> plainLogin(plain, i));
            List<Long> baseline = run(CLIENTS, BASELINE_LOGINS, i -> plainLogin(plain, i));

            ExecutorService smsClients = Executors.newFixedThreadPool(SMS_LOGINS);
            AtomicInteger smsDone = new AtomicInteger();
            List<Future<?>> smsLogins = new ArrayList<>();
            for (int i = 0; i < SMS_LOGINS; i++) {
                int user = i;
                smsLogins.add(smsClients.submit(() -> {
                    if (smsLogin(sms, user, codes)) {
                        smsDone.incrementAndGet();
                    }
                }));
            }
            List<Long> outage = runFor(CLIENTS, OUTAGE_WINDOW, i -> plainLogin(plain, i));
            for (Future<?> login : smsLogins) {
                login.get(5, TimeUnit.MINUTES);
            }
            smsClients.shutdown();
            long delivered;
            try (var lines = Files.lines(codes)) {
                delivered = lines.count();
            }
            return new Result(baseline, outage, smsDone.get(), delivered);
        } finally {
            Files.write(Path.of("target", "bench", "gateway-outage-" + name + "-server.log"), server.linesSince(0));
            server.stop();
            server = null;
            Files.deleteIfExists(codes);
        }
    }

    private TestRealm plainRealm() {
        TestRealm realm = TestRealm.create(server, "outage-plain", r -> {
            r.setBruteForceProtected(false);
            AuthenticationFlowRepresentation flow = new AuthenticationFlowRepresentation();
            flow.setAlias("password only");
            flow.setProviderId("basic-flow");
            flow.setTopLevel(true);
            flow.setBuiltIn(false);
            flow.setAuthenticationExecutions(List.of(TestRealm.execution("auth-username-password-form", "REQUIRED")));
            List<AuthenticationFlowRepresentation> flows = new ArrayList<>(r.getAuthenticationFlows());
            flows.add(flow);
            r.setAuthenticationFlows(flows);
            r.setBrowserFlow("password only");
            List<UserRepresentation> users = new ArrayList<>();
            for (int u = 0; u < PLAIN_USERS; u++) {
                users.add(TestRealm.userWithPassword("plain-" + u));
            }
            r.setUsers(users);
        });
        return realm;
    }

    private TestRealm smsRealm(WebhookSink sink, Path codes) {
        return TestRealm.create(server, "outage-sms", r -> {
            r.setBruteForceProtected(false);
            // what is measured is the gateway's cost, not that of 250 password hashes at once
            r.setPasswordPolicy("hashAlgorithm(pbkdf2-sha256) and hashIterations(1)");
            TestRealm.smsConfig(r).putAll(Map.of("gateway", "webhook", "webhookUrl", sink.url("/stalled"),
                    "fallbackGateway", "file", "fileGatewayPath", codes.toString(),
                    "maxSendsPerIpPerHour", "100", "maxSendsPerCountryPerHour", "100000", "maxSendsPerRealmPerHour", "100000"));
            List<UserRepresentation> users = new ArrayList<>();
            for (int u = 0; u < SMS_LOGINS; u++) {
                users.add(TestRealm.withSmsNumber(TestRealm.userWithPassword("sms-" + u), phone(u)));
            }
            r.setUsers(users);
        });
    }

    private static String phone(int user) {
        return "+4915172" + String.format("%06d", user);
    }

    private static void plainLogin(TestRealm realm, int i) {
        FormLogin browser = new FormLogin("10.8." + (i % 200) + ".1").open(realm.authUrl())
                .submit("kc-form-login", Map.of("username", "plain-" + (i % PLAIN_USERS), "password", TestRealm.PASSWORD));
        assertTrue(browser.isLoggedIn(), browser.body());
    }

    /** Password, then the code the fallback wrote for this user's number; true when logged in. */
    private static boolean smsLogin(TestRealm realm, int user, Path codes) {
        FormLogin browser = new FormLogin("10.9." + (user / 250) + "." + (user % 250 + 1)).open(realm.authUrl())
                .submit("kc-form-login", Map.of("username", "sms-" + user, "password", TestRealm.PASSWORD));
        String code = codeFor(codes, phone(user));
        if (!browser.body().contains("id=\"kc-sms-code-form\"") || code == null) {
            FIRST_FAILURE.set(browser.body());
            return false;
        }
        return browser.submit("kc-sms-code-form", Map.of("code", code, "verify", "")).isLoggedIn();
    }

    private static String codeFor(Path codes, String phone) {
        try (var lines = Files.lines(codes)) {
            return lines.filter(l -> l.startsWith(phone + " ")).map(l -> l.substring(phone.length() + 1).strip())
                    .reduce((first, last) -> last).orElse(null);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    interface Login {
        void run(int i);
    }

    /** {@code logins} logins by {@code clients} clients at once; the time each took. */
    private static List<Long> run(int clients, int logins, Login login) throws Exception {
        AtomicInteger next = new AtomicInteger();
        return timed(clients, () -> next.get() < logins, next, login);
    }

    /** As many logins as {@code clients} clients do in {@code window}; the time each took. */
    private static List<Long> runFor(int clients, Duration window, Login login) throws Exception {
        Instant end = Instant.now().plus(window);
        return timed(clients, () -> Instant.now().isBefore(end), new AtomicInteger(), login);
    }

    private static List<Long> timed(int clients, BooleanSupplier more, AtomicInteger next, Login login) throws Exception {
        ConcurrentLinkedQueue<Long> timings = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            running.add(pool.submit(() -> {
                while (more.getAsBoolean()) {
                    long start = System.nanoTime();
                    login.run(next.getAndIncrement());
                    timings.add(System.nanoTime() - start);
                }
                return null;
            }));
        }
        for (Future<?> client : running) {
            client.get(10, TimeUnit.MINUTES);
        }
        pool.shutdown();
        return new ArrayList<>(timings);
    }

    private static String row(String guards, Result result, boolean shipped) {
        double ratio = percentile(result.outage(), 95) / percentile(result.baseline(), 95);
        return String.format("| %s | %.0f ms / %.0f ms | %.0f ms / %.0f ms | %d | %.2f%s | %d of %d | %d |", guards,
                percentile(result.baseline(), 50), percentile(result.baseline(), 95),
                percentile(result.outage(), 50), percentile(result.outage(), 95), result.outage().size(), ratio,
                shipped ? String.format(" (target <= %.1f %s)", TARGET, ratio <= TARGET ? "met" : "NOT met") : "",
                result.smsLoginsDone(), SMS_LOGINS, result.codesByFallback());
    }

    private static double percentile(List<Long> nanos, int percent) {
        if (nanos.isEmpty()) {
            return Double.NaN;
        }
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1e6;
    }
}
