package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EnrollmentAndLoginIT {

    private static TestRealm realm;
    private static final SmsLog sms = new SmsLog(KeycloakServer.shared());

    @BeforeAll
    static void createRealm() {
        realm = TestRealm.create("enroll", r -> TestRealm.smsConfig(r).put("resendCooldown", "0"));
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

            int mark = sms.mark();
            browser.fill("phone", "+49 151 23456789").submit("send");
            assertEquals("login-sms-code.ftl", browser.template());
            assertTrue(browser.text().contains("+49"), browser.text());
            assertFalse(browser.text().contains("23456789"), "the page shows the number masked");

            browser.fill("code", sms.awaitCode(mark, "89")).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
        }
        List<Map<String, Object>> credentials = realm.smsCredentials(userId);
        assertEquals(1, credentials.size());
        assertEquals("+49 ••• •••• 89", credentials.get(0).get("userLabel"));

        try (Browser browser = new Browser()) {
            int mark = sms.mark();
            browser.open(realm.authUrl()).login("enroll-then-login", TestRealm.PASSWORD);
            assertEquals("login-sms-code.ftl", browser.template());
            browser.fill("code", sms.awaitCode(mark, "89")).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
        }
    }
}
