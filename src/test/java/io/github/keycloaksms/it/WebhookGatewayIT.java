package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Codes leaving Keycloak through the webhook gateway, and what users see when the receiver fails. */
class WebhookGatewayIT {

    private static final KeycloakServer server = KeycloakServer.shared();
    private static final SmsLog sms = new SmsLog(server);
    private static TestRealm realm;
    private static WebhookSink sink;
    private static Map<String, String> baseSettings;

    @BeforeAll
    static void start() throws IOException {
        sink = new WebhookSink();
        realm = TestRealm.create("webhook", r -> r.setBruteForceProtected(false));
        baseSettings = new HashMap<>(realm.smsSettings());
        baseSettings.put("gateway", "webhook");
        baseSettings.put("resendCooldown", "0");
        baseSettings.put("from", "ACME");
        baseSettings.put("webhookAuthType", "bearer");
        baseSettings.put("webhookToken", "s3cret-token");
    }

    @AfterAll
    static void stop() {
        realm.delete();
        sink.close();
    }

    private static void settings(String path, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(baseSettings);
        settings.put("webhookUrl", sink.url(path));
        settings.putAll(extra);
        AdminApi.Response response = realm.updateSmsSettings(settings);
        assertEquals(204, response.status(), response.body());
    }

    @Test
    void enrollmentAndLoginWorkThroughTheWebhookWithAuthentiksBody() {
        settings("/ok", Map.of());
        realm.createUser("webhook-user");
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("webhook-user", TestRealm.PASSWORD);
            int mark = sink.mark();
            browser.fill("phone", "+49 151 50000011").submit("send");
            WebhookSink.Received request = sink.await(mark);
            assertEquals("Bearer s3cret-token", request.authorization());
            assertTrue(request.contentType().startsWith("application/json"), request.contentType());
            JsonNode body = request.json();
            assertEquals("ACME", body.get("From").asText());
            assertEquals("+4915150000011", body.get("To").asText());
            String code = body.get("Body").asText();
            assertTrue(body.get("Message").asText().contains(code) && body.get("Message").asText().endsWith("#" + code));
            browser.fill("code", code).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
            assertEquals(1, sink.since(mark).size());
        }
        try (Browser browser = new Browser()) {
            int mark = sink.mark();
            browser.open(realm.authUrl()).login("webhook-user", TestRealm.PASSWORD);
            browser.fill("code", sink.await(mark).json().get("Body").asText()).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
        }
    }

    @Test
    void aCustomBodyTemplateShapesThePayload() {
        settings("/custom", Map.of("webhookBodyTemplate",
                "{\"recipient\": \"${phone}\", \"otp\": \"${code}\", \"ttl\": ${ttlSeconds}, \"who\": \"${user.firstName} ${user.lastName}\"}"));
        realm.createUser("template-user");
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("template-user", TestRealm.PASSWORD);
            int mark = sink.mark();
            browser.fill("phone", "+49 151 50000022").submit("send");
            JsonNode body = sink.await(mark).json();
            assertEquals("+4915150000022", body.get("recipient").asText());
            assertEquals(300, body.get("ttl").asInt());
            assertEquals("Test User", body.get("who").asText());
            browser.fill("code", body.get("otp").asText()).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
        }
    }

    @Test
    void aFailingWebhookFailsOverOnceToTheFallbackGateway() {
        sink.answer("/down", 502, "<html><body>Bad gateway</body></html>", Duration.ZERO);
        settings("/down", Map.of("fallbackGateway", "log"));
        realm.createUser("failover-user");
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("failover-user", TestRealm.PASSWORD);
            int sinkMark = sink.mark();
            int logMark = sms.mark();
            browser.fill("phone", "+49 151 50000033").submit("send");
            String code = sms.awaitCode(logMark, "33");
            assertEquals(1, sink.since(sinkMark).size(), "the failing primary got exactly one request");
            assertEquals(1, sms.countSince(logMark), "the fallback sent exactly one SMS");
            browser.fill("code", code).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
        }
    }

    @Test
    void aRejectionIsNotRetriedAndTheUserIsToldWithoutLeakingTheCode() {
        sink.answer("/reject", 400, "{\"error\": \"invalid destination\"}", Duration.ZERO);
        settings("/reject", Map.of("fallbackGateway", "log"));
        String userId = realm.createUser("rejected-user");
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("rejected-user", TestRealm.PASSWORD);
            int sinkMark = sink.mark();
            int logMark = server.mark();
            browser.fill("phone", "+49 151 50000044").submit("send");
            assertEquals(200, browser.status());
            assertEquals("login-sms-phone.ftl", browser.template());
            assertTrue(browser.text().contains("We could not send the SMS right now."), browser.text());

            List<WebhookSink.Received> requests = sink.since(sinkMark);
            assertEquals(1, requests.size());
            assertEquals(0, sms.countSince(logMark), "a permanent rejection does not fail over");
            String code = requests.get(0).json().get("Body").asText();
            List<String> log = server.linesSince(logMark);
            assertTrue(log.stream().anyMatch(l -> l.contains("webhook answered 400") && l.contains("invalid destination")), String.join("\n", log));
            assertTrue(log.stream().noneMatch(l -> l.contains(code) || l.contains("4915150000044")), String.join("\n", log));
        }
        JsonNode events = realm.admin().get(realm.path("/events?type=UPDATE_CREDENTIAL_ERROR&user=" + userId)).json();
        assertEquals("sms_send_failed", events.get(0).get("error").asText());
        assertEquals("rejected", events.get(0).get("details").get("reason").asText());
        String error = events.get(0).get("details").get("sms_error").asText();
        assertTrue(error.startsWith("webhook answered 400: {\"error\": \"invalid destination\"}"), error);
        assertEquals(List.of(), realm.smsCredentials(userId));
    }

    @Test
    void adminsRewordTheSmsInRealmLocalization() {
        settings("/localized", Map.of());
        AdminApi.Response override = realm.admin().putText(realm.path("/localization/en/smsText"), "Your {1} code: {0}. @{3} #{0}");
        assertEquals(204, override.status(), override.body());
        try {
            realm.createUser("localized-user");
            try (Browser browser = new Browser()) {
                browser.open(realm.authUrl()).login("localized-user", TestRealm.PASSWORD);
                int mark = sink.mark();
                browser.fill("phone", "+49 151 50000077").submit("send");
                JsonNode body = sink.await(mark).json();
                String code = body.get("Body").asText();
                assertEquals("Your SMS demo code: " + code + ". @localhost #" + code, body.get("Message").asText());
            }
        } finally {
            realm.admin().delete(realm.path("/localization/en/smsText"));
        }
    }

    @Test
    void aStalledWebhookIsGivenUpWithinTheDeadline() {
        sink.answer("/stall", 200, "{}", Duration.ofSeconds(20));
        settings("/stall", Map.of());
        realm.createUser("stalled-user");
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("stalled-user", TestRealm.PASSWORD);
            int sinkMark = sink.mark();
            Instant start = Instant.now();
            browser.fill("phone", "+49 151 50000055").submit("send");
            Duration took = Duration.between(start, Instant.now());
            assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "took " + took);
            assertTrue(browser.text().contains("We could not send the SMS right now."), browser.text());
            assertEquals(1, sink.since(sinkMark).size());
        }
    }

    @Test
    void secretsCanComeFromKeycloaksVault() throws IOException {
        java.nio.file.Files.writeString(KeycloakServer.VAULT_DIR.resolve(realm.name() + "_webhook-token"), "vaulted-token");
        settings("/vault", Map.of("webhookToken", "${vault.webhook-token}"));
        realm.createUser("vault-user");
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("vault-user", TestRealm.PASSWORD);
            int mark = sink.mark();
            browser.fill("phone", "+49 151 50000066").submit("send");
            assertEquals("Bearer vaulted-token", sink.await(mark).authorization());
        }
    }

    @Test
    void theOperatorDecidesWhichHostsWebhooksMayReach() {
        Map<String, String> elsewhere = new HashMap<>(baseSettings);
        elsewhere.put("webhookUrl", "https://sms.example.org/send");
        AdminApi.Response response = realm.updateSmsSettings(elsewhere);
        assertEquals(400, response.status(), response.body());
        assertTrue(response.body().contains("not among the hosts this server allows"), response.body());
    }

    @Test
    void badWebhookSettingsAreRefusedWhenSaved() {
        Map<String, String> dangerous = new HashMap<>(baseSettings);
        dangerous.put("webhookUrl", sink.url("/ok"));
        dangerous.put("webhookBodyTemplate", "<#assign ex = \"freemarker.template.utility.Execute\"?new()>{\"x\": \"${ex(\"id\")}\"}");
        AdminApi.Response response = realm.updateSmsSettings(dangerous);
        assertEquals(400, response.status(), response.body());
        assertTrue(response.body().contains("webhookBodyTemplate"), response.body());

        Map<String, String> noUrl = new HashMap<>(baseSettings);
        noUrl.remove("webhookUrl");
        response = realm.updateSmsSettings(noUrl);
        assertEquals(400, response.status(), response.body());
        assertTrue(response.body().contains("webhookUrl"), response.body());

        Map<String, String> noToken = new HashMap<>(baseSettings);
        noToken.put("webhookUrl", sink.url("/ok"));
        noToken.remove("webhookToken");
        response = realm.updateSmsSettings(noToken);
        assertEquals(400, response.status(), response.body());
        assertFalse(response.body().contains("s3cret"), response.body());
    }
}
