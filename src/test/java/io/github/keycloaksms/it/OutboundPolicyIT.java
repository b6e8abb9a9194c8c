package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.keycloaksms.gateway.twilio.FakeTwilio;

/**
 * A realm admin turning the gateways against the server: pointing them at its own network or at
 * cloud metadata, sending the operator's Twilio token elsewhere, or saving a template that would
 * take the server down. The shared server allows exactly one host, {@code localhost}, where the
 * tests' fakes listen.
 */
class OutboundPolicyIT {

    private static WebhookSink sink;
    private static FakeTwilio twilio;
    private static TestRealm realm;

    @BeforeAll
    static void start() throws Exception {
        sink = new WebhookSink();
        twilio = new FakeTwilio();
        realm = TestRealm.create("outbound", r -> r.setBruteForceProtected(false));
    }

    @AfterAll
    static void cleanUp() {
        realm.delete();
        sink.close();
        twilio.close();
    }

    private static int sinkPort() {
        return java.net.URI.create(sink.url("/")).getPort();
    }

    private static Map<String, String> webhook(String url) {
        return new HashMap<>(Map.of("gateway", "webhook", "webhookUrl", url));
    }

    private static Map<String, String> twilio(String apiUrl) {
        return new HashMap<>(Map.of("gateway", "twilio", "twilioAccountSid", "AC00000000000000000000000000000000",
                "twilioAuthToken", "${vault.twilio-token}", "from", "+15005550006", "twilioApiUrl", apiUrl));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:%d/sms", "https://127.0.0.1:%d/sms", "http://169.254.169.254/latest/meta-data/",
            "https://169.254.169.254/latest/meta-data/", "http://2130706433/", "https://2130706433/", "http://[::ffff:127.0.0.1]:%d/",
            "https://[::ffff:127.0.0.1]:%d/", "https://[::1]:%d/", "https://10.0.0.1/", "https://[fd00:ec2::254]/",
            "https://sms.example.org/send", "file:///etc/passwd"})
    void gatewayUrlsOutsideTheOperatorsListAreRefusedWhenSaved(String pattern) {
        String url = pattern.formatted(sinkPort());
        int mark = sink.mark();
        AdminApi.Response hook = realm.updateSmsSettings(webhook(url));
        assertEquals(400, hook.status(), url + ": " + hook.body());
        assertTrue(hook.body().contains("webhookUrl"), hook.body());
        AdminApi.Response api = realm.updateSmsSettings(twilio(url));
        assertEquals(400, api.status(), url + ": " + api.body());
        assertTrue(api.body().contains("twilioApiUrl"), api.body());
        assertEquals(0, sink.since(mark).size() + twilio.received().size(), "nothing was contacted");
    }

    @Test
    void theTwilioTokenGoesOnlyWhereTheOperatorSays() {
        AdminApi.Response elsewhere = realm.updateSmsSettings(twilio("https://collector.example.net"));
        assertEquals(400, elsewhere.status(), elsewhere.body());
        assertTrue(elsewhere.body().contains("host collector.example.net is not among the hosts this server allows"), elsewhere.body());
        assertEquals(204, realm.updateSmsSettings(twilio(twilio.url())).status(), "the operator listed localhost");
        assertEquals(204, realm.updateSmsSettings(webhook(sink.url("/sms"))).status(), "the operator listed localhost");
    }

    @Test
    void aBadUrlThatGotInAnywayIsRefusedAtSend() {
        // a realm import does not run the settings check: the send must refuse on its own
        TestRealm imported = TestRealm.create("outbound-import", r -> {
            r.setEventsEnabled(true);
            TestRealm.smsConfig(r).putAll(Map.of("gateway", "webhook", "webhookUrl", "http://127.0.0.1:" + sinkPort() + "/sms"));
        });
        try {
            String userId = imported.createUser("imported-url");
            int mark = sink.mark();
            try (Browser browser = new Browser()) {
                browser.open(imported.authUrl()).login("imported-url", TestRealm.PASSWORD);
                browser.fill("phone", "+49 151 71000011").submit("send");
                assertEquals(200, browser.status());
                assertTrue(browser.text().contains("SMS codes are not available right now."), browser.text());
            }
            assertEquals(0, sink.since(mark).size(), "the webhook was not called");
            JsonNode event = imported.admin().get(imported.path("/events?type=UPDATE_CREDENTIAL_ERROR&user=" + userId)).json().get(0);
            assertEquals("sms_send_failed", event.get("error").asText());
            assertEquals("configuration", event.get("details").get("reason").asText());
            assertTrue(event.get("details").get("sms_error").asText().contains("not among the hosts"), event.toString());
        } finally {
            imported.delete();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"<#assign s='xxxxxxxx'><#list 1..27 as _><#assign s=s+s></#list>${s}",
            "<#list 1..2147483647 as i></#list>"})
    void templateBombsAreRefusedAtOnceAndTheServerStaysUp(String template) {
        Map<String, String> settings = webhook(sink.url("/sms"));
        settings.put("webhookBodyTemplate", template);
        Instant start = Instant.now();
        AdminApi.Response response = realm.updateSmsSettings(settings);
        assertTrue(Duration.between(start, Instant.now()).compareTo(Duration.ofSeconds(1)) < 0, "took too long");
        assertEquals(400, response.status(), response.body());
        assertTrue(response.body().contains("only ${...} and <#if>"), response.body());
        assertEquals(200, realm.admin().get(realm.path("")).status(), "the server still answers");
    }
}
