package io.github.keycloaksms.config;

import java.util.ArrayList;
import java.util.List;

import org.keycloak.provider.ProviderConfigProperty;

/** How the realm's SMS settings appear in the admin console: the fields of {@link SmsSettings#ALL}, then the gateways' own. */
public final class SmsSettingsProperties {

    private SmsSettingsProperties() {
    }

    /**
     * @param gatewayIds the installed gateways, offered as choices
     * @param gatewayProperties the installed gateways' own properties
     */
    public static List<ProviderConfigProperty> all(List<String> gatewayIds, List<ProviderConfigProperty> gatewayProperties) {
        List<String> fallbackChoices = new ArrayList<>();
        fallbackChoices.add(SmsSettings.NO_FALLBACK);
        fallbackChoices.addAll(gatewayIds);
        List<ProviderConfigProperty> properties = new ArrayList<>();
        for (Setting setting : SmsSettings.ALL) {
            properties.add(setting.property(setting == SmsSettings.FALLBACK_GATEWAY ? fallbackChoices : gatewayIds));
        }
        properties.addAll(gatewayProperties);
        return properties;
    }
}
