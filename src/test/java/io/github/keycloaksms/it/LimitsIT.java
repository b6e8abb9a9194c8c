package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Send limits and single use, held by Keycloak's cluster-wide store, also under concurrent requests. */
class LimitsIT {

    private static final SmsLog sms = new SmsLog(KeycloakServer.shared());
    private static TestRealm realm;

    @BeforeAll
    static void createRealm() {
        realm = TestRealm.create("limits", r -> {
            r.setBruteForceProtected(false);
            TestRealm.smsConfig(r).put("resendCooldown", "3");
            TestRealm.smsConfig(r).put("maxSendsPerLogin", "3");
            TestRealm.smsConfig(r).put("maxSendsPerUserPerDay", "6");
        });
    }

    @AfterAll
    static void deleteRealm() {
        realm.delete();
    }

    @Test
    void aLoginGetsOnlySoManyCodesAndTheRefusalIsExplainedAndRecorded() {
        String userId = Steps.enrolledUser(realm, sms, "per-login", "+49 151 90000011", "11");
        try (Browser browser = new Browser()) {
            Steps.loginUntilCodePage(browser, realm, sms, "per-login", "11");
            for (int resend = 1; resend <= 2; resend++) {
                KeycloakServer.sleep(Duration.ofMillis(3100));
                int mark = sms.mark();
                browser.submit("resend");
                sms.awaitCode(mark, "11");
            }
            KeycloakServer.sleep(Duration.ofMillis(3100));
            int mark = sms.mark();
            browser.submit("resend");
            assertTrue(browser.text().contains("You have asked for too many codes in this login."), browser.text());
            assertEquals(0, sms.countSince(mark));
        }
        JsonNode events = realm.admin().get(realm.path("/events?type=LOGIN_ERROR&user=" + userId)).json();
        assertEquals("sms_send_limited", events.get(0).get("error").asText());
        assertEquals("login", events.get(0).get("details").get("reason").asText());
    }

    @Test
    void aUserGetsOnlySoManyCodesPerDayAcrossLogins() {
        Steps.enrolledUser(realm, sms, "per-user", "+49 151 90000022", "22");   // 1 code
        for (int login = 2; login <= 6; login++) {
            try (Browser browser = new Browser()) {
                Steps.loginUntilCodePage(browser, realm, sms, "per-user", "22");
            }
        }
        try (Browser browser = new Browser()) {
            int mark = sms.mark();
            browser.open(realm.authUrl()).login("per-user", TestRealm.PASSWORD);
            assertTrue(browser.text().contains("Your account has received too many codes today."), browser.text());
            assertEquals(0, sms.countSince(mark));
        }
    }

    @Test
    void oneClientAddressGetsOnlySoManyCodesPerHour() {
        TestRealm tight = TestRealm.create("ip-limit", r -> TestRealm.smsConfig(r).put("maxSendsPerIpPerHour", "2"));
        try {
            Steps.enrolledUser(tight, sms, "ip-user", "+49 151 90000055", "55");   // 1 code
            try (Browser browser = new Browser()) {
                Steps.loginUntilCodePage(browser, tight, sms, "ip-user", "55");   // 2 codes
            }
            tight.createUser("ip-user-2");
            try (Browser browser = new Browser()) {
                browser.open(tight.authUrl()).login("ip-user-2", TestRealm.PASSWORD);
                int mark = sms.mark();
                browser.fill("phone", "+49 151 90000066").submit("send");
                assertEquals("login-sms-phone.ftl", browser.template());
                assertTrue(browser.text().contains("Too many codes were requested from your network."), browser.text());
                assertEquals(0, sms.countSince(mark));
            }
        } finally {
            tight.delete();
        }
    }

