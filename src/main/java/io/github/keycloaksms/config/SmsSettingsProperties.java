package io.github.keycloaksms.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.keycloak.provider.ProviderConfigProperty;

import io.github.keycloaksms.gateway.InvalidSettingsException;

/** How the realm's SMS settings appear in the admin console: the fields of {@link SmsSettings#ALL}, then the gateways' own. */
public final class SmsSettingsProperties {

    private SmsSettingsProperties() {
    }

    /**
     * @param gateways the installed gateways, offered as choices: their ids (in the order given) and names
     * @param gatewayProperties the installed gateways' own properties
     */
    public static List<ProviderConfigProperty> all(Map<String, String> gateways, List<ProviderConfigProperty> gatewayProperties) {
        Map<String, String> fallbackChoices = new LinkedHashMap<>();
        fallbackChoices.put(SmsSettings.NO_FALLBACK, "no fallback");
        fallbackChoices.putAll(gateways);
        List<ProviderConfigProperty> properties = new ArrayList<>();
        for (Setting setting : SmsSettings.ALL) {
            properties.add(setting.property(setting == SmsSettings.FALLBACK_GATEWAY ? fallbackChoices : gateways));
        }
        properties.addAll(gatewayProperties);
        return properties;
    }

    /** "Label: what is wrong" for each problem, so the admin finds the field on the form ({@code properties}) that holds it. */
    public static String describe(List<InvalidSettingsException.Problem> problems, List<ProviderConfigProperty> properties) {
        Map<String, String> labels = new HashMap<>();
        properties.forEach(property -> labels.put(property.getName(), property.getLabel()));
        return problems.stream().map(problem -> labels.getOrDefault(problem.key(), problem.key()) + ": " + problem.message())
                .collect(Collectors.joining("; "));
    }
}
