package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.keycloaksms.gateway.twilio.FakeTwilioVerify;
import io.github.keycloaksms.testing.LocalHttpServer;

/**
 * Twilio Verify ({@code twilio-verify}) through a real Keycloak: Twilio makes, sends and checks the
 * codes, while our attempt limit, single use and the equal pages of phone sign-in and reset hold.
 */
class TwilioVerifyIT {

    private static final KeycloakServer server = KeycloakServer.shared();
    private static final SmsLog sms = new SmsLog(server);
    private static final String CHECK = "/v2/Services/" + FakeTwilioVerify.SERVICE + "/VerificationCheck";
    private static final String START = "/v2/Services/" + FakeTwilioVerify.SERVICE + "/Verifications";

    private FakeTwilioVerify verify;

    @BeforeEach
    void start() {
        verify = new FakeTwilioVerify();
    }

    @AfterEach
    void stop() {
        verify.close();
    }

    /** Codes go through a named Twilio Verify gateway "verify", whose codes have 6 digits, at reset too. */
    private void verifyFirst(TestRealm realm) {
        realm.addGateway("verify", Map.of("kind", "twilio-verify", "twilioVerifyAccountSid", "AC00000000000000000000000000000000",
                "twilioVerifyAuthToken", "token-1", "twilioVerifyServiceSid", FakeTwilioVerify.SERVICE, "twilioVerifyApiUrl", verify.url()));
        Map<String, String> settings = new HashMap<>(realm.smsSettings());
        settings.putAll(Map.of("gateway", "verify", "resetCodeLength", "6", "resendCooldown", "0"));
        AdminApi.Response saved = realm.updateSmsSettings(settings);
        assertEquals(204, saved.status(), saved.body());
    }

    private List<LocalHttpServer.Request> requestsSince(int mark) {
        return verify.server().since(mark);
    }

    @Test
    void aLoginCodeIsMadeAndCheckedByTwilioAndUsedOnce() throws Exception {
        TestRealm realm = TestRealm.create("verify-login", r -> r.setBruteForceProtected(false));
        try {
            Steps.enrolledUser(realm, sms, "verify-user", "+49 151 70000011", "11");
            verifyFirst(realm);
            String metricsBefore = ServerMetrics.read();
            int logMark = sms.mark();
            try (Browser browser = new Browser()) {
                browser.open(realm.authUrl()).login("verify-user", TestRealm.PASSWORD);
                assertEquals("login-sms-code.ftl", browser.template(), browser.text());
                LocalHttpServer.Request started = verify.server().await(0);
                assertEquals(START, started.path());
                assertEquals(Map.of("To", "+4915170000011", "Channel", "sms", "Locale", "en"), started.form());
                String code = verify.codeFor("+4915170000011");

                browser.fill("code", Steps.wrong(code)).submit("verify");
                assertTrue(browser.fieldError("code").startsWith("That code is not right."), browser.text());
                browser.fill("code", code).submit("verify");
                assertTrue(browser.isLoggedIn(), browser.text());
            }
            List<String> paths = verify.received().stream().map(FakeTwilioVerify.Received::path).toList();
            assertEquals(List.of(START, CHECK, CHECK), paths, "one verification, each entry checked once");
            assertEquals(0, sms.countSince(logMark), "no code of ours went out");
            String metricsAfter = ServerMetrics.read();
            assertEquals(1, ServerMetrics.increase(metricsBefore, metricsAfter, "keycloak_sms_provider_checks_total",
                    "gateway=\"twilio-verify\",outcome=\"approved\""));
            assertEquals(1, ServerMetrics.increase(metricsBefore, metricsAfter, "keycloak_sms_provider_checks_total",
                    "gateway=\"twilio-verify\",outcome=\"not_approved\""));
        } finally {
            realm.delete();
        }
    }

    @Test
    void ourAttemptLimitHoldsAndAnUnreachableCheckCountsAsAWrongEntryWithAnEvent() {
        TestRealm realm = TestRealm.create("verify-limits", r -> r.setBruteForceProtected(false));
        try {
            String userId = Steps.enrolledUser(realm, sms, "verify-limited", "+49 151 70000012", "12");
            verifyFirst(realm);
            try (Browser browser = new Browser()) {
                browser.open(realm.authUrl()).login("verify-limited", TestRealm.PASSWORD);
                verify.server().await(0);
                String code = verify.codeFor("+4915170000012");
                verify.fail(503, 20503, "Service unavailable");
                browser.fill("code", code).submit("verify");
                assertFalse(browser.isLoggedIn(), "a check that could not be made accepts nothing");
                assertTrue(browser.fieldError("code").startsWith("That code is not right."), browser.text());
                verify.recover();
                Steps.guessUntilTheCodeIsDead(browser, code);
                int mark = verify.server().mark();
                browser.fill("code", code).submit("verify");
                assertFalse(browser.isLoggedIn(), "the right code after the attempts are used up: " + browser.text());
                assertTrue(requestsSince(mark).isEmpty(), "an entry without an attempt is not put to Twilio");
            }
            JsonNode failed = realm.awaitEvents("type=LOGIN_ERROR&user=" + userId, 1,
                    event -> "sms_check_failed".equals(event.path("error").asText())).get(0);
            assertEquals("verify", failed.path("details").path("sms_gateway").asText(), failed.toString());
            assertEquals("transient", failed.path("details").path("reason").asText(), failed.toString());
            assertFalse(failed.toString().contains("70000012"), "no full number in the event: " + failed);
        } finally {
            realm.delete();
        }
    }

