package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.keycloaksms.gateway.telegram.FakeTelegramGateway;
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
        Map<String, List<String>> config = Map.of("kind", List.of("telegram"), "telegramToken", List.of("tg-token-1"),
                "telegramApiUrl", List.of(telegram.url()));
        AdminApi.Response created = realm.admin().post(realm.path("/components"), Map.of("name", "tg", "providerId", "sms-gateway",
                "providerType", GatewayInstancesIT.TYPE, "config", config));
        assertEquals(201, created.status(), created.body());
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

    private static String telegramCode(List<LocalHttpServer.Request> requests) {
        JsonNode sent = requests.get(requests.size() - 1).json();
        assertEquals("+4915150000121".substring(0, 3), sent.get("phone_number").asText().substring(0, 3), sent.toString());
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
            String byTelegram = telegramCode(telegram.received());
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
    void aNumberWithoutTelegramGetsItsCodeBySmsAtOnceAndTheAdminAnEvent() {
        telegram.fail("checkSendAbility", 400, "PHONE_NUMBER_NOT_AVAILABLE");
        String userId = realm.createUser("sms-user");
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
        JsonNode failed = realm.awaitEvents("type=UPDATE_CREDENTIAL_ERROR&user=" + userId, 1,
                event -> "sms_send_failed".equals(event.path("error").asText())).get(0);
        assertEquals("telegram", failed.path("details").path("sms_channel").asText(), failed.toString());
        assertEquals("tg", failed.path("details").path("sms_gateway").asText(), failed.toString());
        assertFalse(failed.toString().contains("50000122"), "no full number in the event: " + failed);
    }
}
