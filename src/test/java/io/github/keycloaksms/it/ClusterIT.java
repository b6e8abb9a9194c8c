package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;


import com.fasterxml.jackson.databind.JsonNode;


/**
 * Two Keycloak nodes on one PostgreSQL behave as one: codes, limits, lockouts and the number index
 * key are shared, and a restarted node loses no enrolled number. The browser switches nodes the way
 * a load balancer without sticky sessions would, by sending the next form to the other node.
 */
class ClusterIT {

    private static final String DATABASE = "keycloak_sms_cluster_it";

    private static KeycloakServer nodeA;
    private static KeycloakServer nodeB;
    private static SmsLog smsA;
    private static SmsLog smsB;
    private static TestRealm onA;
    private static TestRealm onB;

    @BeforeAll
    static void startCluster() {
        ClusterNodes.freshDatabase(DATABASE);
        nodeA = ClusterNodes.node("node-a", DATABASE, 8281, 9281, 7810, KeycloakServer.LOG_GATEWAY_IN_PRODUCTION);
        nodeB = ClusterNodes.node("node-b", DATABASE, 8282, 9282, 7820, KeycloakServer.LOG_GATEWAY_IN_PRODUCTION);
        nodeA.start();
        nodeB.start();
        smsA = new SmsLog(nodeA);
        smsB = new SmsLog(nodeB);
        onA = TestRealm.create(nodeA, "cluster", r -> {
            r.setFailureFactor(3);
            r.setQuickLoginCheckMilliSeconds(1L);
            Map<String, String> config = TestRealm.smsConfig(r);
            config.put("resendCooldown", "60");
            config.put("maxSendsPerUserPerDay", "3");
            config.put("uniqueNumbers", "true");
        });
        onB = onA.on(nodeB);
        loseTheKey();
    }

    /** The realm looks as if made before the extension was installed: no key, so the first use on either node makes it. */
    private static void loseTheKey() {
        JsonNode component = onA.numberKeyComponent();
        assertFalse(component.isMissingNode(), "a new realm gets its key when it is created");
        assertEquals(204, onA.admin().delete(onA.path("/components/" + component.get("id").asText())).status());
    }

    @AfterAll
    static void stopCluster() {
        if (nodeA != null) {
            nodeA.stop();
        }
        if (nodeB != null) {
            nodeB.stop();
        }
    }

    @Test
    void codesSentByOneNodeAreAcceptedByTheOtherAndNumbersAreUniqueAcrossBoth() {
        String userId = onA.createUser("roaming");
        try (Browser browser = new Browser()) {
            browser.open(onA.authUrl()).login("roaming", TestRealm.PASSWORD);
            int mark = smsA.mark();
            browser.fill("phone", "+49 151 40000011").submit("send");
            String code = smsA.awaitCode(mark, "11");
            browser.retarget(nodeA.baseUrl(), nodeB.baseUrl()).fill("code", code).submit("verify");
            assertTrue(browser.isLoggedIn(), "enrolled on B with the code A sent: " + browser.text());
        }
        assertEquals(1, onB.smsCredentials(userId).size());

        try (Browser browser = new Browser()) {
            String code = Steps.loginUntilCodePage(browser, onB, smsB, "roaming", "11");
            browser.retarget(nodeB.baseUrl(), nodeA.baseUrl()).fill("code", code).submit("verify");
            assertTrue(browser.isLoggedIn(), "logged in on A with the code B sent: " + browser.text());
        }

        Steps.failsToEnrollTakenNumber(onB, smsB, "taker", "0151 40000011", "11");
        assertEquals(1, onB.admin().get(onB.path("/components?type=io.github.keycloaksms.numbers.NumberKeyComponent")).json().size(),
                "both nodes use the one key made at the first enrollment");
        assertEquals("**********", onB.numberKeyComponent().path("config").path("secret").get(0).asText());
    }

    @Test
    void theCooldownAndTheDailyLimitCountSendsOfBothNodes() {
        Steps.enrolledUser(onA, smsA, "limited", "+49 151 40000022", "22");
        try (Browser browser = new Browser()) {
            Steps.loginUntilCodePage(browser, onA, smsA, "limited", "22");
            int markA = smsA.mark();
            int markB = smsB.mark();
            browser.retarget(nodeA.baseUrl(), nodeB.baseUrl()).submit("resend");
            assertTrue(browser.text().matches("(?s).*Please wait [1-9][0-9]* s before requesting another code\\..*"), browser.text());
            assertEquals(0, smsA.countSince(markA) + smsB.countSince(markB));
        }
        try (Browser browser = new Browser()) {
            Steps.loginUntilCodePage(browser, onB, smsB, "limited", "22");
        }
        try (Browser browser = new Browser()) {
            int markA = smsA.mark();
            int markB = smsB.mark();
            browser.open(onA.authUrl()).login("limited", TestRealm.PASSWORD);
            assertTrue(browser.text().contains("Your account has received too many codes today."),
                    "the fourth SMS of the day, after sends by A, A and B: " + browser.text());
            assertEquals(0, smsA.countSince(markA) + smsB.countSince(markB));
        }
    }

