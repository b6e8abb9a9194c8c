package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        assertEquals(204, realm.updateSmsSettings(settings).status());

        realm.createUser("file-user");
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("file-user", TestRealm.PASSWORD);
            browser.fill("phone", "+49 151 70000011").submit("send");
            List<String> lines = Files.readAllLines(outbox);
            assertEquals(1, lines.size());
            String[] sent = lines.get(0).split(" ");
            assertEquals("+4915170000011", sent[0]);
            browser.fill("code", sent[1]).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
        }
    }
}
