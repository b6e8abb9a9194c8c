package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.keycloak.representations.idm.UserRepresentation;

import io.github.keycloaksms.gateway.twilio.FakeTwilio;

/** "Call me instead" and landline numbers, through Twilio's Calls API (a local fake). */
class VoiceIT {

    private static final KeycloakServer server = KeycloakServer.shared();
    private static final Pattern SPOKEN = Pattern.compile("<Say language=\"([a-zA-Z-]+)\">.*?: ((?:\\d, ){5}\\d)\\..*: \\2\\.</Say>");
    private static TestRealm realm;
    private static FakeTwilio twilio;
    private static Map<String, String> settings;

    @BeforeAll
    static void start() throws IOException {
        twilio = new FakeTwilio();
        realm = TestRealm.create("voice", r -> r.setBruteForceProtected(false));
        settings = new HashMap<>(realm.smsSettings());
        settings.putAll(Map.of("gateway", "twilio", "resendCooldown", "0", "from", "+15005550006",
                "twilioAccountSid", "AC00000000000000000000000000000000", "twilioAuthToken", "token-1",
                "twilioApiUrl", twilio.url(), "voiceEnabled", "true"));
        AdminApi.Response response = realm.updateSmsSettings(settings);
        assertEquals(204, response.status(), response.body());
    }

    @AfterAll
    static void stop() {
        realm.delete();
        twilio.close();
    }

    /** The code the last call read out, digit by digit, twice. */
    private static String spokenCode(FakeTwilio.Received call, String language) {
        assertTrue(call.path().endsWith("/Calls.json"), call.path());
        Matcher matcher = SPOKEN.matcher(call.form().get("Twiml"));
        assertTrue(matcher.find(), call.form().get("Twiml"));
        assertEquals(language, matcher.group(1));
        return matcher.group(2).replace(", ", "");
    }

    private static FakeTwilio.Received last() {
        List<FakeTwilio.Received> received = twilio.received();
        return received.get(received.size() - 1);
    }

    @Test
    void aLandlineIsEnrolledByCallAndGetsCallsOnly() {
        realm.createUser("voice-landline");
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("voice-landline", TestRealm.PASSWORD);
            int before = twilio.received().size();
            int logMark = server.mark();
            browser.fill("phone", "+49 30 12345678").submit("send");
            assertEquals(before + 1, twilio.received().size());
            assertEquals("+493012345678", last().form().get("To"));
            String code = spokenCode(last(), "en-US");
            assertFalse(browser.has("//button[@name='call']"), "a landline gets calls anyway");
            assertTrue(browser.text().contains("We are calling +49 30 12345678 to read you the code."), browser.text());
            browser.fill("code", code).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
            String spokenDigits = String.join(", ", code.split(""));
            assertTrue(server.linesSince(logMark).stream().noneMatch(l -> l.contains(code) || l.contains(spokenDigits)),
                    "no code in the server log");
        }
        try (Browser browser = new Browser()) {
            int before = twilio.received().size();
            browser.open(realm.authUrl()).login("voice-landline", TestRealm.PASSWORD);
            assertEquals(before + 1, twilio.received().size());
            browser.fill("code", spokenCode(last(), "en-US")).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
        }
    }

    @Test
    void aMobileUserAsksForACallAfterTheFirstSmsInTheirLanguage() {
        String userId = realm.createUser("voice-mobile");
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("voice-mobile", TestRealm.PASSWORD);
            browser.fill("phone", "+49 151 60000091").submit("send");
            assertTrue(last().path().endsWith("/Messages.json"), "the first code goes by SMS");
            assertTrue(browser.has("//button[@name='call']"), browser.text());
            browser.submit("call");
            assertTrue(browser.text().contains("We are calling"), browser.text());
            browser.fill("code", spokenCode(last(), "en-US")).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
        }
        UserRepresentation german = new UserRepresentation();
        german.setAttributes(Map.of("locale", List.of("de")));
        assertEquals(204, realm.admin().put(realm.path("/users/" + userId), german).status());
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("voice-mobile", TestRealm.PASSWORD);
            assertTrue(last().path().endsWith("/Messages.json"));
            browser.submit("call");
            String twiml = last().form().get("Twiml");
            assertTrue(twiml.contains("Noch einmal"), twiml);
            browser.fill("code", spokenCode(last(), "de-DE")).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
        }
    }

    @Test
    void callsNeedAGatewayThatCallsAndANumberAsSender() {
        Map<String, String> alphanumeric = new HashMap<>(settings);
        alphanumeric.put("from", "ACME");
        AdminApi.Response response = realm.updateSmsSettings(alphanumeric);
        assertEquals(400, response.status(), response.body());
        assertTrue(response.body().contains("phone number"), response.body());
        Map<String, String> logGateway = new HashMap<>(settings);
        logGateway.put("gateway", "log");
        response = realm.updateSmsSettings(logGateway);
        assertEquals(400, response.status(), response.body());
        assertTrue(response.body().contains("cannot make calls"), response.body());
    }
}