    @Test
    void wrongCodesOnBothNodesLockTheUserOnBoth() {
        String userId = Steps.enrolledUser(onA, smsA, "guesser", "+49 151 40000033", "33");
        try (Browser browser = new Browser()) {
            String code = Steps.loginUntilCodePage(browser, onA, smsA, "guesser", "33");
            browser.fill("code", Steps.wrong(code)).submit("verify");
            browser.retarget(nodeA.baseUrl(), nodeB.baseUrl()).fill("code", Steps.wrong(code)).submit("verify");
            browser.retarget(nodeB.baseUrl(), nodeA.baseUrl()).fill("code", Steps.wrong(code)).submit("verify");

            for (TestRealm node : new TestRealm[] {onA, onB}) {
                JsonNode status = node.admin().get(node.path("/attack-detection/brute-force/users/" + userId)).json();
                assertTrue(status.get("disabled").asBoolean(), status.toString());
                assertEquals(3, status.get("numFailures").asInt(), status.toString());
            }
            browser.retarget(nodeA.baseUrl(), nodeB.baseUrl()).fill("code", code).submit("verify");
            assertFalse(browser.isLoggedIn(), "a user locked after failures on A and B is refused on B");
            assertEquals("Invalid authenticator code.", browser.fieldError("code"));
        }
    }

    @Test
    void wrongCodesPostedToBothNodesAtOnceGetNoMoreComparisonsThanTheCodeHasAttempts() throws Exception {
        TestRealm withoutLockout = TestRealm.create(nodeA, "cluster-guess", r -> r.setBruteForceProtected(false));
        try {
            Steps.enrolledUser(withoutLockout, smsA, "parallel-guesser", "+49 151 40000055", "55");
            try (Browser browser = new Browser()) {
                String code = Steps.loginUntilCodePage(browser, withoutLockout, smsA, "parallel-guesser", "55");
                List<String> guesses = Steps.wrongCodes(code, 60);
                List<HttpRequest> burst = new ArrayList<>();
                guesses.subList(0, 30).forEach(g -> burst.add(ParallelPosts.request(browser, "kc-sms-code-form", g)));
                browser.retarget(nodeA.baseUrl(), nodeB.baseUrl());
                guesses.subList(30, 60).forEach(g -> burst.add(ParallelPosts.request(browser, "kc-sms-code-form", g)));
                String beforeA = ServerMetrics.read(nodeA);
                String beforeB = ServerMetrics.read(nodeB);
                ParallelPosts.sendAll(burst).forEach(a -> assertTrue(a.statusCode() < 500, "status " + a.statusCode()));
                Steps.guessUntilTheCodeIsDead(browser, code);
                long compared = ServerMetrics.increase(beforeA, ServerMetrics.read(nodeA), "keycloak_sms_verifications_total", "outcome=\"wrong\"")
                        + ServerMetrics.increase(beforeB, ServerMetrics.read(nodeB), "keycloak_sms_verifications_total", "outcome=\"wrong\"");
                assertEquals(5, compared, "the burst on both nodes and the guesses after it compared exactly maxAttempts (5) entries");
                browser.fill("code", code).submit("verify");
                assertFalse(browser.isLoggedIn(), "the code is dead after its attempts");
            }
        } finally {
            withoutLockout.delete();
        }
    }

    @Test
    void aNodeRestartMidLoginLosesNoEnrolledNumber() {
        String userId = Steps.enrolledUser(onA, smsA, "restarted", "+49 151 40000044", "44");
        try (Browser browser = new Browser()) {
            String code = Steps.loginUntilCodePage(browser, onA, smsA, "restarted", "44");
            nodeA.stop();
            nodeA.start();
            assertEquals(1, onA.smsCredentials(userId).size());
            browser.fill("code", code).submit("verify");
            assertTrue(browser.isLoggedIn(), "B kept the login while A restarted: " + browser.text());
        }
        try (Browser browser = new Browser()) {
            Steps.logIn(browser, onA, smsA, "restarted", "44");
        }
        assertEquals(1, onB.smsCredentials(userId).size());
        Steps.failsToEnrollTakenNumber(onA, smsA, "after-restart", "+49 151 40000044", "44");   // the same key after the restart
    }
}
