package io.github.keycloaksms.gateway.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.keycloaksms.gateway.SmsMessage;
import io.github.keycloaksms.gateway.SmsSendException;
import io.github.keycloaksms.gateway.TestGatewayConfig;
import io.github.keycloaksms.gateway.http.SmsHttpClient;
import io.github.keycloaksms.phone.PhoneNumber;
import io.github.keycloaksms.testing.LocalHttpServer;

/**
 * Each preset against a local fake of its provider: the documented request (path, authentication,
 * fields) and the documented success and error answers, mapped to what users are told.
 */
class WebhookPresetTest {

    private static final SmsMessage MESSAGE = SmsMessage.to(PhoneNumber.ofStoredE164("+4915123456789")).text("123456 is your \"code\".\n\n@id.example.org #123456").code("123456")
            .ttl(Duration.ofMinutes(5)).locale(Locale.ENGLISH).realm("acme")
            .user(SmsMessage.Recipient.of("u-1", "jo", "jo@example.org", "Jo", "Doe")).build();

    private FakeProvider provider;
    private SmsHttpClient http;
    private final WebhookSmsGateway gateway = new WebhookSmsGateway();

    @BeforeEach
    void start() throws Exception {
        provider = new FakeProvider();
        http = new SmsHttpClient(SSLContext.getDefault());
    }

    @AfterEach
    void stop() throws Exception {
        http.close();
        provider.close();
    }

    private void send(String preset, Map<String, String> credentials) throws SmsSendException {
        Map<String, String> values = new HashMap<>(credentials);
        values.put("webhookPreset", preset);
        values.put("webhookUrl", provider.baseUrl());
        values.put("from", "ACME");
        values.put("webhookAuthType", "none");   // what the admin console saves by default: the preset decides
        gateway.send(MESSAGE, TestGatewayConfig.of(values, Set.of("localhost"), http));
    }

