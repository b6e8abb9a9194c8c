package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.keycloak.models.utils.TimeBasedOTP;
import org.keycloak.representations.idm.AuthenticationExecutionExportRepresentation;
import org.keycloak.representations.idm.AuthenticationFlowRepresentation;
import org.keycloak.representations.idm.PartialImportRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * Full logins (password, then the second factor) per second through our {@code sms-otp-form} (the
 * webhook gateway, to a local sink) and through Keycloak's own OTP form, on one production-mode
 * Keycloak with PostgreSQL, several clients at once; also the JAR's size and Keycloak's start time
 * with and without it. Run with {@code ./mvnw -Pbench verify}; results in target/bench.
 */
class LoginThroughputBench {

    private static final int CLIENTS = 4;
    private static final int USERS = 150;
    private static final int WARM_UP = 80;
    private static final int LOGINS_PER_ROUND = 300;
    private static final int ROUNDS = 5;
    private static final String OTP_SECRET = "benchmark-otp-secret-0123456789";

    private static final List<KeycloakServer> started = new ArrayList<>();
    private static final AtomicInteger clientAddress = new AtomicInteger();

    @AfterAll
    static void stop() {
        started.forEach(KeycloakServer::stop);
    }

    @Test
    void loginsPerSecondStartTimeAndJarSize() throws Exception {
        List<String> report = new ArrayList<>();
        long jarBytes = Files.size(Path.of(System.getProperty("sms.jar")));
        report.add("JAR: " + String.format("%.1f MB", jarBytes / 1e6) + " (" + jarBytes + " bytes)");
        report.add("");
        report.add("| Keycloak 26.7.3, production mode, PostgreSQL | first start (with build) | restart |");
        report.add("|---|---|---|");

        KeycloakServer withoutExtension = node("start-plain", 8391, false);
        Duration[] plain = startTwice(withoutExtension);
        withoutExtension.stop();
        report.add("| without the extension | " + seconds(plain[0]) + " | " + seconds(plain[1]) + " |");
        KeycloakServer server = node("start-sms", 8392, true);
        Duration[] withJar = startTwice(server);
        report.add("| with the extension | " + seconds(withJar[0]) + " | " + seconds(withJar[1]) + " |");
        report.add("");

        try (WebhookSink sink = new WebhookSink()) {
            TestRealm smsRealm = smsRealm(server, sink);
            TestRealm otpRealm = otpRealm(server);
            IntConsumer smsLogin = i -> smsLogin(smsRealm, sink, i % USERS);
            IntConsumer otpLogin = i -> otpLogin(otpRealm, i % USERS);
            run(server, smsLogin, WARM_UP);
            run(server, otpLogin, WARM_UP);

            report.add("| round | sms-otp-form logins/s | built-in OTP logins/s | ratio | sms-otp-form server CPU/login | built-in server CPU/login | ratio of CPU, built-in/ours |");
            report.add("|---|---|---|---|---|---|---|");
            List<Double> ratios = new ArrayList<>();
            List<Double> cpuRatios = new ArrayList<>();
            for (int round = 1; round <= ROUNDS; round++) {
                // alternate which flow goes first, so that a drift of the machine favours neither
                Run ours;
                Run builtIn;
                if (round % 2 == 1) {
                    ours = run(server, smsLogin, LOGINS_PER_ROUND);
                    builtIn = run(server, otpLogin, LOGINS_PER_ROUND);
                } else {
                    builtIn = run(server, otpLogin, LOGINS_PER_ROUND);
                    ours = run(server, smsLogin, LOGINS_PER_ROUND);
                }
                ratios.add(ours.perSecond() / builtIn.perSecond());
                cpuRatios.add(builtIn.cpuMillisPerLogin() / ours.cpuMillisPerLogin());
                report.add(String.format("| %d | %.1f | %.1f | %.2f | %.1f ms | %.1f ms | %.2f |", round, ours.perSecond(), builtIn.perSecond(),
                        ours.perSecond() / builtIn.perSecond(), ours.cpuMillisPerLogin(), builtIn.cpuMillisPerLogin(),
                        builtIn.cpuMillisPerLogin() / ours.cpuMillisPerLogin()));
                System.out.println("[bench] " + report.get(report.size() - 1));
            }
            ratios.sort(Double::compare);
            cpuRatios.sort(Double::compare);
            report.add("");
            report.add(String.format("Median ratio ours/built-in: %.2f in logins per second, %.2f in server CPU per login "
                    + "(%d clients, %d logins per round and flow)",
                    ratios.get(ratios.size() / 2), cpuRatios.get(cpuRatios.size() / 2), CLIENTS, LOGINS_PER_ROUND));
        }
        Path out = Path.of("target", "bench", "login-throughput.md");
        Files.createDirectories(out.getParent());
        Files.write(out, report);
        report.forEach(line -> System.out.println("[bench] " + line));
    }

