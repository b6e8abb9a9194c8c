package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.keycloak.models.utils.TimeBasedOTP;
import org.keycloak.representations.idm.AuthenticationExecutionExportRepresentation;
import org.keycloak.representations.idm.AuthenticationFlowRepresentation;
import org.keycloak.representations.idm.PartialImportRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * Full logins (password, then the second factor) per second through our {@code sms-otp-form} (with
 * the {@code log} gateway, and with the webhook gateway posting to a local sink) and through
 * Keycloak's own OTP form, on one production-mode Keycloak with PostgreSQL, several clients at once;
 * also the JAR's size and Keycloak's start time with and without it. Run with
 * {@code ./mvnw -Pbench verify}; results in target/bench.
 */
class LoginThroughputBench {

    private static final int CLIENTS = 4;
    /** At most 100: the log gateway's line shows only a number's last two digits, which tell the users apart. */
    private static final int USERS = 100;
    private static final int WARM_UP_PER_FLOW = 4000;
    private static final int LOGINS_PER_ROUND = 300;
    /** Even: each round runs the flows in the reverse order of the round before, so a steady drift of the machine cancels. */
    private static final int ROUNDS = 8;
    private static final double TARGET_RATIO = 0.95;
    private static final String OTP_SECRET = "benchmark-otp-secret-0123456789";
    /** Cheap password hashing, so that the second factor's share of a login shows. */
    private static final String CHEAP_PASSWORDS = "hashAlgorithm(pbkdf2-sha256) and hashIterations(1)";

    private static final List<KeycloakServer> started = new ArrayList<>();
    private static final AtomicInteger clientAddress = new AtomicInteger();

    @AfterAll
    static void stop() {
        started.forEach(KeycloakServer::stop);
    }

    private record Flow(String name, IntConsumer login) {
    }

    /** Where the benchmark reads the codes that a realm's gateway sent: a mark before the send, then the code to a user after it. */
    private record SentCodes(IntSupplier mark, BiFunction<Integer, Integer, String> codeTo) {
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
            SmsLog smsLog = new SmsLog(server);
            SentCodes logged = new SentCodes(smsLog::mark, (mark, user) -> smsLog.awaitCode(mark, String.format("%02d", user % 100)));
            SentCodes posted = new SentCodes(sink::mark, (mark, user) -> webhookCodeTo(sink, mark, user));
            TestRealm logRealm = smsRealm(server, "bench-sms-log", Map.of("gateway", "log"), logged);
            TestRealm webhookRealm = smsRealm(server, "bench-sms-webhook", Map.of("gateway", "webhook", "webhookUrl", sink.url("/sms")), posted);
            TestRealm otpRealm = otpRealm(server);
            Flow builtIn = new Flow("built-in OTP form", i -> otpLogin(otpRealm, i % USERS));
            List<Flow> flows = List.of(
                    new Flow("sms-otp-form, log gateway", i -> smsLogin(logRealm, logged, i % USERS)),
                    new Flow("sms-otp-form, webhook gateway", i -> smsLogin(webhookRealm, posted, i % USERS)),
                    builtIn);

            for (int part = 0; part < 3; part++) {
                for (Flow flow : flows) {
                    run(server, flow, WARM_UP_PER_FLOW / 3);
                }
            }

            Map<Flow, List<Run>> runs = new LinkedHashMap<>();
            flows.forEach(flow -> runs.put(flow, new ArrayList<>()));
            report.add("| round | " + flows.stream().map(f -> f.name() + ", logins/s").collect(Collectors.joining(" | "))
                    + " | " + flows.stream().map(f -> f.name() + ", server CPU/login").collect(Collectors.joining(" | ")) + " |");
            report.add("|---|" + "---|".repeat(2 * flows.size()));
            for (int round = 1; round <= ROUNDS; round++) {
                List<Flow> order = new ArrayList<>(flows);
                if (round % 2 == 0) {
                    Collections.reverse(order);
                }
                for (Flow flow : order) {
                    runs.get(flow).add(run(server, flow, LOGINS_PER_ROUND));
                }
                int r = round - 1;
                report.add("| " + round + " | "
                        + flows.stream().map(f -> String.format("%.1f", runs.get(f).get(r).perSecond())).collect(Collectors.joining(" | ")) + " | "
                        + flows.stream().map(f -> String.format("%.1f ms", runs.get(f).get(r).cpuMillisPerLogin())).collect(Collectors.joining(" | "))
                        + " |");
                System.out.println("[bench] " + report.get(report.size() - 1));
            }

