package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** A gateway from another vendor's JAR, built on our SPI, next to ours in providers/. */
class ThirdPartyGatewayIT {

    private static TestRealm realm;
    private static Path outbox;

    @BeforeAll
    static void start() throws IOException {
        realm = TestRealm.create("third-party", r -> { });
        outbox = Files.createTempFile("sms-outbox", ".txt");
    }

    @AfterAll
    static void stop() throws IOException {
        realm.delete();
        Files.deleteIfExists(outbox);
    }

    @Test
    void itAppearsInTheGatewayListWithItsOwnSettingsAndSendsCodes() throws IOException {
        JsonNode description = realm.admin().get(realm.path("/authentication/required-actions/sms-register/config-description")).json();
        List<JsonNode> properties = StreamSupport.stream(description.get("properties").spliterator(), false).toList();
        JsonNode gateway = properties.stream().filter(p -> p.get("name").asText().equals("gateway")).findFirst().orElseThrow();
        assertTrue(gateway.get("options").toString().contains("\"file\""), gateway.toString());
        assertTrue(properties.stream().anyMatch(p -> p.get("name").asText().equals("fileGatewayPath")));

        Map<String, String> settings = new HashMap<>(realm.smsSettings());
        settings.put("gateway", "file");
        settings.put("fileGatewayPath", outbox.toString());
        settings.put("twilioAuthToken", "another-gateways-secret");
        assertEquals(204, realm.updateSmsSettings(settings).status());

        realm.createUser("file-user");
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("file-user", TestRealm.PASSWORD);
            browser.fill("phone", "+49 151 70000011").submit("send");
            List<String> lines = Files.readAllLines(outbox);
            assertEquals(1, lines.size());
            String[] sent = lines.get(0).split(" ");
            assertEquals(2, sent.length, "a gateway reads only its own settings: " + lines.get(0));
            assertEquals("+4915170000011", sent[0]);
            browser.fill("code", sent[1]).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
        }
    }

    @Test
    void aGatewayThatBreaksGivesAMessageAndAnEventNotAnErrorPageAndNoSecondSms() {
        SmsLog sms = new SmsLog(KeycloakServer.shared());
        Map<String, String> settings = new HashMap<>(realm.smsSettings());
        settings.put("gateway", "file");
        settings.put("fileGatewayPath", "crash");
        settings.put("fallbackGateway", "log");
        assertEquals(204, realm.updateSmsSettings(settings).status());

        String userId = realm.createUser("crash-user");
        int mark = sms.mark();
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("crash-user", TestRealm.PASSWORD);
            browser.fill("phone", "+49 151 70000022").submit("send");
            assertEquals(200, browser.status());
            assertEquals("login-sms-phone.ftl", browser.template());
            assertTrue(browser.text().contains("We could not send the SMS right now."), browser.text());
        }
        assertEquals(0, sms.countSince(mark), "whether the broken gateway sent is unknown, so no fallback");
        JsonNode events = realm.admin().get(realm.path("/events?type=UPDATE_CREDENTIAL_ERROR&user=" + userId)).json();
        assertEquals("failed", events.get(0).get("details").get("reason").asText(), events.toString());
        assertTrue(events.get(0).get("details").get("sms_error").asText().contains("IllegalStateException"), events.toString());
        assertFalse(events.toString().contains("70000022"), events.toString());
        assertTrue(KeycloakServer.shared().linesSince(mark).stream().noneMatch(l -> l.contains("70000022")));
    }
}
