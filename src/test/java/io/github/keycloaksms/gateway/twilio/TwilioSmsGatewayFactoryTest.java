package io.github.keycloaksms.gateway.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.github.keycloaksms.gateway.InvalidSettingsException;
import io.github.keycloaksms.gateway.TestGatewayConfig;
import io.github.keycloaksms.gateway.http.OutboundPolicy;

/** Without an operator's list, the Twilio gateway's token goes to Twilio and nowhere else. */
class TwilioSmsGatewayFactoryTest {

    private final TwilioSmsGatewayFactory factory = new TwilioSmsGatewayFactory();

    private static TestGatewayConfig settings(String apiUrl, String... allowedHosts) {
        Set<String> serviceHosts = new TwilioSmsGatewayFactory().serviceHosts();
        return TestGatewayConfig.of(Map.of("gateway", "twilio", "twilioAccountSid", "AC00000000000000000000000000000000",
                "twilioAuthToken", "${vault.twilio-token}", "from", "+15005550006", "twilioApiUrl", apiUrl),
                new OutboundPolicy(Set.of(allowedHosts), serviceHosts), null);
    }

    @Test
    void anApiUrlOtherThanTwiliosIsRefused() {
        for (String url : new String[] {"https://collector.example.net", "https://api.twilio.com.example.net", "http://api.twilio.com"}) {
            InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> factory.validate(settings(url)), url);
            assertEquals("twilioApiUrl", e.problems().get(0).key());
            assertTrue(e.problems().get(0).message().contains("api.twilio.com") || e.problems().get(0).message().contains("https"),
                    e.getMessage());
        }
    }

    @Test
    void twiliosOwnApiIsAllowed() throws Exception {
        factory.validate(settings("https://api.twilio.com"));
        factory.validate(settings("https://API.twilio.com/"));
    }

    @Test
    void theDefaultUrlTheAdminConsoleFillsInDoesNotBlockASaveWhileTwilioIsNotSelected() throws Exception {
        String proxy = "twilio-proxy.internal.example";
        factory.validate(settings("https://api.twilio.com", proxy).unselected());
        assertThrows(InvalidSettingsException.class, () -> factory.validate(settings("https://api.twilio.com", proxy)),
                "selected, Twilio's own host must be one the operator allows");
        assertThrows(InvalidSettingsException.class, () -> factory.validate(settings("https://collector.example.net", proxy).unselected()));
    }
}
