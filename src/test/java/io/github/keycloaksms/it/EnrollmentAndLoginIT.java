package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Enrollment through the required action and login with codes, the way users meet them. */
class EnrollmentAndLoginIT {

    private static final SmsLog sms = new SmsLog(KeycloakServer.shared());
    private static TestRealm realm;

    @BeforeAll
    static void createRealm() {
        realm = TestRealm.createWithoutLockoutOrCooldown("enroll");
    }

    @AfterAll
    static void deleteRealm() {
        realm.delete();
    }

    @Test
    void firstLoginEnrollsTheNumberThenLaterLoginsAskForACode() {
        String userId = realm.createUser("enroll-then-login");
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("enroll-then-login", TestRealm.PASSWORD);
            assertEquals("login-sms-phone.ftl", browser.template());
            assertEquals("tel", browser.attribute("phone", "type"));
            assertEquals("tel", browser.attribute("phone", "autocomplete"));

            int mark = sms.mark();
            browser.fill("phone", "0151 23456789").submit("send");   // national form, realm default region DE
            assertEquals("login-sms-code.ftl", browser.template());
            assertTrue(browser.text().contains("We sent a code by SMS to 0151 23456789."),
                    "the number as typed, in full, so that a typo shows: " + browser.text());
            assertEquals("numeric", browser.attribute("code", "inputmode"));
            assertEquals("one-time-code", browser.attribute("code", "autocomplete"));
            assertTrue(browser.has("//button[@name='resend']") && browser.has("//button[@name='change-number']"));

            browser.fill("code", sms.awaitCode(mark, "89")).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
        }
        List<Map<String, Object>> credentials = realm.smsCredentials(userId);
        assertEquals(1, credentials.size());
        assertEquals(Steps.unbroken("+49 ••• •••• 89"), credentials.get(0).get("userLabel"));

