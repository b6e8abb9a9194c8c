package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** A provider preset, the operator's egress proxy and a dead provider, through a real Keycloak. */
class DeliveryIT {

    private static final KeycloakServer server = KeycloakServer.shared();
    private static final SmsLog sms = new SmsLog(server);
    private static final Pattern CODE = Pattern.compile("#(\\d{6})$");
    private static WebhookSink sink;

    @BeforeAll
    static void start() throws IOException {
        sink = new WebhookSink();
    }

    @AfterAll
    static void stop() {
        sink.close();
    }

    private static TestRealm realm(String prefix, Map<String, String> settings) {
        TestRealm realm = TestRealm.create(prefix, r -> r.setBruteForceProtected(false));
        Map<String, String> all = new HashMap<>(realm.smsSettings());
        all.put("gateway", "webhook");
        all.put("resendCooldown", "0");
        all.put("maxSendsPerLogin", "100");
        all.put("maxSendsPerUserPerDay", "100");
        all.put("maxSendsPerNumberPerDay", "100");
        all.put("maxSendsPerIpPerHour", "100");
        all.put("from", "ACME");
        all.putAll(settings);
        AdminApi.Response response = realm.updateSmsSettings(all);
        assertEquals(204, response.status(), response.body());
        return realm;
    }

    private static String code(String text) {
        Matcher matcher = CODE.matcher(text);
        assertTrue(matcher.find(), text);
        return matcher.group(1);
    }

    @Test
    void withAPresetTheAdminTypesOnlyTheKeyAndTheSender() {
        TestRealm realm = realm("preset", Map.of("webhookPreset", "infobip", "webhookUrl", sink.url(""),
                "webhookHeaderValue", "infobip-key-1"));
        try {
            AdminApi.Response bad = realm.updateSmsSettings(Map.of("gateway", "webhook", "webhookPreset", "infobip",
                    "webhookUrl", sink.url("/sms/2/text/advanced"), "webhookHeaderValue", "k"));
            assertEquals(400, bad.status(), bad.body());
            assertTrue(bad.body().contains("base URL"), bad.body());
            realm.createUser("preset-user");
            try (Browser browser = new Browser()) {
                browser.open(realm.authUrl()).login("preset-user", TestRealm.PASSWORD);
                int mark = sink.mark();
                browser.fill("phone", "+49 151 50000101").submit("send");
                WebhookSink.Received request = sink.await(mark);
                assertEquals("/sms/2/text/advanced", request.path());
                assertEquals("App infobip-key-1", request.authorization());
                JsonNode message = request.json().get("messages").get(0);
                assertEquals("4915150000101", message.get("destinations").get(0).get("to").asText());
                assertEquals("ACME", message.get("from").asText());
                browser.fill("code", code(message.get("text").asText())).submit("verify");
                assertTrue(browser.isLoggedIn(), browser.text());
            }
        } finally {
            realm.delete();
        }
    }

    @Test
    void requestsGoThroughTheOperatorsEgressProxy() {
        RecordingProxy proxy = KeycloakServer.egressProxy();
        String proxiedUrl = sink.url("/via-proxy").replace("localhost", RecordingProxy.PROXIED_HOST);
        TestRealm realm = realm("proxy", Map.of("webhookUrl", proxiedUrl));
        try {
            realm.createUser("proxy-user");
            int proxyMark = proxy.requests().size();
            try (Browser browser = new Browser()) {
                browser.open(realm.authUrl()).login("proxy-user", TestRealm.PASSWORD);
                int mark = sink.mark();
                browser.fill("phone", "+49 151 50000102").submit("send");
                WebhookSink.Received request = sink.await(mark);
                assertEquals("/via-proxy", request.path());
                assertEquals(1, sink.since(mark).size(), "one SMS, even when the proxy first asks for credentials");
                browser.fill("code", request.json().get("Body").asText()).submit("verify");
                assertTrue(browser.isLoggedIn(), browser.text());
            }
            List<RecordingProxy.Request> seen = proxy.requests().subList(proxyMark, proxy.requests().size());
            String credentials = "Basic " + Base64.getEncoder().encodeToString(
                    (RecordingProxy.USER + ":" + RecordingProxy.PASSWORD).getBytes(StandardCharsets.UTF_8));
            assertTrue(seen.stream().anyMatch(r -> r.method().equals("POST") && r.target().equals(proxiedUrl)
                    && credentials.equals(r.proxyAuthorization())), seen.toString());
            assertTrue(proxy.requests().stream().noneMatch(r -> r.target().contains("localhost")),
                    "hosts the mappings do not name are reached directly: " + proxy.requests());
        } finally {
            realm.delete();
        }
    }