    private SmsSendException failure(String preset, Map<String, String> credentials, int status, String body) {
        provider.answer(status, body);
        return assertThrows(SmsSendException.class, () -> send(preset, credentials));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void vonage() throws Exception {
        Map<String, String> credentials = Map.of("webhookUsername", "abcd1234", "webhookPassword", "s3cr3t");
        provider.answer(202, "{\"message_uuid\": \"aaaaaaaa-bbbb-cccc-dddd-0123456789ab\"}");
        send("vonage", credentials);
        LocalHttpServer.Request request = provider.only();
        assertEquals("POST", request.method());
        assertEquals("/v1/messages", request.path());
        assertEquals(basic("abcd1234", "s3cr3t"), request.header("Authorization"));
        assertTrue(request.header("Content-Type").startsWith("application/json"));
        JsonNode body = request.json();
        assertEquals("text", body.get("message_type").asText());
        assertEquals("sms", body.get("channel").asText());
        assertEquals("4915123456789", body.get("to").asText());
        assertEquals("ACME", body.get("from").asText());
        assertEquals(MESSAGE.text(), body.get("text").asText());

        SmsSendException invalidNumber = failure("vonage", credentials, 422, "{\"type\": \"https://developer.vonage.com/api-errors/messages#1150\","
                + " \"title\": \"Invalid params\", \"detail\": \"The value of the `to` parameter is invalid.\", \"instance\": \"x\"}");
        assertEquals("smsNumberCannotReceive", invalidNumber.userMessageKey());
        assertEquals(SmsSendException.Kind.REJECTED, invalidNumber.kind());
        SmsSendException unauthorized = failure("vonage", credentials, 401, "{\"type\": \"https://developer.vonage.com/api-errors#unauthorized\","
                + " \"title\": \"Unauthorized\", \"detail\": \"You did not provide correct credentials.\"}");
        assertEquals(SmsSendException.Kind.CONFIGURATION, unauthorized.kind());
        assertEquals("smsSendFailed", unauthorized.userMessageKey());
        SmsSendException throttled = failure("vonage", credentials, 429, "{\"type\": \"https://developer.vonage.com/api-errors#throttled\","
                + " \"title\": \"Rate Limit Hit\"}");
        assertEquals(SmsSendException.Kind.TRANSIENT, throttled.kind());
        assertEquals("smsRateLimited", throttled.userMessageKey());
    }

    @Test
    void infobip() throws Exception {
        Map<String, String> credentials = Map.of("webhookHeaderValue", "0123456789abcdef-key");
        provider.answer(200, "{\"bulkId\": \"b-1\", \"messages\": [{\"to\": \"4915123456789\", \"status\": {\"groupId\": 1, "
                + "\"groupName\": \"PENDING\", \"id\": 26, \"name\": \"PENDING_ACCEPTED\", \"description\": \"Message sent to next instance\"},"
                + " \"messageId\": \"m-1\"}]}");
        send("infobip", credentials);
        LocalHttpServer.Request request = provider.only();
        assertEquals("/sms/2/text/advanced", request.path());
        assertEquals("App 0123456789abcdef-key", request.header("Authorization"));
        JsonNode message = request.json().get("messages").get(0);
        assertEquals("4915123456789", message.get("destinations").get(0).get("to").asText());
        assertEquals("ACME", message.get("from").asText());
        assertEquals(MESSAGE.text(), message.get("text").asText());

        SmsSendException rejected = failure("infobip", credentials, 200, "{\"bulkId\": \"b-2\", \"messages\": [{\"to\": \"4915123456789\","
                + " \"status\": {\"groupId\": 5, \"groupName\": \"REJECTED\", \"id\": 51, \"name\": \"REJECTED_DESTINATION\","
                + " \"description\": \"Destination address is not valid\"}, \"messageId\": \"m-2\"}]}");
        assertEquals(SmsSendException.Kind.REJECTED, rejected.kind());
        assertEquals("smsNumberCannotReceive", rejected.userMessageKey());
        SmsSendException unauthorized = failure("infobip", Map.of("webhookHeaderValue", "App wrong"), 401,
                "{\"requestError\": {\"serviceException\": {\"messageId\": \"UNAUTHORIZED\", \"text\": \"Invalid login details\"}}}");
        assertEquals(SmsSendException.Kind.CONFIGURATION, unauthorized.kind());
        assertEquals("App wrong", provider.received().get(provider.received().size() - 1).header("Authorization"),
                "a value typed with its scheme is sent as typed");
        assertEquals(SmsSendException.Kind.TRANSIENT, failure("infobip", credentials, 500,
                "{\"requestError\": {\"serviceException\": {\"messageId\": \"GENERAL_ERROR\", \"text\": \"Something went wrong\"}}}").kind());
    }

    @Test
    void plivo() throws Exception {
        Map<String, String> credentials = Map.of("webhookUsername", "MAXXXXXXXXXXXXXXXXXX", "webhookPassword", "plivo-token");
        provider.answer(202, "{\"api_id\": \"a-1\", \"message\": \"message(s) queued\", \"message_uuid\": [\"u-1\"]}");
        send("plivo", credentials);
        LocalHttpServer.Request request = provider.only();
        assertEquals("/v1/Account/MAXXXXXXXXXXXXXXXXXX/Message/", request.path());
        assertEquals(basic("MAXXXXXXXXXXXXXXXXXX", "plivo-token"), request.header("Authorization"));
        JsonNode body = request.json();
        assertEquals("ACME", body.get("src").asText());
        assertEquals("4915123456789", body.get("dst").asText());
        assertEquals(MESSAGE.text(), body.get("text").asText());

        SmsSendException invalid = failure("plivo", credentials, 400, "{\"api_id\": \"a-2\", \"error\": \"invalid dst parameter\"}");
        assertEquals("smsNumberCannotReceive", invalid.userMessageKey());
        assertEquals(SmsSendException.Kind.CONFIGURATION,
                failure("plivo", credentials, 401, "{\"api_id\": \"a-3\", \"error\": \"authentication failed\"}").kind());
    }

    @Test
    void sinch() throws Exception {
        Map<String, String> credentials = Map.of("webhookUsername", "plan-123", "webhookToken", "sinch-token");
        provider.answer(201, "{\"id\": \"01FC66621XXXXX119Z8PMV1QPQ\", \"to\": [\"+4915123456789\"], \"from\": \"ACME\","
                + " \"canceled\": false, \"body\": \"x\", \"type\": \"mt_text\"}");
        send("sinch", credentials);
        LocalHttpServer.Request request = provider.only();
        assertEquals("/xms/v1/plan-123/batches", request.path());
        assertEquals("Bearer sinch-token", request.header("Authorization"));
        JsonNode body = request.json();
        assertEquals("ACME", body.get("from").asText());
        assertEquals("+4915123456789", body.get("to").get(0).asText());
        assertEquals(MESSAGE.text(), body.get("body").asText());

        SmsSendException invalid = failure("sinch", credentials, 400,
                "{\"code\": \"syntax_invalid_parameter_format\", \"text\": \"Invalid recipient format\"}");
        assertEquals("smsNumberCannotReceive", invalid.userMessageKey());
        assertEquals(SmsSendException.Kind.CONFIGURATION,
                failure("sinch", credentials, 403, "{\"code\": \"forbidden\", \"text\": \"Forbidden\"}").kind());
    }

    @Test
    void messagebird() throws Exception {
        Map<String, String> credentials = Map.of("webhookHeaderValue", "live_abcdef");
        provider.answer(201, "{\"id\": \"e8077d803532c0b5937c639b60216938\", \"recipients\": {\"totalCount\": 1, \"totalSentCount\": 1}}");
        send("messagebird", credentials);
        LocalHttpServer.Request request = provider.only();
        assertEquals("/messages", request.path());
        assertEquals("AccessKey live_abcdef", request.header("Authorization"));
        JsonNode body = request.json();
        assertEquals("ACME", body.get("originator").asText());
        assertEquals("4915123456789", body.get("recipients").get(0).asText());
        assertEquals(MESSAGE.text(), body.get("body").asText());

        SmsSendException invalid = failure("messagebird", credentials, 422,
                "{\"errors\": [{\"code\": 9, \"description\": \"no (correct) recipients found\", \"parameter\": \"recipients\"}]}");
        assertEquals("smsNumberCannotReceive", invalid.userMessageKey());
        assertEquals(SmsSendException.Kind.CONFIGURATION, failure("messagebird", credentials, 401,
                "{\"errors\": [{\"code\": 2, \"description\": \"Request not allowed (incorrect access_key)\", \"parameter\": \"access_key\"}]}").kind());
    }

    @Test
    void aHeaderOfTheAdminsChoiceAndAFormBody() throws Exception {
        provider.answer(200, "ok");
        gateway.send(MESSAGE, TestGatewayConfig.of(Map.of("webhookUrl", provider.baseUrl() + "/send", "from", "+15550000000",
                "webhookAuthType", "header", "webhookHeaderName", "X-API-Key", "webhookHeaderValue", "k-1",
                "webhookContentType", "form", "webhookBodyTemplate", "to=${phone}&text=${message}&who=${user.lastName}"),
                Set.of("localhost"), http));
        LocalHttpServer.Request request = provider.only();
        assertEquals("k-1", request.header("X-API-Key"));
        assertTrue(request.header("Content-Type").startsWith("application/x-www-form-urlencoded"), request.header("Content-Type"));
        Map<String, String> form = new HashMap<>();
        for (String pair : request.body().split("&")) {
            String[] kv = pair.split("=", 2);
            form.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        assertEquals(Map.of("to", "+4915123456789", "text", MESSAGE.text(), "who", "Doe"), form);
    }

    @Test
    void theDefaultFormBodyCarriesAuthentiksFields() throws Exception {
        provider.answer(204, "");
        gateway.send(MESSAGE, TestGatewayConfig.of(Map.of("webhookUrl", provider.baseUrl() + "/send", "from", "ACME",
                "webhookContentType", "form"), Set.of("localhost"), http));
        String body = provider.only().body();
        assertTrue(body.startsWith("From=ACME&To=%2B4915123456789&Body=123456&Message="), body);
    }

    @Test
    void badSettingsNameTheirKey() {
        Map<String, Map<String, String>> bad = Map.of(
                "webhookPreset", Map.of("webhookPreset", "twilio"),
                "webhookHeaderName", Map.of("webhookUrl", "https://sms.example.org/", "webhookAuthType", "header",
                        "webhookHeaderName", "Content-Length", "webhookHeaderValue", "1"),
                "webhookHeaderValue", Map.of("webhookUrl", "https://sms.example.org/", "webhookAuthType", "header",
                        "webhookHeaderName", "X-Key", "webhookHeaderValue", "a\r\nX-Other: b"),
                "webhookContentType", Map.of("webhookUrl", "https://sms.example.org/", "webhookContentType", "xml"),
                "webhookUsername", Map.of("webhookPreset", "plivo", "webhookUsername", "../../Account/x", "webhookPassword", "p"),
                "webhookUrl", Map.of("webhookPreset", "infobip", "webhookHeaderValue", "k", "webhookUrl", "https://x.api.infobip.com/sms/2/text/advanced"));
        bad.forEach((key, values) -> assertEquals(key,
                assertThrows(WebhookSettings.Invalid.class, () -> WebhookSettings.of(TestGatewayConfig.of(values, Set.of(), null))).key,
                values.toString()));
    }

    @Test
    void aFormTemplateThatDoesNotRenderAFormIsRefused() {
        assertThrows(WebhookBody.InvalidTemplateException.class, () -> WebhookBody.check("{\"to\": \"${phone}\"}", WebhookBody.Format.FORM));
        assertFalse(assertThrows(WebhookBody.InvalidTemplateException.class,
                () -> WebhookBody.check("to=${phone}&${code}", WebhookBody.Format.FORM)).getMessage().contains("123456"));
    }
}
