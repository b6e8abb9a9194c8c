package io.github.keycloaksms.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.keycloak.provider.ProviderConfigProperty;

/** How the realm's SMS settings appear in the admin console: the fields of {@link SmsSettings#ALL}, then the gateways' own. */
public final class SmsSettingsProperties {

    private SmsSettingsProperties() {
    }

    /**
     * @param gateways the installed gateways, offered as choices: their ids (in the order given) and names
     * @param gatewayProperties the installed gateways' own properties
     */
    public static List<ProviderConfigProperty> all(Map<String, String> gateways, List<ProviderConfigProperty> gatewayProperties) {
        List<String> gatewayIds = List.copyOf(gateways.keySet());
        List<String> fallbackChoices = new ArrayList<>();
        fallbackChoices.add(SmsSettings.NO_FALLBACK);
        fallbackChoices.addAll(gatewayIds);
        // the admin console shows a list's values as they are: the help says what each id names
        String names = gateways.entrySet().stream().map(g -> g.getKey() + " = " + g.getValue()).collect(Collectors.joining("; "));
        List<ProviderConfigProperty> properties = new ArrayList<>();
        for (Setting setting : SmsSettings.ALL) {
            boolean fallback = setting == SmsSettings.FALLBACK_GATEWAY;
            ProviderConfigProperty property = setting.property(fallback ? fallbackChoices : gatewayIds);
            if (setting == SmsSettings.GATEWAY || fallback) {
                property.setHelpText(property.getHelpText() + " Choices: " + (fallback ? SmsSettings.NO_FALLBACK + " = no fallback; " : "") + names + ".");
            }
            properties.add(property);
        }
        properties.addAll(gatewayProperties);
        return properties;
    }
}