        try (Browser browser = new Browser()) {
            Steps.loginUntilCodePage(browser, realm, sms, "enroll-then-login", "89");
            assertTrue(browser.text().contains("+49 ••• •••• 89"), browser.text());
            assertFalse(browser.text().contains("23456789"), "at login the page shows the number masked");
        }
    }

    @Test
    void aNamedNumberAResendNoticeAndAnOlderCodeAnsweredWithUseTheNewest() {
        String userId = realm.createUser("named");
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("named", TestRealm.PASSWORD);
            assertEquals("Add your mobile number", heading(browser));
            assertTrue(browser.text().contains("Numbers from Germany can be typed without the country code, for example 01512 3456789"),
                    "the realm's default region DE: " + browser.text());
            int mark = sms.mark();
            browser.fill("phone", "+49 151 23456790").fill("label", "Work phone").submit("send");
            String first = sms.awaitCode(mark, "90");
            mark = sms.mark();
            browser.submit("resend");
            assertTrue(browser.text().contains("We sent a new code to +49 151 23456790."), browser.text());
            String second = sms.awaitCode(mark, "90");
            browser.fill("code", first).submit("verify");
            assertTrue(browser.fieldError("code").startsWith("That code was replaced by a newer one."), browser.text());
            browser.fill("code", second).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());

            browser.open(realm.authUrl() + "&kc_action=sms-register");
            assertEquals("Add another mobile number", heading(browser));
            mark = sms.mark();
            browser.fill("phone", "0151 23456790").submit("send");
            assertTrue(browser.fieldError("phone").startsWith("This number is already on your account."), browser.text());
            assertEquals(0, sms.countSince(mark), "nothing is sent for a number the account has");
        }
        assertEquals(List.of(Steps.unbroken("Work phone (+49 ••• •••• 90)")), realm.smsCredentials(userId).stream().map(c -> c.get("userLabel")).toList());
        try (Browser browser = new Browser()) {
            Steps.loginUntilCodePage(browser, realm, sms, "named", "90");
            assertTrue(browser.text().contains("Work phone (+49 ••• •••• 90)"), browser.text());
        }
    }

    private static String heading(Browser browser) {
        return browser.html().getElementById("kc-page-title").getTextContent().strip();
    }

    @Test
    void enrollmentIsRecordedAsACredentialUpdateWithoutTheNumber() {
        String userId = Steps.enrolledUser(realm, sms, "enroll-event", "+49 151 11111122", "22");
        JsonNode events = realm.admin().get(realm.path("/events?type=UPDATE_CREDENTIAL&user=" + userId)).json();
        assertEquals(1, events.size(), events.toString());
        assertEquals("sms", events.get(0).get("details").get("credential_type").asText());
        assertFalse(events.toString().contains("11111122"), events.toString());
    }

    @Test
    void wrongCodesCountDownAndTheLastOneKillsTheCode() {
        Steps.enrolledUser(realm, sms, "wrong-codes", "+49 151 22222233", "33");
        try (Browser browser = new Browser()) {
            String code = Steps.loginUntilCodePage(browser, realm, sms, "wrong-codes", "33");
            for (int left = 4; left >= 1; left--) {
                browser.fill("code", Steps.wrong(code)).submit("verify");
                assertTrue(browser.fieldError("code").contains("Attempts left for this code: " + left), browser.fieldError("code"));
            }
            browser.fill("code", Steps.wrong(code)).submit("verify");
            assertTrue(browser.fieldError("code").contains("no longer works"), browser.fieldError("code"));

            browser.fill("code", code).submit("verify");
            assertFalse(browser.isLoggedIn(), "a dead code stays dead, even when right");
            assertTrue(browser.fieldError("code").contains("no longer works"), browser.fieldError("code"));
        }
    }

    @Test
    void malformedCodesAreExplainedAndNotCounted() {
        Steps.enrolledUser(realm, sms, "malformed-codes", "+49 151 33333344", "44");
        try (Browser browser = new Browser()) {
            String code = Steps.loginUntilCodePage(browser, realm, sms, "malformed-codes", "44");
            for (String junk : new String[] {"", "12345", "abcdef", "١٢٣٤٥٦", "1".repeat(10_000)}) {
                browser.fill("code", junk).submit("verify");
                assertEquals(200, browser.status());
                assertTrue(browser.fieldError("code").contains("6-digit code"), browser.fieldError("code"));
            }
            browser.fill("code", code).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
        }
    }

    @Test
    void aResendReplacesTheCode() {
        Steps.enrolledUser(realm, sms, "resend", "+49 151 44444455", "55");
        try (Browser browser = new Browser()) {
            String first = Steps.loginUntilCodePage(browser, realm, sms, "resend", "55");
            int mark = sms.mark();
            browser.submit("resend");
            String second = sms.awaitCode(mark, "55");
            browser.fill("code", first).submit("verify");
            assertFalse(browser.isLoggedIn());
            browser.fill("code", second).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
        }
    }

    @Test
    void reloadingTheCodePageSendsNoSecondSms() {
        Steps.enrolledUser(realm, sms, "reload", "+49 151 55555566", "66");
        try (Browser browser = new Browser()) {
            String code = Steps.loginUntilCodePage(browser, realm, sms, "reload", "66");
            int mark = sms.mark();
            browser.open(browser.url());
            assertTrue(browser.text().contains("Page has expired"), "Keycloak's answer to a reloaded POST");
            browser.followLink("loginContinueLink");
            assertEquals("login-sms-code.ftl", browser.template());
            assertEquals(0, sms.countSince(mark));
            browser.fill("code", code).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
        }
    }

    @Test
    void changingTheNumberDuringEnrollmentForgetsTheFirstOne() {
        String userId = realm.createUser("change-number");
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("change-number", TestRealm.PASSWORD);
            int mark = sms.mark();
            browser.fill("phone", "+49 151 66666677").submit("send");
            String firstCode = sms.awaitCode(mark, "77");
            browser.submit("change-number");
            assertEquals("login-sms-phone.ftl", browser.template());

            mark = sms.mark();
            browser.fill("phone", "+49 151 66666688").submit("send");
            String secondCode = sms.awaitCode(mark, "88");
            browser.fill("code", firstCode).submit("verify");
            assertFalse(browser.isLoggedIn(), "the code for the first number does not prove the second");
            browser.fill("code", secondCode).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
        }
        assertEquals(List.of(Steps.unbroken("+49 ••• •••• 88")), realm.smsCredentials(userId).stream().map(c -> c.get("userLabel")).toList());
    }
}
