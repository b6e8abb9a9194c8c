package io.github.keycloaksms.gateway.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.keycloaksms.gateway.GatewayConfig;
import io.github.keycloaksms.gateway.InvalidSettingsException;
import io.github.keycloaksms.gateway.SmsMessage;
import io.github.keycloaksms.gateway.SmsSendException;
import io.github.keycloaksms.gateway.TestGatewayConfig;
import io.github.keycloaksms.gateway.http.SmsHttpClient;
import io.github.keycloaksms.phone.PhoneNumber;

/** The twilio-verify gateway against a local server speaking Twilio Verify's wire format. */
class TwilioVerifyGatewayTest {

    private static final String SID = "AC00000000000000000000000000000000";
    private static final PhoneNumber TO = PhoneNumber.ofStoredE164("+4915123456789");
    private static final SmsMessage MESSAGE = SmsMessage.to(TO).text("654321 is your code.").code("654321")
            .ttl(Duration.ofMinutes(5)).locale(Locale.GERMAN).realm("acme").build();

    private FakeTwilioVerify verify;
    private SmsHttpClient http;
    private TwilioVerifyGateway gateway;

    @BeforeEach
    void start() throws Exception {
        verify = new FakeTwilioVerify();
        http = new SmsHttpClient(SSLContext.getDefault());
        gateway = new TwilioVerifyGateway();
    }

    @AfterEach
    void stop() throws IOException {
        http.close();
        verify.close();
    }

    private GatewayConfig settings() {
        return TestGatewayConfig.of(Map.of("twilioVerifyAccountSid", SID, "twilioVerifyAuthToken", "token-1",
                "twilioVerifyServiceSid", FakeTwilioVerify.SERVICE, "twilioVerifyApiUrl", verify.url()), Set.of("localhost"), http);
    }

    @Test
    void aVerificationIsStartedWithOneAuthenticatedPostAndNoneOfOurCode() throws Exception {
        gateway.send(MESSAGE, settings());

        assertEquals(1, verify.received().size());
        FakeTwilioVerify.Received request = verify.received().get(0);
        assertEquals("/v2/Services/" + FakeTwilioVerify.SERVICE + "/Verifications", request.path());
        assertEquals("Basic " + Base64.getEncoder().encodeToString((SID + ":token-1").getBytes(StandardCharsets.UTF_8)),
                request.authorization());
        assertEquals(Map.of("To", "+4915123456789", "Channel", "sms", "Locale", "de"), request.form());
    }

    @Test
    void callsAndWhatsAppAreVerifyChannels() throws Exception {
        gateway.call(MESSAGE, settings());
        gateway.send(MESSAGE.but().channel("whatsapp").build(), settings());
        assertEquals("call", verify.received().get(0).form().get("Channel"));
        assertEquals("whatsapp", verify.received().get(1).form().get("Channel"));
    }

    @Test
    void onlyTheCodeTwilioSentIsApproved() throws Exception {
        gateway.send(MESSAGE, settings());
        String sent = verify.codeFor(TO.e164());

        assertFalse(gateway.approves(TO, MESSAGE.code(), settings()), "our own code never went out");
        assertTrue(gateway.approves(TO, sent, settings()));
        FakeTwilioVerify.Received check = verify.received().get(2);
        assertEquals("/v2/Services/" + FakeTwilioVerify.SERVICE + "/VerificationCheck", check.path());
        assertEquals(Map.of("To", "+4915123456789", "Code", sent), check.form());
        assertFalse(gateway.approves(TO, sent, settings()), "an approved verification is gone: 404");
    }

