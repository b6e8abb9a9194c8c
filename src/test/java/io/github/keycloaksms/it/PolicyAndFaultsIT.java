package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Limits, lockout, bad input, broken settings: each gives a clear message and changes nothing. */
class PolicyAndFaultsIT {

    private static final SmsLog sms = new SmsLog(KeycloakServer.shared());
    private static TestRealm realm;

    @BeforeAll
    static void createRealm() {
        realm = TestRealm.create("policy", r -> {
            r.setFailureFactor(3);
            r.setQuickLoginCheckMilliSeconds(1L);
            Map<String, String> config = TestRealm.smsConfig(r);
            config.put("allowedRegions", "DE##AT");
            config.put("codeTtl", "30");
        });
    }

    @AfterAll
    static void deleteRealm() {
        realm.delete();
    }

    @Test
    void badNumbersGetAClearMessageAndNothingIsSentOrStored() {
        String userId = realm.createUser("bad-numbers");
        Map<String, String> expectations = new HashMap<>();
        expectations.put("", "Please enter your mobile number.");
        expectations.put("call me maybe", "This is not a valid phone number.");
        expectations.put("1".repeat(10_000), "This is not a valid phone number.");
        expectations.put("+٤٩ ١٥١ ٢٣٤٥٦٧٨٩", "This is not a valid phone number.");
        expectations.put("+1 201 555 0123", "Numbers from this country cannot be used here.");
        expectations.put("+49 30 12345678", "This number cannot receive SMS.");
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("bad-numbers", TestRealm.PASSWORD);
            int mark = sms.mark();
            expectations.forEach((input, message) -> {
                browser.fill("phone", input).submit("send");
                assertEquals(200, browser.status());
                assertEquals("login-sms-phone.ftl", browser.template());
                assertTrue(browser.fieldError("phone").startsWith(message), input.length() + " chars: " + browser.fieldError("phone"));
            });
            browser.fill("phone", "call me maybe").submit("send");
            assertEquals("This is not a valid phone number. Numbers from Germany can be typed without the country code, "
                    + "for example 01512 3456789; others start with +.", browser.fieldError("phone"),
                    "the realm's default region, its format, no \"digits only\"");
            assertEquals(0, sms.countSince(mark));
        }
        assertEquals(List.of(), realm.smsCredentials(userId));
    }

    @Test
    void wrongCodesLockTheUserThroughBruteForceDetection() {
        String userId = Steps.enrolledUser(realm, sms, "brute-force", "+49 151 20000011", "11");
        try (Browser browser = new Browser()) {
            String code = Steps.loginUntilCodePage(browser, realm, sms, "brute-force", "11");
            for (int i = 0; i < 3; i++) {
                browser.fill("code", Steps.wrong(code)).submit("verify");
            }
            JsonNode events = realm.admin().get(realm.path("/events?type=LOGIN_ERROR&user=" + userId)).json();
            assertEquals(3, events.size(), events.toString());
            events.forEach(e -> assertEquals("invalid_user_credentials", e.get("error").asText()));
            assertFalse(events.toString().contains(code) || events.toString().contains(Steps.wrong(code)), events.toString());

            JsonNode status = realm.admin().get(realm.path("/attack-detection/brute-force/users/" + userId)).json();
            assertTrue(status.get("disabled").asBoolean(), status.toString());
            assertEquals(3, status.get("numFailures").asInt(), status.toString());

            browser.fill("code", code).submit("verify");
            assertFalse(browser.isLoggedIn(), "a locked user's right code is refused");
            assertEquals("Invalid authenticator code.", browser.fieldError("code"));
        }
    }

    @Test
    void theResendCooldownSendsNothingAndSaysSo() {
        Steps.enrolledUser(realm, sms, "cooldown", "+49 151 20000022", "22");
        try (Browser browser = new Browser()) {
            String code = Steps.loginUntilCodePage(browser, realm, sms, "cooldown", "22");
            int secondsLeft = Integer.parseInt(browser.attribute("kc-sms-resend", "data-resend-in"));
            assertTrue(secondsLeft > 20 && secondsLeft <= 30, "seconds left: " + secondsLeft);
            int mark = sms.mark();
            browser.submit("resend");
            assertTrue(browser.text().matches("(?s).*Please wait ([1-9]|[12][0-9]|30) s before requesting another code\\..*"), browser.text());
            assertEquals(0, sms.countSince(mark));
            browser.fill("code", code).submit("verify");
            assertTrue(browser.isLoggedIn(), "the first code still works");
        }
    }

    @Test
    void anExpiredCodeIsRefused() {
        Steps.enrolledUser(realm, sms, "expired", "+49 151 20000033", "33");
        try (Browser browser = new Browser()) {
            String code = Steps.loginUntilCodePage(browser, realm, sms, "expired", "33");
            KeycloakServer.sleep(Duration.ofSeconds(31));
            browser.fill("code", code).submit("verify");
            assertFalse(browser.isLoggedIn());
            assertTrue(browser.fieldError("code").contains("This code has expired."), browser.fieldError("code"));
        }
    }

    @Test
    void withoutAGatewayUsersAreToldAndAnEventIsRecorded() {
        TestRealm unconfigured = TestRealm.create("no-gateway", r -> TestRealm.smsConfig(r).remove("gateway"));
        try {
            String userId = unconfigured.createUser("no-gateway");
            try (Browser browser = new Browser()) {
                browser.open(unconfigured.authUrl()).login("no-gateway", TestRealm.PASSWORD);
                browser.fill("phone", "+49 151 20000044").submit("send");
                assertEquals(200, browser.status());
                assertEquals("login-sms-phone.ftl", browser.template());
                assertTrue(browser.text().contains("SMS codes are not available right now. Please contact your administrator."), browser.text());
            }
            assertEquals(List.of(), unconfigured.smsCredentials(userId));
            JsonNode events = unconfigured.admin().get(unconfigured.path("/events?type=UPDATE_CREDENTIAL_ERROR&user=" + userId)).json();
            assertEquals(1, events.size(), events.toString());
            assertEquals("sms_send_failed", events.get(0).get("error").asText());
            assertEquals("configuration", events.get(0).get("details").get("reason").asText());
            assertFalse(events.toString().contains("20000044"), events.toString());
        } finally {
            unconfigured.delete();
        }
    }

    @Test
    void badSettingsAreRefusedWithTheReasonAndLeaveTheOldOnes() {
        Map<String, String> before = realm.smsSettings();
        Map<String, String> bad = new HashMap<>(before);
        bad.put("codeLength", "5");
        AdminApi.Response response = realm.updateSmsSettings(bad);
        assertEquals(400, response.status(), response.body());
        assertTrue(response.body().contains("codeLength"), response.body());

        Map<String, String> unknownGateway = new HashMap<>(before);
        unknownGateway.put("gateway", "carrier-pigeon");
        response = realm.updateSmsSettings(unknownGateway);
        assertEquals(400, response.status(), response.body());
        assertTrue(response.body().contains("carrier-pigeon"), response.body());

        assertEquals(before, realm.smsSettings());
    }

    @Test
    void everyBadValueIsRefusedWhicheverGatewayIsSelectedAndNamedByItsLabel() {
        Map<String, String> before = realm.smsSettings();
        Map<String, String> bad = new HashMap<>(before);
        bad.put("gateway", "log");
        bad.put("webhookUrl", "not a url");
        bad.put("webhookBodyTemplate", "{\"to\": \"${phone}\", \"x\": \"${nickname}\"}");
        bad.put("twilioApiUrl", "http://169.254.169.254/");
        bad.put("codeTtl", "9999");
        AdminApi.Response response = realm.updateSmsSettings(bad);
        assertEquals(400, response.status(), response.body());
        String message = response.json().get("errorMessage").asText();
        for (String expected : new String[] {"Webhook URL: is not a URL", "Webhook body template: nickname is not a variable of the message (line 1, column",
                "Twilio API URL:", "Code lifetime (seconds): must be a whole number from 30 to 600"}) {
            assertTrue(message.contains(expected), expected + " in: " + message);
        }
        assertFalse(message.contains("Feature") || message.contains("jackson"), message);

        Map<String, String> noGateway = new HashMap<>(before);
        noGateway.put("gateway", "");
        response = realm.updateSmsSettings(noGateway);
        assertEquals(400, response.status(), response.body());
        assertTrue(response.body().contains("SMS gateway: choose the gateway"), response.body());

        Map<String, String> notJson = new HashMap<>(before);
        notJson.put("webhookBodyTemplate", "{\"to\": \"${phone}\",}");
        response = realm.updateSmsSettings(notJson);
        assertEquals(400, response.status(), response.body());
        assertTrue(response.body().contains("the rendered body is not JSON"), response.body());
        assertFalse(response.body().contains("Feature"), "no library internals: " + response.body());
        assertEquals(before, realm.smsSettings());
    }
}
