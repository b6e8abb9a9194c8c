package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.representations.idm.ComponentExportRepresentation;

import com.fasterxml.jackson.databind.JsonNode;

/** The realm's named gateways: several of one kind, routed to by name, checked when saved, carried by an import. */
class GatewayInstancesIT {

    static final String TYPE = "io.github.keycloaksms.delivery.GatewayInstance";

    private static WebhookSink sink;

    @BeforeAll
    static void start() throws IOException {
        sink = new WebhookSink();
    }

    @AfterAll
    static void stop() {
        sink.close();
    }

    private static Map<String, Object> gateway(String name, Map<String, String> config) {
        Map<String, List<String>> values = new HashMap<>();
        config.forEach((key, value) -> values.put(key, List.of(value)));
        return Map.of("name", name, "providerId", "sms-gateway", "providerType", TYPE, "config", values);
    }

    private static Map<String, String> settings(TestRealm realm, Map<String, String> changes) {
        Map<String, String> all = new HashMap<>(realm.smsSettings());
        all.putAll(changes);
        return all;
    }

    @Test
    void twoWebhooksOfOneRealmSendAsGatewayAndFallbackByTheirNames() {
        sink.answer("/eu", 503, "{\"error\": \"down\"}", Duration.ZERO);
        TestRealm realm = TestRealm.create("named", r -> {
            ComponentExportRepresentation imported = new ComponentExportRepresentation();
            imported.setName("sms-eu");
            imported.setProviderId("sms-gateway");
            MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
            config.putSingle("kind", "webhook");
            config.putSingle("webhookUrl", sink.url("/eu"));
            imported.setConfig(config);
            MultivaluedHashMap<String, ComponentExportRepresentation> components = new MultivaluedHashMap<>();
            components.add(TYPE, imported);
            r.setComponents(components);
        });
        try {
            AdminApi.Response created = realm.admin().post(realm.path("/components"), gateway("sms-us", Map.of("kind", "webhook",
                    "webhookUrl", sink.url("/us"), "webhookAuthType", "header", "webhookHeaderName", "X-Key",
                    "webhookHeaderValue", "us-key-1", "from", "ACME-US")));
            assertEquals(201, created.status(), created.body());
            AdminApi.Response saved = realm.updateSmsSettings(settings(realm, Map.of("gateway", "sms-eu", "fallbackGateway", "sms-us")));
            assertEquals(204, saved.status(), saved.body());

            JsonNode listed = realm.admin().get(realm.path("/components?type=" + TYPE)).json();
            assertEquals(2, listed.size(), listed.toString());
            listed.forEach(g -> assertFalse(g.toString().contains("us-key-1"), "the admin API masks a gateway's secrets: " + g));

            JsonNode choices = realm.admin().get(realm.path("/authentication/required-actions/sms-register/config-description")).json();
            JsonNode gatewayField = null;
            for (JsonNode property : choices.get("properties")) {
                if (property.get("name").asText().equals("gateway")) {
                    gatewayField = property;
                }
            }
            assertTrue(gatewayField != null && gatewayField.get("options").toString().contains("\"sms-eu\"")
                    && gatewayField.get("options").toString().contains("\"sms-us\""), String.valueOf(gatewayField));
            assertTrue(gatewayField.get("helpText").asText().contains("sms-us = Webhook, this realm's"), gatewayField.toString());

            realm.createUser("named-user");
            try (Browser browser = new Browser()) {
                browser.open(realm.authUrl()).login("named-user", TestRealm.PASSWORD);
                int mark = sink.mark();
                browser.fill("phone", "+49 151 50000111").submit("send");
                List<WebhookSink.Received> received = sink.since(mark);
                assertEquals(List.of("/eu", "/us"), received.stream().map(WebhookSink.Received::path).toList());
                WebhookSink.Received delivered = received.get(1);
                assertEquals("ACME-US", delivered.json().get("From").asText(), "the named gateway's own sender");
                assertEquals("us-key-1", delivered.request().header("X-Key"));
                browser.fill("code", delivered.json().get("Body").asText()).submit("verify");
                assertTrue(browser.isLoggedIn(), browser.text());
            }
        } finally {
            realm.delete();
        }
    }

    @Test
    void aBadGatewayOrANameNoGatewayHasIsRefusedWithTheFieldNamed() {
        TestRealm realm = TestRealm.create("named-bad", r -> { });
        try {
            AdminApi.Response incomplete = realm.admin().post(realm.path("/components"),
                    gateway("twilio-b", Map.of("kind", "twilio", "twilioAccountSid", "AC123")));
            assertEquals(400, incomplete.status(), incomplete.body());
            assertTrue(incomplete.body().contains("Twilio auth token: is required"), incomplete.body());

            AdminApi.Response badName = realm.admin().post(realm.path("/components"), gateway("my gateway", Map.of("kind", "log")));
            assertEquals(400, badName.status(), badName.body());
            assertTrue(badName.body().contains("Name: must be 1 to 64 letters"), badName.body());

            assertEquals(201, realm.admin().post(realm.path("/components"), gateway("dev", Map.of("kind", "log"))).status());
            AdminApi.Response twice = realm.admin().post(realm.path("/components"), gateway("dev", Map.of("kind", "log")));
            assertEquals(400, twice.status(), twice.body());
            assertTrue(twice.body().contains("the realm has a gateway named \u2019dev\u2019 already"), twice.body());

            AdminApi.Response unknown = realm.updateSmsSettings(settings(realm, Map.of("gateway", "nope")));
            assertEquals(400, unknown.status(), unknown.body());
            assertTrue(unknown.body().contains("SMS gateway: no SMS gateway 'nope' is installed or named in this realm; choices: dev, "),
                    unknown.body());
            assertEquals(204, realm.updateSmsSettings(settings(realm, Map.of("gateway", "dev"))).status());
        } finally {
            realm.delete();
        }
    }

    /** The docs' example, with the test server's address, admin password and a realm of its own; its comments say what it prints. */
    @Test
    void theDocsExampleRunsAsPastedAndPrintsWhatItsCommentsSay() throws Exception {
        assumeTrue(onPath("curl") && onPath("jq"), "curl and jq are not installed: the docs' example cannot run here");
        TestRealm realm = TestRealm.create("docs", r -> { });
        try {
            String doc = Files.readString(Path.of("docs", "gateways.md"));
            String section = doc.substring(doc.indexOf("## Named gateways"));
            int start = section.indexOf("```sh\n") + "```sh\n".length();
            String script = section.substring(start, section.indexOf("```\n", start));
            List<String> expected = new ArrayList<>();
            Matcher comment = Pattern.compile("(?m)^(?:.*\\s)?# (\\d{3}|\\{.*)$").matcher(script);
            while (comment.find()) {
                expected.add(comment.group(1));
            }
            Process run = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script
                    .replace("http://localhost:8080", KeycloakServer.BASE_URL)
                    .replace("/sms-demo", "/" + realm.name())
                    .replace("-d password=admin", "-d password=" + KeycloakServer.ADMIN_PASSWORD))
                    .redirectErrorStream(true).start();
            String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, run.waitFor(), output);
            assertEquals(List.of("201", "{\"name\":\"twilio-de\",\"kind\":\"twilio\"}", "204"), expected);
            assertEquals(expected, output.lines().toList());
            Map<String, String> settings = realm.smsSettings();
            assertEquals("twilio-de", settings.get("gateway"));
            assertEquals("log", settings.get("fallbackGateway"));
        } finally {
            realm.delete();
        }
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv("PATH").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }
}
