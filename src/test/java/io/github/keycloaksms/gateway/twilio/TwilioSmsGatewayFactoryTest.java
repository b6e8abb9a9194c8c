package io.github.keycloaksms.gateway.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.keycloaksms.config.InvalidSettingsException;
import io.github.keycloaksms.config.SmsSettings;

/** Without an operator's list, the Twilio gateway's token goes to Twilio and nowhere else. */
class TwilioSmsGatewayFactoryTest {

    private final TwilioSmsGatewayFactory factory = new TwilioSmsGatewayFactory();

    private static SmsSettings settings(String apiUrl) throws InvalidSettingsException {
        return SmsSettings.parse(Map.of("gateway", "twilio", "twilioAccountSid", "AC00000000000000000000000000000000",
                "twilioAuthToken", "${vault.twilio-token}", "from", "+15005550006", "twilioApiUrl", apiUrl));
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
        TwilioSmsGatewayFactory listingAProxy = new TwilioSmsGatewayFactory();
        listingAProxy.init(new org.keycloak.Config.SystemPropertiesScope("sms-gateway.twilio.") {
            @Override
            public String[] getArray(String key) {
                return "allowed-hosts".equals(key) ? new String[] {"twilio-proxy.internal.example"} : null;
            }
        });
        listingAProxy.validateValues(settings("https://api.twilio.com"));
        assertThrows(InvalidSettingsException.class, () -> listingAProxy.validate(settings("https://api.twilio.com")),
                "selected, Twilio's own host must be one the operator allows");
        assertThrows(InvalidSettingsException.class, () -> listingAProxy.validateValues(settings("https://collector.example.net")));
    }
}