    @Test
    void twentyParallelResendsSendAtMostOneSms() throws Exception {
        Steps.enrolledUser(realm, sms, "parallel-resend", "+49 151 90000033", "33");
        try (Browser browser = new Browser()) {
            Steps.loginUntilCodePage(browser, realm, sms, "parallel-resend", "33");
            KeycloakServer.sleep(Duration.ofMillis(3100));
            int mark = sms.mark();
            List<HttpResponse<String>> answers = ParallelPosts.toCodeForm(browser, Collections.nCopies(20, "resend="));
            answers.forEach(a -> assertTrue(a.statusCode() < 500, "status " + a.statusCode()));
            KeycloakServer.sleep(Duration.ofSeconds(1));
            assertEquals(1, sms.countSince(mark));
        }
    }

    @Test
    void twentyParallelSubmissionsOfTheRightCodeLetExactlyOneThrough() throws Exception {
        Steps.enrolledUser(realm, sms, "parallel-code", "+49 151 90000044", "44");
        try (Browser browser = new Browser()) {
            String code = Steps.loginUntilCodePage(browser, realm, sms, "parallel-code", "44");
            List<HttpResponse<String>> answers = ParallelPosts.toCodeForm(browser, Collections.nCopies(20, "code=" + code));
            answers.forEach(a -> assertTrue(a.statusCode() < 500, "status " + a.statusCode()));
            assertEquals(1, answers.stream().filter(ParallelPosts::loggedIn).count());
        }
    }

    @Test
    void sixtyWrongCodesPostedAtOnceGetNoMoreComparisonsThanTheCodeHasAttempts() throws Exception {
        Steps.enrolledUser(realm, sms, "parallel-wrong", "+49 151 90000077", "77");
        try (Browser browser = new Browser()) {
            String code = Steps.loginUntilCodePage(browser, realm, sms, "parallel-wrong", "77");
            String before = ServerMetrics.read();
            ParallelPosts.toCodeForm(browser, Steps.wrongCodes(code, 60))
                    .forEach(a -> assertTrue(a.statusCode() < 500, "status " + a.statusCode()));
            String afterBurst = ServerMetrics.read();
            Steps.guessUntilTheCodeIsDead(browser, code);
            assertEquals(5, ServerMetrics.increase(before, ServerMetrics.read(), "keycloak_sms_verifications_total", "outcome=\"wrong\""),
                    "the burst compared " + ServerMetrics.increase(before, afterBurst, "keycloak_sms_verifications_total", "outcome=\"wrong\"")
                    + " entries; with the guesses after it, exactly maxAttempts (5)");
            browser.fill("code", code).submit("verify");
            assertFalse(browser.isLoggedIn());
            assertTrue(browser.fieldError("code").startsWith("Too many wrong attempts."), browser.text());
        }
    }

    @Test
    void twoAccountsProvingOneNumberAtTheSameMomentCannotBothEnrollIt() throws Exception {
        String first = realm.createUser("race-1");
        String second = realm.createUser("race-2");
        try (Browser one = new Browser(); Browser two = new Browser()) {
            String oneCode = codeForEnrollment(one, "race-1");
            String twoCode = codeForEnrollment(two, "race-2");
            List<HttpResponse<String>> answers = ParallelPosts.sendAll(List.of(
                    ParallelPosts.request(one, "kc-sms-code-form", "code=" + oneCode),
                    ParallelPosts.request(two, "kc-sms-code-form", "code=" + twoCode)));
            answers.forEach(a -> assertTrue(a.statusCode() < 500, "status " + a.statusCode()));
        }
        assertEquals(1, realm.smsCredentials(first).size() + realm.smsCredentials(second).size(), "exactly one account has the number");
    }

    private static String codeForEnrollment(Browser browser, String username) {
        browser.open(realm.authUrl()).login(username, TestRealm.PASSWORD);
        int mark = sms.mark();
        browser.fill("phone", "+49 151 90000088").submit("send");
        assertEquals("login-sms-code.ftl", browser.template());
        return sms.awaitCode(mark, "88");
    }
}
