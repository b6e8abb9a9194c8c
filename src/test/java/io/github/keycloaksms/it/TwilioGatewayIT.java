package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.keycloaksms.gateway.twilio.FakeTwilio;

/** Enrollment and login through the twilio gateway (shaded twilio-java) against a local Twilio stand-in. */
class TwilioGatewayIT {

    private static final Pattern CODE = Pattern.compile("#(\\d{6})$");
    private static TestRealm realm;
    private static FakeTwilio twilio;

    @BeforeAll
    static void start() throws IOException {
        twilio = new FakeTwilio();
        realm = TestRealm.create("twilio", r -> r.setBruteForceProtected(false));
        Map<String, String> settings = new HashMap<>(realm.smsSettings());
        settings.put("gateway", "twilio");
        settings.put("resendCooldown", "0");
        settings.put("from", "+15005550006");
        settings.put("twilioAccountSid", "AC00000000000000000000000000000000");
        settings.put("twilioAuthToken", "token-1");
        settings.put("twilioApiUrl", twilio.url());
        AdminApi.Response response = realm.updateSmsSettings(settings);
        assertEquals(204, response.status(), response.body());
    }

    @AfterAll
    static void stop() {
        realm.delete();
        twilio.close();
    }

    private static String lastCode() {
        List<FakeTwilio.Received> received = twilio.received();
        Matcher matcher = CODE.matcher(received.get(received.size() - 1).form().get("Body"));
        assertTrue(matcher.find());
        return matcher.group(1);
    }

    @Test
    void enrollmentAndLoginWorkThroughTwilio() {
        realm.createUser("twilio-user");
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("twilio-user", TestRealm.PASSWORD);
            int before = twilio.received().size();
            browser.fill("phone", "+49 151 60000011").submit("send");
            assertEquals(before + 1, twilio.received().size());
            assertEquals("+4915160000011", twilio.received().get(before).form().get("To"));
            browser.fill("code", lastCode()).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
        }
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("twilio-user", TestRealm.PASSWORD);
            browser.fill("code", lastCode()).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
        }
    }

    @Test
    void aNumberTwilioCannotReachIsExplainedAtEnrollment() {
        String userId = realm.createUser("twilio-unreachable");
        twilio.fail(400, 21614, "'To' number is not a valid mobile number");
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("twilio-unreachable", TestRealm.PASSWORD);
            int before = twilio.received().size();
            browser.fill("phone", "+49 151 60000022").submit("send");
            assertEquals("login-sms-phone.ftl", browser.template());
            assertTrue(browser.text().contains("This number cannot receive SMS."), browser.text());
            assertEquals(before + 1, twilio.received().size());
        } finally {
            twilio.answer(201, "application/json", null, Map.of());
        }
        assertEquals(List.of(), realm.smsCredentials(userId));
    }
}