    @Test
    void fraudGuardsRefusalIsItsOwnMessageAndEvent() {
        TestRealm realm = TestRealm.create("verify-fraud", r -> r.setBruteForceProtected(false));
        try {
            verifyFirst(realm);
            String userId = realm.createUser("verify-blocked");
            verify.fail(403, 60410, "Verification delivery attempt blocked");
            try (Browser browser = new Browser()) {
                browser.open(realm.authUrl()).login("verify-blocked", TestRealm.PASSWORD);
                browser.fill("phone", "+49 151 70000013").submit("send");
                assertEquals("login-sms-phone.ftl", browser.template());
                assertTrue(browser.text().contains("We cannot send a code to this number right now."), browser.text());
            }
            JsonNode failed = realm.awaitEvents("type=UPDATE_CREDENTIAL_ERROR&user=" + userId, 1,
                    event -> "sms_send_failed".equals(event.path("error").asText())).get(0);
            assertEquals("fraud_guard", failed.path("details").path("reason").asText(), failed.toString());
            assertTrue(failed.path("details").path("sms_error").asText().contains("60410"), failed.toString());
        } finally {
            realm.delete();
        }
    }

    @Test
    void aResetCodeLengthOtherThanVerifysIsRefused() {
        TestRealm realm = TestRealm.create("verify-lengths", r -> { });
        try {
            verifyFirst(realm);
            Map<String, String> settings = new HashMap<>(realm.smsSettings());
            settings.put("resetCodeLength", "8");
            AdminApi.Response refused = realm.updateSmsSettings(settings);
            assertEquals(400, refused.status(), refused.body());
            assertTrue(refused.body().contains("resetCodeLength") && refused.body().contains("must be the code length (6)"), refused.body());
        } finally {
            realm.delete();
        }
    }

    @Test
    void phoneSignInPutsEveryNumbersEntryToTwilioAlike() {
        String held = "+49 151 70000014";
        String unknown = "+49 151 70000015";
        TestRealm realm = TestRealm.create("verify-phone", r -> TestRealm.withPhoneSignIn(r, server, false));
        try {
            Steps.enrolledUser(realm, sms, "verify-phone-user", held, "14");
            verifyFirst(realm);
            Map<String, String> checked = new HashMap<>();
            Map<String, List<String>> seen = new HashMap<>();
            for (String number : List.of(held, unknown)) {
                try (Browser browser = new Browser()) {
                    int mark = verify.server().mark();
                    browser.open(realm.phoneAuthUrl()).fill("phone", number).submit("send");
                    String codePage = PhoneSignInIT.seen(browser, number);
                    if (number.equals(held)) {
                        assertEquals(START, verify.server().await(mark).path(), "the holder's code is started by a job");
                    }
                    int checkMark = verify.server().mark();
                    browser.fill("code", "000000").submit("verify");
                    assertTrue(browser.fieldError("code").startsWith("That code is not right."), browser.text());
                    seen.put(number, List.of(codePage, PhoneSignInIT.seen(browser, number)));
                    List<LocalHttpServer.Request> checks = requestsSince(checkMark);
                    assertEquals(1, checks.size(), "one check for " + number);
                    checked.put(number, checks.get(0).path() + " " + checks.get(0).form().get("To"));
                }
            }
            assertEquals(Map.of(held, CHECK + " +4915170000014", unknown, CHECK + " +4915170000015"), checked);
            assertEquals(seen.get(held), seen.get(unknown), "what a visitor sees for a held and an unknown number");
            try (Browser browser = new Browser()) {
                int mark = verify.server().mark();
                browser.open(realm.phoneAuthUrl()).fill("phone", held).submit("send");
                verify.server().await(mark);
                browser.fill("code", verify.codeFor("+4915170000014")).submit("verify");
                assertTrue(browser.isLoggedIn(), browser.text());
            }
        } finally {
            realm.delete();
        }
    }

    @Test
    void resetBySmsChecksTheAccountsNumberAndAnUnknownAccountCostsTheSameCheck() {
        TestRealm realm = TestRealm.create("verify-reset", r -> {
            TestRealm.withResetBySms(r);
            r.setQuickLoginCheckMilliSeconds(0L);
        });
        try {
            Steps.enrolledUser(realm, sms, "verify-forgetful", "+49 151 70000016", "16");
            verifyFirst(realm);
            try (Browser browser = new Browser()) {
                int mark = verify.server().mark();
                startReset(browser, realm, "no-such-verify-account");
                int checkMark = verify.server().mark();
                browser.fill("code", "000000").submit("verify");
                List<LocalHttpServer.Request> checks = requestsSince(checkMark);
                assertEquals(1, checks.size(), "an unknown account's entry costs one check too");
                assertEquals(CHECK, checks.get(0).path());
                assertEquals(new TreeSet<>(List.of(CHECK)), new TreeSet<>(requestsSince(mark).stream().map(LocalHttpServer.Request::path).toList()),
                        "no verification started for an unknown account");
            }
            try (Browser browser = new Browser()) {
                int mark = verify.server().mark();
                startReset(browser, realm, "verify-forgetful");
                LocalHttpServer.Request started = verify.server().await(mark);
                assertEquals(START, started.path());
                assertEquals("+4915170000016", started.form().get("To"));
                browser.fill("code", verify.codeFor("+4915170000016")).submit("verify");
                assertEquals("login-update-password.ftl", browser.template(), browser.text());
            }
        } finally {
            realm.delete();
        }
    }

    private static void startReset(Browser browser, TestRealm realm, String account) {
        browser.open(realm.authUrl()).followLinkText("Forgot Password?");
        browser.fill("username", account).submitForm("//form[@id='kc-reset-password-form']");
    }
}
