package io.github.keycloaksms.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.keycloak.provider.ProviderConfigProperty;

class SmsSettingsPropertiesTest {

    @Test
    void theGatewayFieldsOfferTheIdsAndSayWhatEachNames() {
        Map<String, String> gateways = new LinkedHashMap<>();
        gateways.put("log", "Server log (development only)");
        gateways.put("twilio", "Twilio");
        List<ProviderConfigProperty> properties = SmsSettingsProperties.all(gateways, List.of());

        ProviderConfigProperty gateway = field(properties, SmsSettings.GATEWAY.key());
        assertEquals(List.of("log", "twilio"), gateway.getOptions());
        assertTrue(gateway.getHelpText().endsWith("Choices: log = Server log (development only); twilio = Twilio."), gateway.getHelpText());

        ProviderConfigProperty fallback = field(properties, SmsSettings.FALLBACK_GATEWAY.key());
        assertEquals(List.of(SmsSettings.NO_FALLBACK, "log", "twilio"), fallback.getOptions());
        assertTrue(fallback.getHelpText().endsWith("Choices: none = no fallback; log = Server log (development only); twilio = Twilio."),
                fallback.getHelpText());
    }

    private static ProviderConfigProperty field(List<ProviderConfigProperty> properties, String key) {
        return properties.stream().filter(p -> p.getName().equals(key)).findFirst().orElseThrow();
    }
}
