package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * What a refused send costs next to a send: requests per second and the server's CPU time per
 * request when every request sends a code (all limits open), and when every request is refused
 * because the client's address used up its hourly limit (the per-address limit was the one a
 * flood could turn into an amplifier: a refusal used to probe all of its slots across the
 * cluster). Production-mode Keycloak 26.7.3 with PostgreSQL and the {@code log} gateway, four
 * clients. Run with {@code ./mvnw -Pbench verify -Dit.test=SendLimitBench}; results in target/bench.
 */
class SendLimitBench {

    private static final int CLIENTS = 4;
    /** Every limit of the realm: each client's login, user, address and number take this many sends. */
    private static final int LIMIT = 100;
    private static final int REFUSED_PER_CLIENT = 400;
    private static final String DATABASE = "keycloak_sms_bench_limits";

    private static KeycloakServer server;

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private record Run(String what, int requests, double seconds, Duration cpu) {
        String row() {
            return String.format("| %s | %d | %.1f | %.1f ms |", what, requests, requests / seconds, cpu.toNanos() / 1e6 / requests);
        }
    }

    @Test
    void refusedSendsCostNoMoreThanSends() throws Exception {
        ClusterNodes.freshDatabase(DATABASE);
        server = ClusterNodes.node("limits-bench", DATABASE, 8396, 9396, 7836, "--proxy-headers=xforwarded",
                KeycloakServer.LOG_GATEWAY_IN_PRODUCTION);
        server.start();
        TestRealm realm = TestRealm.create(server, "bench-limits", r -> {
            r.setBruteForceProtected(false);
            TestRealm.smsConfig(r).putAll(Map.of("resendCooldown", "0", "maxSendsPerLogin", String.valueOf(LIMIT),
                    "maxSendsPerUserPerDay", String.valueOf(LIMIT), "maxSendsPerNumberPerDay", String.valueOf(LIMIT),
                    "maxSendsPerIpPerHour", String.valueOf(LIMIT), "maxSendsPerCountryPerHour", "100000",
                    "maxSendsPerRealmPerHour", "100000"));
        });
        for (int c = 0; c < CLIENTS; c++) {
            for (String prefix : List.of("warm-", "sender-", "refused-")) {
                realm.createUser(prefix + c);
            }
        }
        // a warm-up with users, addresses and numbers of its own, then the measured runs
        run("warm-up", realm, c -> "10.1.0." + (10 + c), c -> "+4915161" + String.format("%06d", c), "warm-", LIMIT - 1, true);
        Run sends = run("send, all limits open", realm, c -> "10.2.0." + (10 + c), c -> "+4915162" + String.format("%06d", c),
                "sender-", LIMIT - 1, true);
        Run refused = run("refused, the address's hourly limit is full", realm, c -> "10.2.0." + (10 + c),
                c -> "+4915163" + String.format("%06d", c), "refused-", REFUSED_PER_CLIENT, false);

        List<String> report = new ArrayList<>(List.of(
                "| request (" + CLIENTS + " clients at once) | requests | requests/s | server CPU/request |", "|---|---|---|---|",
                sends.row(), refused.row(), "",
                "Every limit of the realm is " + LIMIT + "; a refused request claims the login's and the user's slot, finds the "
                        + "address's limit full and gives both back."));
        Path out = Path.of("target", "bench", "send-limits.md");
        Files.createDirectories(out.getParent());
        Files.write(out, report);
        report.forEach(line -> System.out.println("[bench] " + line));
    }

    /**
     * Each client logs in as its own user from its own address, types its own number and then
     * either resends (each a send) or types the number again and again (each refused).
     */
    private static Run run(String what, TestRealm realm, IntFunction<String> address, IntFunction<String> number,
                           String userPrefix, int requestsPerClient, boolean sending) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<FormLogin> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                FormLogin client = new FormLogin(address.apply(c)).open(realm.authUrl())
                        .submit("kc-form-login", Map.of("username", userPrefix + c, "password", TestRealm.PASSWORD));
                clients.add(sending ? client.submit("kc-sms-phone-form", Map.of("phone", number.apply(c))) : client);
            }
            SmsLog sms = new SmsLog(server);
            int mark = sms.mark();
            Duration cpuBefore = server.cpuTime();
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                FormLogin client = clients.get(c);
                String phone = number.apply(c);
                done.add(pool.submit(() -> {
                    for (int i = 0; i < requestsPerClient; i++) {
                        if (sending) {
                            client.submit("kc-sms-code-form", Map.of("resend", ""));
                        } else {
                            client.submit("kc-sms-phone-form", Map.of("phone", phone));
                            assertTrue(client.body().contains("Too many codes were requested from your network."), "a refusal");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Duration cpu = server.cpuTime().minus(cpuBefore);
            KeycloakServer.sleep(Duration.ofSeconds(1));   // the last log lines
            assertEquals(sending ? CLIENTS * requestsPerClient : 0, sms.countSince(mark), what + ": every request a send, or none");
            return new Run(what, CLIENTS * requestsPerClient, seconds, cpu);
        } finally {
            pool.shutdownNow();
        }
    }
}
