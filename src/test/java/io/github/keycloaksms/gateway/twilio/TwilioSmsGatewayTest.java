package io.github.keycloaksms.gateway.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.keycloaksms.config.SmsSettings;
import io.github.keycloaksms.gateway.GatewayConfig;
import io.github.keycloaksms.gateway.SmsMessage;
import io.github.keycloaksms.gateway.SmsSendException;
import io.github.keycloaksms.gateway.TestGatewayConfig;
import io.github.keycloaksms.gateway.http.SmsHttpClient;
import io.github.keycloaksms.phone.PhoneNumber;

/** The twilio gateway against a local server speaking Twilio's wire format. */
class TwilioSmsGatewayTest {

    private static final String SID = "AC00000000000000000000000000000000";
    private static final SmsMessage MESSAGE = SmsMessage.to(PhoneNumber.ofStoredE164("+4915123456789")).text("123456 is your code.\n\n@id.example.org #123456").code("123456")
            .ttl(Duration.ofMinutes(5)).locale(Locale.ENGLISH).realm("acme")
            .user(SmsMessage.Recipient.of("u-1", "jo", "jo@example.org", "Jo", "Doe")).build();

    private FakeTwilio twilio;
    private SmsHttpClient http;
    private TwilioSmsGateway gateway;

    @BeforeEach
    void start() throws Exception {
        twilio = new FakeTwilio();
        http = new SmsHttpClient(SSLContext.getDefault());
        gateway = new TwilioSmsGateway();
    }

    @AfterEach
    void stop() throws IOException {
        http.close();
        twilio.close();
    }

    private GatewayConfig settings(String from, String apiUrl) {
        return TestGatewayConfig.of(Map.of("twilioAccountSid", SID, "twilioAuthToken", "token-1", "from", from,
                "twilioApiUrl", apiUrl), Set.of("localhost"), http);
    }

    private SmsSendException failure() {
        return assertThrows(SmsSendException.class, () -> gateway.send(MESSAGE, settings("+15005550006", twilio.url())));
    }

    @Test
    void asTheWhatsAppChannelTheCodeGoesAsTheContentTemplatesVariable() throws Exception {
        Map<String, String> values = new HashMap<>(Map.of("twilioAccountSid", SID, "twilioAuthToken", "token-1", "from", "+15005550006",
                "twilioApiUrl", twilio.url(), "twilioWhatsAppContentSid", "HX0123456789abcdef0123456789abcdef"));
        gateway.send(MESSAGE.but().channel("whatsapp").build(), TestGatewayConfig.of(values, Set.of("localhost"), http));

        Map<String, String> form = twilio.received().get(0).form();
        assertEquals("whatsapp:+4915123456789", form.get("To"));
        assertEquals("whatsapp:+15005550006", form.get("From"));
        assertEquals("HX0123456789abcdef0123456789abcdef", form.get("ContentSid"));
        assertEquals("{\"1\": \"123456\"}", form.get("ContentVariables"));
        assertFalse(form.containsKey("Body"), "the template is the message: " + form);

        values.remove("twilioWhatsAppContentSid");
        SmsSendException e = assertThrows(SmsSendException.class,
                () -> gateway.send(MESSAGE.but().channel("whatsapp").build(), TestGatewayConfig.of(values, Set.of("localhost"), http)));
        assertEquals(SmsSendException.Kind.CONFIGURATION, e.kind());
    }

    @Test
    void aMessageIsCreatedWithOneAuthenticatedFormPost() throws Exception {
        gateway.send(MESSAGE, settings("+15005550006", twilio.url()));
        assertEquals(1, twilio.received().size());
        FakeTwilio.Received request = twilio.received().get(0);
        assertEquals("/2010-04-01/Accounts/" + SID + "/Messages.json", request.path());
        assertEquals("Basic " + Base64.getEncoder().encodeToString((SID + ":token-1").getBytes(StandardCharsets.UTF_8)),
                request.authorization());
        assertEquals("+4915123456789", request.form().get("To"));
        assertEquals("+15005550006", request.form().get("From"));
        assertEquals(MESSAGE.text(), request.form().get("Body"));
    }

    @Test
    void aMessagingServiceSidIsSentAsSuch() throws Exception {
        gateway.send(MESSAGE, settings("MG00000000000000000000000000000000", twilio.url()));
        FakeTwilio.Received request = twilio.received().get(0);
        assertEquals("MG00000000000000000000000000000000", request.form().get("MessagingServiceSid"));
        assertFalse(request.form().containsKey("From"));
    }

    @Test
    void anAlphanumericSenderIsSentAsFrom() throws Exception {
        gateway.send(MESSAGE, settings("ACME", twilio.url()));
        assertEquals("ACME", twilio.received().get(0).form().get("From"));
    }