            report.add("");
            report.add(String.format("%d clients, %d users per flow, %d warm-up logins per flow, %d rounds of %d logins per flow.",
                    CLIENTS, USERS, WARM_UP_PER_FLOW, ROUNDS, LOGINS_PER_ROUND));
            report.add("");
            report.add("| flow | logins/s, all rounds | ratio to built-in | median of the rounds' ratios | server CPU/login | CPU ratio, built-in/ours |");
            report.add("|---|---|---|---|---|---|");
            Run builtInTotal = Run.total(runs.get(builtIn));
            for (Flow flow : flows) {
                Run total = Run.total(runs.get(flow));
                List<Double> roundRatios = new ArrayList<>();
                for (int r = 0; r < ROUNDS; r++) {
                    roundRatios.add(runs.get(flow).get(r).perSecond() / runs.get(builtIn).get(r).perSecond());
                }
                roundRatios.sort(Double::compare);
                double median = (roundRatios.get(ROUNDS / 2 - 1) + roundRatios.get(ROUNDS / 2)) / 2;
                double ratio = total.perSecond() / builtInTotal.perSecond();
                report.add(String.format("| %s | %.1f | %.2f%s | %.2f | %.1f ms | %.2f |", flow.name(), total.perSecond(), ratio,
                        flow == builtIn ? "" : String.format(" (target >= %.2f %s)", TARGET_RATIO, ratio >= TARGET_RATIO ? "met" : "NOT met"),
                        median, total.cpuMillisPerLogin(), builtInTotal.cpuMillisPerLogin() / total.cpuMillisPerLogin()));
            }
        }
        Path out = Path.of("target", "bench", "login-throughput.md");
        Files.createDirectories(out.getParent());
        Files.write(out, report);
        report.forEach(line -> System.out.println("[bench] " + line));
    }

    private static KeycloakServer node(String name, int port, boolean withExtension) throws IOException {
        String database = "keycloak_sms_bench_" + name.replace('-', '_');
        ClusterNodes.freshDatabase(database);
        KeycloakServer node = ClusterNodes.node(name, database, port, port + 1000, port - 560, "--proxy-headers=xforwarded",
                KeycloakServer.LOG_GATEWAY_IN_PRODUCTION);
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

    private static TestRealm smsRealm(KeycloakServer server, String name, Map<String, String> gateway, SentCodes codes) {
        TestRealm realm = TestRealm.create(server, name, r -> {
            r.setBruteForceProtected(false);
            r.setPasswordPolicy(CHEAP_PASSWORDS);
            Map<String, String> config = TestRealm.smsConfig(r);
            config.putAll(gateway);
            config.putAll(Map.of("resendCooldown", "0", "maxSendsPerUserPerDay", "100", "maxSendsPerNumberPerDay", "100",
                    "maxSendsPerIpPerHour", "100", "maxSendsPerCountryPerHour", "100000", "maxSendsPerRealmPerHour", "100000"));
        });
        for (int user = 0; user < USERS; user++) {
            realm.createUser(username(user));
            FormLogin browser = new FormLogin(nextClientAddress()).open(realm.authUrl())
                    .submit("kc-form-login", Map.of("username", username(user), "password", TestRealm.PASSWORD));
            int mark = codes.mark().getAsInt();
            browser.submit("kc-sms-phone-form", Map.of("phone", phone(user), "send", ""))
                    .submit("kc-sms-code-form", Map.of("code", codes.codeTo().apply(mark, user), "verify", ""));
            assertTrue(browser.isLoggedIn(), browser.body());
        }
        return realm;
    }

    private static TestRealm otpRealm(KeycloakServer server) {
        TestRealm realm = TestRealm.create(server, "bench-otp", r -> {
            r.setBruteForceProtected(false);
            r.setPasswordPolicy(CHEAP_PASSWORDS);
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

    private static void smsLogin(TestRealm realm, SentCodes codes, int user) {
        FormLogin browser = new FormLogin(nextClientAddress()).open(realm.authUrl());
        int mark = codes.mark().getAsInt();
        browser.submit("kc-form-login", Map.of("username", username(user), "password", TestRealm.PASSWORD))
                .submit("kc-sms-code-form", Map.of("code", codes.codeTo().apply(mark, user), "verify", ""));
        assertTrue(browser.isLoggedIn(), browser.body());
    }

    private static void otpLogin(TestRealm realm, int user) {
        FormLogin browser = new FormLogin(nextClientAddress()).open(realm.authUrl())
                .submit("kc-form-login", Map.of("username", username(user), "password", TestRealm.PASSWORD));
        String otp = new TimeBasedOTP("HmacSHA1", 6, 30, 1).generateTOTP(OTP_SECRET);
        browser.submit("kc-otp-login-form", Map.of("otp", otp, "login", ""));
        assertTrue(browser.isLoggedIn(), browser.body());
    }

    /** Logins in a run, how long it took, and the server's CPU time in it (what the clients and the sink use is not in it). */
    private record Run(int logins, double seconds, double cpuMillis) {

        static Run total(List<Run> runs) {
            return new Run(runs.stream().mapToInt(Run::logins).sum(), runs.stream().mapToDouble(Run::seconds).sum(),
                    runs.stream().mapToDouble(Run::cpuMillis).sum());
        }

        double perSecond() {
            return logins / seconds;
        }

        double cpuMillisPerLogin() {
            return cpuMillis / logins;
        }
    }

    private static Run run(KeycloakServer server, Flow flow, int logins) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        Duration cpuBefore = server.cpuTime();
        long start = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                running.add(clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < logins; i = next.getAndIncrement()) {
                        flow.login().accept(i);
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
        return new Run(logins, seconds, server.cpuTime().minus(cpuBefore).toNanos() / 1e6);
    }

    /** The code the sink received for {@code user}'s number after {@code mark}; the send happens within the request. */
    private static String webhookCodeTo(WebhookSink sink, int mark, int user) {
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