    private static KeycloakServer node(String name, int port, boolean withExtension) throws IOException {
        String database = "keycloak_sms_bench_" + name.replace('-', '_');
        ClusterNodes.freshDatabase(database);
        KeycloakServer node = ClusterNodes.node(name, database, port, port + 1000, port - 560, "--proxy-headers=xforwarded");
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(node.home().resolve("providers"), "*.jar")) {
            for (Path jar : jars) {
                if (!withExtension || !jar.getFileName().toString().equals("keycloak-sms-authenticator.jar")) {
                    Files.delete(jar);
                }
            }
        }
        started.add(node);
        return node;
    }

    /** The first start builds and creates the schema; the second is a plain restart. */
    private static Duration[] startTwice(KeycloakServer node) {
        Duration[] took = new Duration[2];
        for (int i = 0; i < 2; i++) {
            long start = System.nanoTime();
            node.start();
            took[i] = Duration.ofNanos(System.nanoTime() - start);
            if (i == 0) {
                node.stop();
            }
        }
        return took;
    }

    private static TestRealm smsRealm(KeycloakServer server, WebhookSink sink) {
        TestRealm realm = TestRealm.create(server, "bench-sms", r -> {
            r.setBruteForceProtected(false);
            Map<String, String> config = TestRealm.smsConfig(r);
            config.putAll(Map.of("gateway", "webhook", "webhookUrl", sink.url("/sms"), "resendCooldown", "0",
                    "maxSendsPerUserPerDay", "100", "maxSendsPerNumberPerDay", "100", "maxSendsPerIpPerHour", "100"));
        });
        for (int user = 0; user < USERS; user++) {
            realm.createUser(username(user));
            FormLogin browser = new FormLogin(nextClientAddress()).open(realm.authUrl())
                    .submit("kc-form-login", Map.of("username", username(user), "password", TestRealm.PASSWORD));
            int mark = sink.mark();
            browser.submit("kc-sms-phone-form", Map.of("phone", phone(user), "send", ""))
                    .submit("kc-sms-code-form", Map.of("code", codeTo(sink, mark, user), "verify", ""));
            assertTrue(browser.isLoggedIn(), browser.body());
        }
        return realm;
    }

    private static TestRealm otpRealm(KeycloakServer server) {
        TestRealm realm = TestRealm.create(server, "bench-otp", r -> {
            r.setBruteForceProtected(false);
            // a policy given at import starts from zero, not from Keycloak's defaults: spell them out
            r.setOtpPolicyType("totp");
            r.setOtpPolicyAlgorithm("HmacSHA1");
            r.setOtpPolicyDigits(6);
            r.setOtpPolicyPeriod(30);
            r.setOtpPolicyLookAheadWindow(1);
            r.setOtpPolicyCodeReusable(true);
            AuthenticationFlowRepresentation flow = new AuthenticationFlowRepresentation();
            flow.setAlias("browser with OTP");
            flow.setProviderId("basic-flow");
            flow.setTopLevel(true);
            flow.setBuiltIn(false);
            AuthenticationExecutionExportRepresentation password = TestRealm.execution("auth-username-password-form", "REQUIRED");
            password.setPriority(10);
            AuthenticationExecutionExportRepresentation otp = TestRealm.execution("auth-otp-form", "REQUIRED");
            otp.setPriority(20);
            flow.setAuthenticationExecutions(List.of(password, otp));
            List<AuthenticationFlowRepresentation> flows = new ArrayList<>(r.getAuthenticationFlows());
            flows.add(flow);
            r.setAuthenticationFlows(flows);
            r.setBrowserFlow("browser with OTP");
        });
        List<UserRepresentation> users = new ArrayList<>();
        for (int user = 0; user < USERS; user++) {
            users.add(TestRealm.userWithTotp(username(user), OTP_SECRET));
        }
        PartialImportRepresentation partial = new PartialImportRepresentation();
        partial.setIfResourceExists("FAIL");
        partial.setUsers(users);
        AdminApi.Response response = realm.admin().post(realm.path("/partialImport"), partial);
        assertTrue(response.status() == 200, response.body());
        return realm;
    }

    private static void smsLogin(TestRealm realm, WebhookSink sink, int user) {
        FormLogin browser = new FormLogin(nextClientAddress()).open(realm.authUrl());
        int mark = sink.mark();
        browser.submit("kc-form-login", Map.of("username", username(user), "password", TestRealm.PASSWORD))
                .submit("kc-sms-code-form", Map.of("code", codeTo(sink, mark, user), "verify", ""));
        assertTrue(browser.isLoggedIn(), browser.body());
    }

    private static void otpLogin(TestRealm realm, int user) {
        FormLogin browser = new FormLogin(nextClientAddress()).open(realm.authUrl())
                .submit("kc-form-login", Map.of("username", username(user), "password", TestRealm.PASSWORD));
        String otp = new TimeBasedOTP("HmacSHA1", 6, 30, 1).generateTOTP(OTP_SECRET);
        browser.submit("kc-otp-login-form", Map.of("otp", otp, "login", ""));
        assertTrue(browser.isLoggedIn(), browser.body());
    }

    /** Logins per second, and the server's CPU time per login (what the clients and the sink use is not in it). */
    private record Run(double perSecond, double cpuMillisPerLogin) {
    }

    private static Run run(KeycloakServer server, IntConsumer login, int logins) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        Duration cpuBefore = server.cpuTime();
        long start = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                running.add(clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < logins; i = next.getAndIncrement()) {
                        login.accept(i);
                    }
                }));
            }
            for (Future<?> client : running) {
                client.get();
            }
        } finally {
            clients.shutdown();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Run(logins / seconds, server.cpuTime().minus(cpuBefore).toNanos() / 1e6 / logins);
    }

    /** The code the sink received for {@code user}'s number after {@code mark}; the send happens within the request. */
    private static String codeTo(WebhookSink sink, int mark, int user) {
        String number = phone(user).replace(" ", "");
        return sink.since(mark).stream().filter(r -> r.json().get("To").asText().equals(number))
                .reduce((first, second) -> second).orElseThrow(() -> new AssertionError("no SMS to " + number))
                .json().get("Body").asText();
    }

    private static String username(int user) {
        return "bench-" + user;
    }

    private static String phone(int user) {
        return "+49 151 5" + String.format("%07d", user);
    }

    /** Each login from its own address, as behind a proxy, so the per-address send limit sees many clients. */
    private static String nextClientAddress() {
        int n = clientAddress.incrementAndGet();
        return "10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255);
    }

    private static String seconds(Duration duration) {
        return String.format("%.1f s", duration.toMillis() / 1000.0);
    }
}