    @ParameterizedTest
    @CsvSource({
            "400, 21211, REJECTED, smsNumberCannotReceive",
            "400, 21614, REJECTED, smsNumberCannotReceive",
            "400, 21612, REJECTED, smsNumberCannotReceive",
            "400, 21408, REJECTED, smsRegionBlocked",
            "400, 21610, REJECTED, smsOptedOut",
            "401, 20003, CONFIGURATION, smsSendFailed",
            "400, 21606, CONFIGURATION, smsSendFailed",
            "429, 20429, TRANSIENT, smsRateLimited",
            "500, 20500, TRANSIENT, smsSendFailed"})
    void twilioErrorsBecomeMessagesUsersUnderstand(int status, int code, SmsSendException.Kind kind, String userMessage) {
        twilio.fail(status, code, "refused");
        SmsSendException e = failure();
        assertEquals(kind, e.kind());
        assertEquals(userMessage, e.userMessageKey());
        assertTrue(e.getMessage().contains(String.valueOf(code)), e.getMessage());
        assertFalse(e.getMessage().contains("123456") || e.getMessage().contains("4915123456789"), e.getMessage());
        assertEquals(1, twilio.received().size(), "twilio-java's own client would have retried");
    }

    @Test
    void aBadGatewayPageIsTransientAndNotRetried() {
        twilio.answer(502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>", Map.of());
        SmsSendException e = failure();
        assertEquals(SmsSendException.Kind.TRANSIENT, e.kind());
        assertTrue(e.getMessage().contains("502"), e.getMessage());
        assertEquals(1, twilio.received().size());
    }

    @Test
    void unavailableWithRetryAfterIsNotRetried() {
        twilio.answer(503, "application/json", "{\"code\": 20503, \"message\": \"Service unavailable\", \"status\": 503}",
                Map.of("Retry-After", "1"));
        assertEquals(SmsSendException.Kind.TRANSIENT, failure().kind());
        assertEquals(1, twilio.received().size());
    }

    @Test
    void aStalledApiIsGivenUpWithinTheDeadline() {
        twilio.stall(Duration.ofSeconds(15));
        Instant start = Instant.now();
        assertEquals(SmsSendException.Kind.TRANSIENT, failure().kind());
        assertTrue(Duration.between(start, Instant.now()).compareTo(SmsHttpClient.DEADLINE.plusSeconds(1)) < 0);
        assertEquals(1, twilio.received().size());
    }

    @Test
    void aRefusedConnectionIsTransient() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SmsSendException e = assertThrows(SmsSendException.class,
                () -> gateway.send(MESSAGE, settings("+15005550006", "http://localhost:" + closedPort)));
        assertEquals(SmsSendException.Kind.TRANSIENT, e.kind());
    }

    @Test
    void missingCredentialsAreAConfigurationError() throws Exception {
        SmsSendException e = assertThrows(SmsSendException.class,
                () -> gateway.send(MESSAGE, TestGatewayConfig.of(Map.of("from", "ACME"), Set.of("localhost"), http)));
        assertEquals(SmsSendException.Kind.CONFIGURATION, e.kind());
    }

    @Test
    void aCallSaysTheTextInTheUsersLanguageThroughTheCallsApi() throws Exception {
        SmsMessage spoken = SmsMessage.to(MESSAGE.to()).text("Ihr ACME Code lautet: 1, 2, 3, 4, 5, 6. Noch einmal: 1, 2, 3, 4, 5, 6.").code("123456")
                .ttl(Duration.ofMinutes(5)).locale(Locale.GERMAN).realm("acme")
                .user(MESSAGE.user()).build();
        gateway.call(spoken, settings("+15005550006", twilio.url()));
        assertEquals(1, twilio.received().size());
        FakeTwilio.Received request = twilio.received().get(0);
        assertEquals("/2010-04-01/Accounts/" + SID + "/Calls.json", request.path());
        assertEquals("+4915123456789", request.form().get("To"));
        assertEquals("+15005550006", request.form().get("From"));
        assertEquals("<Response><Say language=\"de-DE\">Ihr ACME Code lautet: 1, 2, 3, 4, 5, 6. Noch einmal: 1, 2, 3, 4, 5, 6.</Say></Response>",
                request.form().get("Twiml"));
    }

    @Test
    void aCallNeedsANumberAsSender() {
        SmsSendException e = assertThrows(SmsSendException.class, () -> gateway.call(MESSAGE, settings("ACME", twilio.url())));
        assertEquals(SmsSendException.Kind.CONFIGURATION, e.kind());
        assertTrue(twilio.received().isEmpty());
    }

    @Test
    void theTwimlIsEscaped() {
        assertEquals("<Response><Say language=\"en-US\">a &lt;Play&gt;x&lt;/Play&gt; &amp; &quot;b&quot;</Say></Response>",
                VoiceTwiml.say("a <Play>x</Play> & \"b\"", Locale.ENGLISH));
        assertEquals("pt-BR", VoiceTwiml.language(Locale.forLanguageTag("pt-BR")));
        assertEquals("fr-CA", VoiceTwiml.language(Locale.forLanguageTag("fr-CA")));
    }
}
