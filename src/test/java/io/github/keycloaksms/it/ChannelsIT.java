package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.keycloaksms.gateway.telegram.FakeTelegramGateway;
import io.github.keycloaksms.gateway.twilio.FakeTwilio;
import io.github.keycloaksms.gateway.whatsapp.FakeWhatsAppCloud;
import io.github.keycloaksms.testing.LocalHttpServer;

/** Codes by Telegram first and by SMS when asked or when Telegram cannot take them, through a real Keycloak. */
class ChannelsIT {

    private static final KeycloakServer server = KeycloakServer.shared();
    private static final SmsLog sms = new SmsLog(server);

    private FakeTelegramGateway telegram;
    private TestRealm realm;

    @BeforeEach
    void start() {
        telegram = new FakeTelegramGateway();
        realm = TestRealm.create("channels", r -> r.setBruteForceProtected(false));
        telegramFirst(realm, false);
    }

    /** A named Telegram gateway "tg" in front of SMS, asking for delivery reports or not. */
    private void telegramFirst(TestRealm realm, boolean reports) {
        realm.addGateway("tg", Map.of("kind", "telegram", "telegramToken", "tg-token-1", "telegramApiUrl", telegram.url(),
                "telegramDeliveryReports", String.valueOf(reports)));
        Map<String, String> settings = new HashMap<>(realm.smsSettings());
        settings.putAll(Map.of("channels", "telegram=tg##sms", "resendCooldown", "0"));
        AdminApi.Response saved = realm.updateSmsSettings(settings);
        assertEquals(204, saved.status(), saved.body());
    }

    @AfterEach
    void stop() {
        realm.delete();
        telegram.close();
    }

    /** The code of the last verification message Telegram was asked to send, to that number. */
    private static String telegramCode(List<LocalHttpServer.Request> requests, String to) {
        JsonNode sent = requests.get(requests.size() - 1).json();
        assertEquals(to.replace(" ", ""), sent.get("phone_number").asText());
        return sent.get("code").asText();
    }

