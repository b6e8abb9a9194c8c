package io.github.keycloaksms.gateway.whatsapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

/** The whatsapp gateway against a local server speaking the WhatsApp Business Cloud API's wire format. */
class WhatsAppGatewayTest {

    private static final SmsMessage MESSAGE = SmsMessage.to(PhoneNumber.ofStoredE164("+4915123456789"))
            .text("123456 is your code.").code("123456").ttl(Duration.ofMinutes(5)).locale(Locale.GERMANY).realm("acme").build();

    private FakeWhatsAppCloud whatsapp;
    private SmsHttpClient http;
    private final WhatsAppGateway gateway = new WhatsAppGateway();

    @BeforeEach
    void start() throws Exception {
        whatsapp = new FakeWhatsAppCloud();
        http = new SmsHttpClient(SSLContext.getDefault());
    }

    @AfterEach
    void stop() throws IOException {
        http.close();
        whatsapp.close();
    }

    private TestGatewayConfig settings(Map<String, String> changes) {
        Map<String, String> values = new HashMap<>(Map.of("whatsappPhoneNumberId", "106540352242922", "whatsappAccessToken", "wa-token-1",
                "whatsappTemplate", "login_code", "whatsappTemplateLanguages", "en_US, de, pt_BR", "whatsappApiUrl", whatsapp.url()));
        values.putAll(changes);
        return TestGatewayConfig.of(values, Set.of("localhost"), http);
    }

    private SmsSendException failure() {
        return assertThrows(SmsSendException.class, () -> gateway.send(MESSAGE, settings(Map.of())));
    }

    @Test
    void theCodeGoesAsTheAuthenticationTemplatesBodyAndCopyCodeButton() throws Exception {
        gateway.send(MESSAGE, settings(Map.of()));

        assertEquals(1, whatsapp.received().size());
        LocalHttpServer.Request request = whatsapp.received().get(0);
        assertEquals("/v21.0/106540352242922/messages", request.path());
        assertEquals("Bearer wa-token-1", request.header("Authorization"));
        assertEquals("{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\",\"to\":\"+4915123456789\","
                + "\"type\":\"template\",\"template\":{\"name\":\"login_code\",\"language\":{\"code\":\"de\"},\"components\":["
                + "{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"123456\"}]},"
                + "{\"type\":\"button\",\"sub_type\":\"url\",\"index\":\"0\",\"parameters\":[{\"type\":\"text\",\"text\":\"123456\"}]}]}}",
                request.json().toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "de_DE|en_US, de, pt_BR|de",
            "pt_BR|en_US, de, pt_BR|pt_BR",
            "pt_PT|en_US, de, pt_BR|pt_BR",
            "en_GB|en_US, de|en_US",
            "fr_FR|en_US, de|en_US",
            "de_AT|de_AT, de|de_AT"})
    void theTemplateLanguageIsTheOneClosestToTheUsers(String locale, String approved, String chosen) {
        assertEquals(chosen, WhatsAppGateway.language(Locale.forLanguageTag(locale.replace('_', '-')), approved));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "200|{\"messaging_product\": \"whatsapp\", \"messages\": []}",
            "200|{\"messages\": [{\"id\": \"\"}]}",
            "200|{\"error\": {\"message\": \"not sent\", \"code\": 131000}, \"messages\": \"wamid.1\"}",
            "200|accepted",
            "200|''"})
    void anAnswerThatNamesNoAcceptedMessageIsAFailure(int status, String body) {
        whatsapp.answer(status, body);
        SmsSendException e = failure();
        assertFalse(e.getMessage().contains("123456"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
            "400, 131026, REJECTED, smsNumberCannotReceive",
            "401, 190, CONFIGURATION, smsSendFailed",
            "404, 132001, CONFIGURATION, smsSendFailed",
            "400, 131056, TRANSIENT, smsRateLimited",
            "500, 131000, TRANSIENT, smsSendFailed",
            "400, 131051, REJECTED, smsSendFailed"})
    void graphErrorsAreSortedByWhatTheAdminOrTheUserCanDo(int status, int code, SmsSendException.Kind kind, String userMessage) {
        whatsapp.fail(status, code, "an error");
        SmsSendException e = failure();
        assertEquals(kind, e.kind());
        assertEquals(userMessage, e.userMessageKey());
    }

    @Test
    void theSettingsAreCheckedForWhatMetaTakes() {
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> new WhatsAppGatewayFactory().validate(settings(Map.of(
                "whatsappPhoneNumberId", "+49 151 2345", "whatsappAccessToken", "", "whatsappTemplate", "Login Code",
                "whatsappTemplateLanguages", "German"))));
        assertEquals(List.of("whatsappAccessToken", "whatsappPhoneNumberId", "whatsappTemplate", "whatsappTemplateLanguages"),
                e.problems().stream().map(InvalidSettingsException.Problem::key).toList());
    }
}
