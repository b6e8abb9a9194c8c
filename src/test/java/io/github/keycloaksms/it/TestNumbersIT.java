package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Test numbers on the development server, which allows them: the account that holds one signs in
 * with its fixed code and no SMS; nobody else gets anything from it. (Production mode without the
 * operator's option refuses them: {@code ProductionModeIT}.)
 */
class TestNumbersIT {

    private static final KeycloakServer server = KeycloakServer.shared();
    private static final SmsLog sms = new SmsLog(server);
    private static final String HELD = "+49 151 70000041";
    private static final String NOT_HELD = "+49 151 70000042";
    private static TestRealm realm;
    private static String reviewerId;

    @BeforeAll
    static void createRealm() {
        realm = TestRealm.create("test-numbers", r -> {
            TestRealm.withPhoneSignIn(r, server, true);
            r.setRegistrationAllowed(true);
            r.setBruteForceProtected(false);
            TestRealm.smsConfig(r).putAll(Map.of("testNumbers", "+4915170000041=424242, +4915170000042=434343",
                    "allowedRegions", "DE", "resendCooldown", "0"));
        });
        reviewerId = realm.createUser("app-reviewer");
        AdminApi.Response added = realm.admin().post(realm.path("/sms/users/" + reviewerId + "/numbers"),
                Map.of("phone", HELD, "verified", true));
        assertEquals(201, added.status(), added.body());
    }

    @AfterAll
    static void deleteRealm() {
        if (realm != null) {
            realm.delete();
        }
    }

    @Test
    void theHolderSignsInWithTheFixedCodeAndNoSmsAtLoginAndAtPhoneSignIn() {
        int mark = sms.mark();
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("app-reviewer", TestRealm.PASSWORD);
            assertEquals("login-sms-code.ftl", browser.template(), browser.text());
            browser.fill("code", "424242").submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
        }
        try (Browser browser = new Browser()) {
            browser.open(realm.phoneAuthUrl()).fill("phone", HELD).submit("send");
            browser.fill("code", "424242").submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
        }
        realm.awaitEvents("type=LOGIN_ERROR&user=" + reviewerId, 1, event -> "sms_test_number".equals(event.path("error").asText()));
        KeycloakServer.sleep(Duration.ofMillis(300));
        assertEquals(0, sms.countSince(mark), "no SMS to a test number");
        JsonNode logins = realm.admin().get(realm.path("/events?type=LOGIN&user=" + reviewerId)).json();
        assertEquals(2, logins.size(), logins.toString());
        logins.forEach(login -> assertEquals("true", login.path("details").path("sms_test_number").asText(), login.toString()));
    }

    @Test
    void nobodyElseGetsAnythingFromATestNumber() {
        int mark = sms.mark();
        try (Browser browser = new Browser()) {
            browser.open(realm.phoneAuthUrl()).fill("phone", NOT_HELD).submit("send");
            browser.fill("code", "434343").submit("verify");
            assertFalse(browser.isLoggedIn(), "no sign-up with a test number's code");
            assertTrue(browser.fieldError("code").startsWith("That code is not right."), browser.text());
        }
        String userId = realm.createUser("enrols-test-number");
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("enrols-test-number", TestRealm.PASSWORD);
            browser.fill("phone", NOT_HELD).submit("send");
            browser.fill("code", "434343").submit("verify");
            assertFalse(browser.isLoggedIn(), "a test number cannot be enrolled with its code");
        }
        assertEquals(0, realm.smsCredentials(userId).size());
        KeycloakServer.sleep(Duration.ofMillis(300));
        assertEquals(0, sms.countSince(mark), "no SMS to a test number");
    }
}