    @Test
    void aDeadProviderIsLeftAloneWhileTheFallbackDeliversAndIsTriedAgainLater() throws Exception {
        sink.answer("/dead", 503, "{\"error\": \"down\"}", Duration.ZERO);
        TestRealm realm = realm("outage", Map.of("webhookUrl", sink.url("/dead"), "fallbackGateway", "log"));
        try {
            String userId = realm.createUser("outage-user");
            String metricsBefore = ServerMetrics.read();
            try (Browser browser = new Browser()) {
                browser.open(realm.authUrl()).login("outage-user", TestRealm.PASSWORD);
                int sinkMark = sink.mark();
                int logMark = sms.mark();
                browser.fill("phone", "+49 151 50000103").submit("send");
                for (int resend = 1; resend < 7; resend++) {
                    browser.submit("resend");
                }
                assertEquals(5, sink.since(sinkMark).size(), "after 5 failures in a row the dead provider is not called");
                assertEquals(7, sms.countSince(logMark, "03"), "the fallback delivered every code");

                sink.answer("/dead", 200, "{\"ok\": true}", Duration.ZERO);
                Instant deadline = Instant.now().plusSeconds(KeycloakServer.CIRCUIT_COOL_OFF_SECONDS + 10);
                int recovered = sink.mark();
                while (sink.since(recovered).isEmpty() && Instant.now().isBefore(deadline)) {
                    // a pause between resends: at full speed they use up the login's 100 codes before the cool-off ends
                    KeycloakServer.sleep(Duration.ofMillis(100));
                    browser.submit("resend");
                }
                assertEquals(1, sink.since(recovered).size(), "after the cool-off, one trial reaches the provider again");
                int afterTrial = sink.mark();
                browser.submit("resend");
                assertEquals(1, sink.since(afterTrial).size(), "the circuit is closed again");
                browser.fill("code", sink.since(afterTrial).get(0).json().get("Body").asText()).submit("verify");
                assertTrue(browser.isLoggedIn(), browser.text());
            }
            JsonNode events = realm.admin().get(realm.path("/events?user=" + userId + "&max=100")).json();
            List<String> errors = new java.util.ArrayList<>();
            events.forEach(e -> errors.add(e.path("error").asText()));
            assertEquals(1, errors.stream().filter("sms_gateway_circuit_opened"::equals).count(), errors.toString());
            assertEquals(1, errors.stream().filter("sms_gateway_circuit_closed"::equals).count(), errors.toString());
            String metricsAfter = ServerMetrics.read();
            assertEquals(1, ServerMetrics.increase(metricsBefore, metricsAfter, "keycloak_sms_gateway_circuit_total",
                    "change=\"opened\",gateway=\"webhook\""));
            assertEquals(1, ServerMetrics.increase(metricsBefore, metricsAfter, "keycloak_sms_gateway_circuit_total",
                    "change=\"closed\",gateway=\"webhook\""));
            assertTrue(ServerMetrics.increase(metricsBefore, metricsAfter, "keycloak_sms_sends_shed_total",
                    "gateway=\"webhook\",reason=\"circuit_open\"") >= 2);
            long openedLines = server.linesSince(0).stream().filter(l -> l.contains("keeps failing") && l.contains(realm.name())).count();
            assertEquals(1, openedLines, "the opening is logged once");
        } finally {
            realm.delete();
        }
    }
}