    @Test
    void aNumberWithoutAPendingVerificationIsNotApproved() throws Exception {
        assertFalse(gateway.approves(TO, "123456", settings()));
        assertEquals(1, verify.received().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pending", "canceled", "expired", "max_attempts_reached", "deleted", "failed", "Approved", "approved ",
            "OTP not verified. Invalid/Wrong OTP passed.", "not approved"})
    void anyStatusButApprovedIsNotApproved(String status) throws Exception {
        gateway.send(MESSAGE, settings());
        verify.checkStatus(status);
        assertFalse(gateway.approves(TO, verify.codeFor(TO.e164()), settings()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"sid\": \"VE1\", \"valid\": true}", "{\"status\": null, \"valid\": true}", "{}", "approved",
            "<html>approved</html>", "{\"code\": 60202, \"message\": \"Max check attempts reached\", \"status\": 429}"})
    void anAnswerWithoutTheStatusApprovedIsNotApproved(String body) throws Exception {
        verify.answer(200, "application/json", body);
        assertFalse(gateway.approves(TO, "123456", settings()));
    }

    @ParameterizedTest
    @CsvSource({"400, 60200", "429, 60202", "404, 20404"})
    void twilioRefusingTheEntryIsNotApproved(int status, int code) throws Exception {
        verify.fail(status, code, "refused");
        assertFalse(gateway.approves(TO, "123456", settings()));
    }

    @ParameterizedTest
    @CsvSource({"500, 20500, TRANSIENT", "503, 20503, TRANSIENT", "401, 20003, CONFIGURATION"})
    void aCheckThatCouldNotBeAskedFails(int status, int code, SmsSendException.Kind kind) {
        verify.fail(status, code, "down");
        SmsSendException e = assertThrows(SmsSendException.class, () -> gateway.approves(TO, "123456", settings()));
        assertEquals(kind, e.kind());
        assertFalse(e.getMessage().contains("123456") || e.getMessage().contains("4915123456789"), e.getMessage());
    }

    @Test
    void aStalledCheckFailsWithinTheDeadline() {
        verify.delay(Duration.ofSeconds(15));
        SmsSendException e = assertThrows(SmsSendException.class, () -> gateway.approves(TO, "123456", settings()));
        assertEquals(SmsSendException.Kind.TRANSIENT, e.kind());
    }

    @ParameterizedTest
    @CsvSource({
            "403, 60410, REJECTED, smsDeliveryBlocked, fraud_guard",
            "403, 60605, REJECTED, smsRegionBlocked, geo_permission",
            "400, 60200, REJECTED, smsNumberCannotReceive, rejected",
            "429, 60203, REJECTED, smsRateLimited, rejected",
            "429, 20429, TRANSIENT, smsRateLimited, transient",
            "401, 20003, CONFIGURATION, smsSendFailed, configuration",
            "404, 20404, CONFIGURATION, smsSendFailed, configuration",
            "500, 20500, TRANSIENT, smsSendFailed, transient"})
    void verifyRefusalsBecomeTheirOwnMessagesAndReasons(int status, int code, SmsSendException.Kind kind, String userMessage,
                                                         String reason) {
        verify.fail(status, code, "refused");
        SmsSendException e = assertThrows(SmsSendException.class, () -> gateway.send(MESSAGE, settings()));
        assertEquals(kind, e.kind());
        assertEquals(userMessage, e.userMessageKey());
        assertEquals(reason, e.reason());
        assertTrue(e.getMessage().contains(String.valueOf(code)), e.getMessage());
        assertFalse(e.getMessage().contains("654321") || e.getMessage().contains("4915123456789"), e.getMessage());
        assertEquals(1, verify.received().size(), "one request, never retried");
    }

    @Test
    void aVerificationAnswerWithoutASidMayHaveSentACode() {
        verify.answer(201, "application/json", "{\"status\": \"pending\"}");
        SmsSendException e = assertThrows(SmsSendException.class, () -> gateway.send(MESSAGE, settings()));
        assertEquals(SmsSendException.Kind.FAILED, e.kind());
    }

    @ParameterizedTest
    @CsvSource({"de, de", "pt-BR, pt-BR", "pt-PT, pt", "en-GB, en-GB", "en-US, en", "ja, ja", "xx, ''"})
    void theUsersLanguageIsVerifysLocaleWhereVerifyHasIt(String tag, String expected) {
        assertEquals(expected.isEmpty() ? Optional.empty() : Optional.of(expected), TwilioVerifyGateway.locale(Locale.forLanguageTag(tag)));
    }

    @Test
    void theServiceAndCredentialsAreRequiredAndTheServiceSidChecked() {
        TwilioVerifyGatewayFactory factory = new TwilioVerifyGatewayFactory();
        InvalidSettingsException missing = assertThrows(InvalidSettingsException.class,
                () -> factory.validate(TestGatewayConfig.of(Map.of(), Set.of(), http)));
        assertEquals(Set.of("twilioVerifyAccountSid", "twilioVerifyAuthToken", "twilioVerifyServiceSid"),
                Set.copyOf(missing.problems().stream().map(InvalidSettingsException.Problem::key).toList()));

        Map<String, String> values = new HashMap<>(Map.of("twilioVerifyServiceSid", "MG0123456789abcdef0123456789abcdef"));
        InvalidSettingsException wrong = assertThrows(InvalidSettingsException.class,
                () -> factory.validate(TestGatewayConfig.of(values, Set.of(), http).unselected()));
        assertEquals("twilioVerifyServiceSid", wrong.problems().get(0).key());
        assertEquals(Optional.empty(), factory.cannotCarry("whatsapp", TestGatewayConfig.of(values, Set.of(), http)));
        assertTrue(factory.cannotCarry("telegram", TestGatewayConfig.of(values, Set.of(), http)).isPresent());
    }
}
