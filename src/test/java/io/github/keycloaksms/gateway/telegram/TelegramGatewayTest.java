package io.github.keycloaksms.gateway.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.keycloaksms.gateway.InvalidSettingsException;
import io.github.keycloaksms.gateway.SmsMessage;
import io.github.keycloaksms.gateway.SmsSendException;
import io.github.keycloaksms.gateway.TestGatewayConfig;
import io.github.keycloaksms.gateway.http.SmsHttpClient;
import io.github.keycloaksms.phone.PhoneNumber;
import io.github.keycloaksms.testing.LocalHttpServer;

/** The telegram gateway against a local server speaking the Telegram Gateway API's wire format. */
class TelegramGatewayTest {

    private static final SmsMessage MESSAGE = SmsMessage.to(PhoneNumber.ofStoredE164("+4915123456789"))
            .text("123456 is your code.").code("123456").ttl(Duration.ofMinutes(5)).locale(Locale.ENGLISH).realm("acme").build();

    private FakeTelegramGateway telegram;
    private SmsHttpClient http;
    private final TelegramGateway gateway = new TelegramGateway();

    @BeforeEach
    void start() throws Exception {
        telegram = new FakeTelegramGateway();
        http = new SmsHttpClient(SSLContext.getDefault());
    }

    @AfterEach
    void stop() throws IOException {
        http.close();
        telegram.close();
    }

    private TestGatewayConfig settings(Map<String, String> changes) {
        Map<String, String> values = new HashMap<>(Map.of("telegramToken", "tg-token-1", "telegramApiUrl", telegram.url()));
        values.putAll(changes);
        return TestGatewayConfig.of(values, Set.of("localhost"), http);
    }

    private SmsSendException failure() {
        return assertThrows(SmsSendException.class, () -> gateway.send(MESSAGE, settings(Map.of())));
    }

    @Test
    void theAbilityIsCheckedThenOurCodeIsSentUnderItsRequestIdForItsLifetime() throws Exception {
        gateway.send(MESSAGE, settings(Map.of("telegramSenderUsername", "acme_codes")));

        List<LocalHttpServer.Request> requests = telegram.received();
        assertEquals(List.of("/checkSendAbility", "/sendVerificationMessage"), requests.stream().map(LocalHttpServer.Request::path).toList());
        requests.forEach(request -> assertEquals("Bearer tg-token-1", request.header("Authorization")));
        assertEquals("{\"phone_number\":\"+4915123456789\"}", requests.get(0).json().toString());
        assertEquals("{\"phone_number\":\"+4915123456789\",\"code\":\"123456\",\"ttl\":300,\"request_id\":\"tg-request-1\","
                + "\"sender_username\":\"acme_codes\"}", requests.get(1).json().toString());
    }

    @Test
    void deliveryReportsAreAskedForOnlyWhenTheSettingsSaySoAndKeycloakHasAnAddressForThem() throws Exception {
        TelegramGatewayFactory factory = new TelegramGatewayFactory();
        assertFalse(factory.asksForReports(settings(Map.of())));
        assertFalse(factory.asksForReports(settings(Map.of("telegramDeliveryReports", "false"))));
        assertTrue(factory.asksForReports(settings(Map.of("telegramDeliveryReports", "true"))));

        gateway.send(MESSAGE, settings(Map.of("telegramDeliveryReports", "true")));
        gateway.send(MESSAGE.but().reports("https://id.example.com/realms/acme/sms-delivery-reports/tg", "LOGIN telegram u-1").build(),
                settings(Map.of("telegramDeliveryReports", "true")));

        List<LocalHttpServer.Request> requests = telegram.received();
        assertFalse(requests.get(1).json().has("callback_url"), "no address: " + requests.get(1).json());
        assertEquals("https://id.example.com/realms/acme/sms-delivery-reports/tg", requests.get(3).json().get("callback_url").asText());
        assertEquals("LOGIN telegram u-1", requests.get(3).json().get("payload").asText());
    }

    @Test
    void theLifetimeStaysWithinWhatTheApiTakes() throws Exception {
        gateway.send(MESSAGE.but().ttl(Duration.ofHours(2)).build(), settings(Map.of()));
        assertEquals(3600, telegram.received().get(1).json().get("ttl").asInt());
    }

    @Test
    void aNumberWithoutTelegramIsRefusedBeforeAnythingIsSent() {
        telegram.fail("checkSendAbility", 400, "PHONE_NUMBER_NOT_AVAILABLE");
        SmsSendException e = failure();
        assertEquals(SmsSendException.Kind.REJECTED, e.kind());
        assertEquals("smsNumberCannotReceive", e.userMessageKey());
        assertEquals(1, telegram.received().size());
        assertFalse(e.getMessage().contains("123456"), e.getMessage());
    }

    /** Only {"ok": true} with a result is a sent code: a peer once read "not verified" as verified. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "200|{\"ok\": false, \"error\": \"CODE_INVALID\"}",
            "200|{\"ok\": \"true\", \"result\": {}}",
            "200|{\"ok\": true}",
            "200|{\"result\": {\"request_id\": \"x\"}}",
            "200|not json, but ok: true",
            "200|''"})
    void anythingButOkTrueWithAResultIsAFailure(int status, String body) {
        telegram.answer("sendVerificationMessage", status, body);
        assertEquals(SmsSendException.Kind.REJECTED, failure().kind());
    }

    @ParameterizedTest
    @CsvSource({
            "401, ACCESS_TOKEN_INVALID, CONFIGURATION",
            "400, BALANCE_NOT_ENOUGH, CONFIGURATION",
            "429, FLOOD_WAIT_30, TRANSIENT",
            "502, '', TRANSIENT",
            "400, PHONE_NUMBER_INVALID, REJECTED"})
    void answersAreSortedByWhatTheAdminOrTheUserCanDo(int status, String error, SmsSendException.Kind kind) {
        telegram.fail("sendVerificationMessage", status, error);
        assertEquals(kind, failure().kind());
    }

    @Test
    void theTokenIsRequiredAndTheSenderMustBeAChannelName() {
        TelegramGatewayFactory factory = new TelegramGatewayFactory();
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
                () -> factory.validate(settings(Map.of("telegramToken", "", "telegramSenderUsername", "@acme"))));
        assertEquals(List.of("telegramToken", "telegramSenderUsername"), e.problems().stream().map(InvalidSettingsException.Problem::key).toList());
        assertTrue(assertThrows(SmsSendException.class, () -> gateway.send(MESSAGE, settings(Map.of("telegramToken", ""))))
                .getMessage().contains("telegramToken"));
    }
}
