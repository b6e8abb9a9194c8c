package io.github.keycloaksms.gateway.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
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

import io.github.keycloaksms.gateway.SmsMessage;
import io.github.keycloaksms.gateway.SmsSendException;
import io.github.keycloaksms.gateway.TestGatewayConfig;
import io.github.keycloaksms.gateway.http.OutboundPolicy;
import io.github.keycloaksms.gateway.http.SmsHttpClient;
import io.github.keycloaksms.phone.PhoneNumber;

/** The sns gateway against a local server speaking SNS's query protocol, with the real AWS SDK signing. */
class SnsSmsGatewayTest {

    private static final SmsMessage MESSAGE = SmsMessage.to(PhoneNumber.ofStoredE164("+4915123456789")).text("123456 is your code.\n\n@id.example.org #123456").code("123456")
            .ttl(Duration.ofMinutes(5)).locale(Locale.ENGLISH).realm("acme")
            .user(SmsMessage.Recipient.of("u-1", "jo", "jo@example.org", "Jo", "Doe")).build();

    private FakeSns sns;
    private SmsHttpClient http;
    private SnsClients clients;
    private SnsSmsGateway gateway;

    @BeforeEach
    void start() throws Exception {
        sns = new FakeSns();
        http = new SmsHttpClient(SSLContext.getDefault());
        clients = new SnsClients(URI.create(sns.url()), false);
        gateway = new SnsSmsGateway(clients);
    }

    @AfterEach
    void stop() throws Exception {
        clients.close();
        http.close();
        sns.close();
    }

    private TestGatewayConfig config(String from) {
        Map<String, String> values = new HashMap<>(Map.of("snsRegion", "eu-west-1", "snsAccessKeyId", "AKIAIOSFODNN7EXAMPLE",
                "snsSecretAccessKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
        if (from != null) {
            values.put("from", from);
        }
        return TestGatewayConfig.of(values, new OutboundPolicy(Set.of("localhost"), Set.of()), http);
    }

    @Test
    void oneSignedTransactionalPublishToTheNumber() throws Exception {
        gateway.send(MESSAGE, config("ACME"));
        assertEquals(1, sns.received().size());
        FakeSns.Publish publish = sns.received().get(0);
        assertEquals("AKIAIOSFODNN7EXAMPLE", publish.accessKeyId());
        assertEquals("eu-west-1", publish.region());
        assertEquals("+4915123456789", publish.form().get("PhoneNumber"));
        assertEquals(MESSAGE.text(), publish.form().get("Message"));
        assertEquals("Transactional", publish.attribute("AWS.SNS.SMS.SMSType"));
        assertEquals("ACME", publish.attribute("AWS.SNS.SMS.SenderID"));
        assertEquals(null, publish.attribute("AWS.MM.SMS.OriginationNumber"));
    }

    @Test
    void aNumberAsSenderIsTheOriginationNumber() throws Exception {
        gateway.send(MESSAGE, config("+15550000000"));
        assertEquals("+15550000000", sns.received().get(0).attribute("AWS.MM.SMS.OriginationNumber"));
        assertEquals(null, sns.received().get(0).attribute("AWS.SNS.SMS.SenderID"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "400 | InvalidParameter | Invalid parameter: PhoneNumber Reason: +4915123456789 is not valid to publish to | REJECTED | smsNumberCannotReceive",
            "403 | InvalidClientTokenId | The security token included in the request is invalid. | CONFIGURATION | smsSendFailed",
            "403 | AuthorizationError | User is not authorized to perform: SNS:Publish | CONFIGURATION | smsSendFailed",
            "400 | Throttling | Rate exceeded | TRANSIENT | smsRateLimited",
            "500 | InternalError | Internal failure | TRANSIENT | smsSendFailed",
            "400 | InvalidParameter | Invalid parameter: MessageAttributes | REJECTED | smsSendFailed"})
    void awsErrorsBecomeMessagesUsersUnderstand(int status, String code, String message, SmsSendException.Kind kind, String userMessage) {
        sns.fail(status, code, message);
        SmsSendException e = assertThrows(SmsSendException.class, () -> gateway.send(MESSAGE, config("ACME")));
        assertEquals(kind, e.kind(), e.getMessage());
        assertEquals(userMessage, e.userMessageKey());
        assertTrue(e.getMessage().contains(code), e.getMessage());
        assertFalse(e.getMessage().contains("123456") || e.getMessage().contains("4915123456789"), e.getMessage());
        assertEquals(1, sns.received().size(), "one request, no retry by the SDK");
    }

    @Test
    void anUnreachableEndpointIsTransientAndTriedOnce() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (SnsClients elsewhere = new SnsClients(URI.create("http://localhost:" + closedPort), false)) {
            SmsSendException e = assertThrows(SmsSendException.class, () -> new SnsSmsGateway(elsewhere).send(MESSAGE, config("ACME")));
            assertEquals(SmsSendException.Kind.TRANSIENT, e.kind());
        }
    }

    @Test
    void theOutboundPolicyHolds() {
        TestGatewayConfig publicOnly = TestGatewayConfig.of(Map.of("snsRegion", "eu-west-1", "snsAccessKeyId", "AKIAIOSFODNN7EXAMPLE",
                "snsSecretAccessKey", "secret"), new OutboundPolicy(Set.of(), Set.of()), http);
        SmsSendException e = assertThrows(SmsSendException.class, () -> gateway.send(MESSAGE, publicOnly));
        assertEquals(SmsSendException.Kind.CONFIGURATION, e.kind(), e.getMessage());
        assertTrue(sns.received().isEmpty());
    }

    @Test
    void badSettingsAreRefused() {
        for (Map<String, String> bad : new Map[] {Map.of(), Map.of("snsRegion", "Frankfurt"),
                Map.of("snsRegion", "eu-central-1", "snsAccessKeyId", "AKIAIOSFODNN7EXAMPLE"),
                Map.of("snsRegion", "eu-central-1", "snsAccessKeyId", "not a key", "snsSecretAccessKey", "s")}) {
            assertThrows(IllegalArgumentException.class, () -> SnsClients.Settings.of(TestGatewayConfig.of(bad, Set.of(), http), true),
                    bad.toString());
        }
    }

    @Test
    void withoutKeysOnlyWhereTheOperatorLendsTheServersIdentity() {
        TestGatewayConfig noKeys = TestGatewayConfig.of(Map.of("snsRegion", "eu-central-1"), Set.of(), http);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> SnsClients.Settings.of(noKeys, false));
        assertTrue(refused.getMessage().contains("--spi-sms-gateway--sns--allow-server-credentials=true"), refused.getMessage());
        assertEquals(null, SnsClients.Settings.of(noKeys, true).accessKeyId());
    }
}