    @Test
    void theCodeGoesByTelegramFirstAndBySmsWhenTheUserAsks() {
        realm.createUser("tg-user");
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("tg-user", TestRealm.PASSWORD);
            int logMark = sms.mark();
            browser.fill("phone", "+49 151 50000121").submit("send");
            assertEquals(List.of("/checkSendAbility", "/sendVerificationMessage"),
                    telegram.received().stream().map(LocalHttpServer.Request::path).toList());
            String byTelegram = telegramCode(telegram.received(), "+49 151 50000121");
            assertTrue(browser.text().contains("We sent a code by Telegram to +49 151 50000121."), browser.text());
            assertTrue(browser.has("//button[@name='channel' and @value='sms' and normalize-space()='Send by SMS instead']"), browser.text());
            assertFalse(browser.has("//button[@name='channel' and @value='telegram']"), "the channel in use is not offered again");
            assertEquals(0, sms.countSince(logMark), "nothing by SMS yet");

            browser.submit("channel", "sms");
            String bySms = sms.awaitCode(logMark, "21");
            assertTrue(browser.text().contains("We sent a code by SMS to +49 151 50000121."), browser.text());
            assertTrue(browser.has("//button[@name='channel' and @value='telegram']"), browser.text());
            assertEquals(2, telegram.received().size(), "one Telegram message, not two");

            browser.fill("code", byTelegram).submit("verify");
            assertFalse(browser.isLoggedIn(), "the code the SMS replaced no longer counts");
            browser.fill("code", bySms).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
        }
    }

    @Test
    void aNumberWithoutTelegramGetsItsCodeBySmsAtOnceAndTheAdminAnEvent() throws Exception {
        telegram.fail("checkSendAbility", 400, "PHONE_NUMBER_NOT_AVAILABLE");
        String userId = realm.createUser("sms-user");
        String metricsBefore = ServerMetrics.read();
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("sms-user", TestRealm.PASSWORD);
            int logMark = sms.mark();
            browser.fill("phone", "+49 151 50000122").submit("send");
            String bySms = sms.awaitCode(logMark, "22");
            assertTrue(browser.text().contains("We sent a code by SMS to +49 151 50000122."), browser.text());
            assertEquals(List.of("/checkSendAbility"), telegram.received().stream().map(LocalHttpServer.Request::path).toList());
            browser.fill("code", bySms).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
        }
        String metricsAfter = ServerMetrics.read();
        assertEquals(1, ServerMetrics.increase(metricsBefore, metricsAfter, "keycloak_sms_channel_fallbacks_total",
                "from=\"telegram\",to=\"sms\""));
        assertEquals(1, ServerMetrics.increase(metricsBefore, metricsAfter, "keycloak_sms_sends_total",
                "channel=\"telegram\",gateway=\"telegram\",outcome=\"rejected\""));
        assertEquals(1, ServerMetrics.increase(metricsBefore, metricsAfter, "keycloak_sms_sends_total",
                "channel=\"sms\",gateway=\"log\",outcome=\"sent\""));
        assertEquals(1, ServerMetrics.increase(metricsBefore, metricsAfter, "keycloak_sms_verifications_total",
                "channel=\"sms\",outcome=\"accepted\""));
        JsonNode failed = realm.awaitEvents("type=UPDATE_CREDENTIAL_ERROR&user=" + userId, 1,
                event -> "sms_send_failed".equals(event.path("error").asText())).get(0);
        assertEquals("telegram", failed.path("details").path("sms_channel").asText(), failed.toString());
        assertEquals("tg", failed.path("details").path("sms_gateway").asText(), failed.toString());
        assertFalse(failed.toString().contains("50000122"), "no full number in the event: " + failed);
    }

    @Test
    void phoneSignInSendsInTheSameOrderWithAPageThatNamesNoChannel() {
        String held = "+49 151 50000123";
        String unknown = "+49 151 50000124";
        TestRealm phoneRealm = TestRealm.create("channels-phone", r -> TestRealm.withPhoneSignIn(r, server, false));
        try {
            String userId = Steps.enrolledUser(phoneRealm, sms, "phone-tg", held, "23");
            telegramFirst(phoneRealm, true);
            try (Browser browser = new Browser()) {
                int mark = telegram.mark();
                browser.open(phoneRealm.phoneAuthUrl()).fill("phone", held).submit("send");
                assertTrue(browser.text().contains("If " + Steps.forReading(held) + " can sign in here, we have sent it a code."),
                        browser.text());
                assertEquals("/checkSendAbility", telegram.await(mark).path());
                JsonNode sent = telegram.await(mark + 1).json();
                // sent after the response, by a job that has no request to read Keycloak's address from
                assertEquals(KeycloakServer.BASE_URL + "/realms/" + phoneRealm.name() + "/sms-delivery-reports/tg",
                        sent.path("callback_url").asText(), sent.toString());
                assertEquals("LOGIN telegram " + userId, sent.path("payload").asText(), sent.toString());
                String code = sent.get("code").asText();
                browser.fill("code", code).submit("verify");
                assertTrue(browser.isLoggedIn(), browser.text());
            }
            try (Browser browser = new Browser()) {
                browser.open(phoneRealm.phoneAuthUrl()).fill("phone", unknown).submit("send");
                assertTrue(browser.text().contains("If " + Steps.forReading(unknown) + " can sign in here, we have sent it a code."),
                        browser.text());
            }
        } finally {
            phoneRealm.delete();
        }
    }

    /**
     * A gateway that asks for Telegram's delivery reports gives Telegram the address and the send's
     * tag; a code that did not arrive becomes one event however often its report comes; what
     * Telegram did not sign changes nothing.
     */
    @Test
    void aTelegramCodeThatDidNotArriveIsAnEventOnce() throws Exception {
        realm.addGateway("tg-reports", Map.of("kind", "telegram", "telegramToken", "tg-token-2", "telegramApiUrl", telegram.url(),
                "telegramDeliveryReports", "true"));
        Map<String, String> settings = new HashMap<>(realm.smsSettings());
        settings.put("channels", "telegram=tg-reports##sms");
        assertEquals(204, realm.updateSmsSettings(settings).status());
        String userId = realm.createUser("report-user");
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("report-user", TestRealm.PASSWORD);
            browser.fill("phone", "+49 151 50000127").submit("send");
            assertTrue(browser.text().contains("We sent a code by Telegram to +49 151 50000127."), browser.text());
        }
        JsonNode sent = telegram.received().get(1).json();
        String callbackUrl = KeycloakServer.BASE_URL + "/realms/" + realm.name() + "/sms-delivery-reports/tg-reports";
        assertEquals(callbackUrl, sent.path("callback_url").asText(), sent.toString());
        assertEquals("UPDATE_CREDENTIAL telegram " + userId, sent.path("payload").asText(), sent.toString());

        String expired = report(sent, "expired");
        String metricsBefore = ServerMetrics.read();
        Instant now = Instant.now();
        assertEquals(200, FakeTelegramGateway.postReport(callbackUrl, "tg-token-2", expired, now));
        assertEquals(200, FakeTelegramGateway.postReport(callbackUrl, "tg-token-2", expired, now.plusSeconds(5)), "Telegram's retry");
        assertEquals(403, FakeTelegramGateway.postReport(callbackUrl, "tg-token-1", report(sent, "revoked"), now), "another token");
        assertEquals(403, FakeTelegramGateway.postReport(callbackUrl, "tg-token-2", report(sent, "revoked"), now.minusSeconds(3600)),
                "an old report");
        assertEquals(403, FakeTelegramGateway.postReport(callbackUrl.replace("tg-reports", "tg"), "tg-token-2", report(sent, "revoked"),
                now), "signed for another gateway");
        assertEquals(403, FakeTelegramGateway.postReport(callbackUrl.replace("tg-reports", "nobody"), "tg-token-2",
                report(sent, "revoked"), now));
        assertEquals(200, FakeTelegramGateway.postReport(callbackUrl, "tg-token-2", report(sent, "read"), now));
        String metricsAfter = ServerMetrics.read();

        List<JsonNode> events = realm.awaitEvents("type=UPDATE_CREDENTIAL_ERROR&user=" + userId, 1,
                event -> "sms_not_delivered".equals(event.path("error").asText()));
        assertEquals(1, events.size(), events.toString());
        JsonNode details = events.get(0).path("details");
        assertEquals("tg-reports", details.path("sms_gateway").asText(), details.toString());
        assertEquals("telegram", details.path("sms_channel").asText(), details.toString());
        assertEquals("expired", details.path("sms_delivery").asText(), details.toString());
        assertEquals("+49 ••• •••• 27", details.path("sms_phone").asText(), details.toString());
        assertEquals(1, ServerMetrics.increase(metricsBefore, metricsAfter, "keycloak_sms_delivery_reports_total",
                "channel=\"telegram\",gateway=\"telegram\",outcome=\"not_delivered\""));
        assertEquals(1, ServerMetrics.increase(metricsBefore, metricsAfter, "keycloak_sms_delivery_reports_total",
                "channel=\"telegram\",gateway=\"telegram\",outcome=\"delivered\""));
        assertEquals(3, ServerMetrics.increase(metricsBefore, metricsAfter, "keycloak_sms_delivery_reports_total",
                "channel=\"unknown\",gateway=\"telegram\",outcome=\"refused\""));
        assertEquals(1, ServerMetrics.increase(metricsBefore, metricsAfter, "keycloak_sms_delivery_reports_total",
                "channel=\"unknown\",gateway=\"unknown\",outcome=\"refused\""));
    }

    /** Telegram's RequestStatus for a sent request, with this delivery status. */
    private static String report(JsonNode sent, String status) {
        return "{\"request_id\":\"" + sent.path("request_id").asText() + "\",\"phone_number\":\"" + sent.path("phone_number").asText()
                + "\",\"request_cost\":0.01,\"payload\":\"" + sent.path("payload").asText() + "\",\"delivery_status\":{\"status\":\""
                + status + "\",\"updated_at\":" + Instant.now().getEpochSecond() + "}}";
    }

    /** WhatsApp first, through the WhatsApp Cloud API or through Twilio: the page says so, and the code works. */
    @Test
    void theCodeGoesByWhatsAppThroughEitherGateway() {
        try (FakeWhatsAppCloud cloud = new FakeWhatsAppCloud(); FakeTwilio twilio = new FakeTwilio()) {
            realm.addGateway("wa", Map.of("kind", "whatsapp", "whatsappPhoneNumberId", "106540352242922", "whatsappAccessToken", "wa-1",
                    "whatsappTemplate", "login_code", "whatsappApiUrl", cloud.url()));
            realm.addGateway("tw", Map.of("kind", "twilio", "twilioAccountSid", "AC00000000000000000000000000000000",
                    "twilioAuthToken", "token-1", "from", "+15005550006", "twilioApiUrl", twilio.url(),
                    "twilioWhatsAppContentSid", "HX0123456789abcdef0123456789abcdef"));
            realm.addGateway("tw-sms-only", Map.of("kind", "twilio", "twilioAccountSid", "AC00000000000000000000000000000000",
                    "twilioAuthToken", "token-1", "from", "+15005550006", "twilioApiUrl", twilio.url()));
            Map<String, String> refused = new HashMap<>(realm.smsSettings());
            refused.put("channels", "whatsapp=tw-sms-only##telegram=wa##sms");
            AdminApi.Response response = realm.updateSmsSettings(refused);
            assertEquals(400, response.status(), response.body());
            assertTrue(response.body().contains("Channels: whatsapp=tw-sms-only: the gateway (twilio) needs twilioWhatsAppContentSid"),
                    response.body());
            assertTrue(response.body().contains("Channels: telegram=wa: the gateway (whatsapp) does not send by telegram"), response.body());

            String[][] cases = {{"wa", "+49 151 50000125"}, {"tw", "+49 151 50000126"}};
            for (String[] gateway : cases) {
                Map<String, String> settings = new HashMap<>(realm.smsSettings());
                settings.put("channels", "whatsapp=" + gateway[0] + "##sms");
                assertEquals(204, realm.updateSmsSettings(settings).status());
                realm.createUser("wa-user-" + gateway[0]);
                try (Browser browser = new Browser()) {
                    browser.open(realm.authUrl()).login("wa-user-" + gateway[0], TestRealm.PASSWORD);
                    browser.fill("phone", gateway[1]).submit("send");
                    assertTrue(browser.text().contains("We sent a code by WhatsApp to " + gateway[1] + "."), browser.text());
                    String code = gateway[0].equals("wa")
                            ? cloud.received().get(0).json().at("/template/components/0/parameters/0/text").asText()
                            : twilio.received().get(0).form().get("ContentVariables").replaceAll("\\D", "").substring(1);
                    browser.fill("code", code).submit("verify");
                    assertTrue(browser.isLoggedIn(), browser.text());
                }
            }
            assertEquals("whatsapp:" + cases[1][1].replace(" ", ""), twilio.received().get(0).form().get("To"));
        }
    }
}
