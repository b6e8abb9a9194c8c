package io.github.keycloaksms.delivery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.keycloak.Config;
import org.keycloak.component.ComponentFactory;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;

import io.github.keycloaksms.config.SmsSettings;
import io.github.keycloaksms.config.SmsSettingsProperties;
import io.github.keycloaksms.gateway.InvalidSettingsException;
import io.github.keycloaksms.gateway.SmsGatewayFactory;

/**
 * The component factory of the realm's named gateways: their fields (kind, sender, then every
 * installed kind's own, of which a gateway uses its kind's) and the check when an admin saves one.
 */
public class GatewayInstanceFactory implements ComponentFactory<GatewayInstance, GatewayInstance> {

    public static final String ID = "sms-gateway";

    private static final GatewayInstance INSTANCE = new GatewayInstance() { };

    private KeycloakSessionFactory sessionFactory;

    @Override
    public GatewayInstance create(KeycloakSession session, ComponentModel model) {
        return INSTANCE;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getHelpText() {
        return "One of the realm's SMS gateways: an account at a provider, named so that the realm's SMS settings can send "
                + "through it (gateway, fallback gateway).";
    }

    /** Refuses every bad field at once, naming each by its label. */
    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model)
            throws ComponentValidationException {
        List<InvalidSettingsException.Problem> problems = GatewayInstances.problems(session, realm, model);
        if (!problems.isEmpty()) {
            List<ProviderConfigProperty> fields = new ArrayList<>(getConfigProperties());
            fields.add(new ProviderConfigProperty("name", "Name", null, ProviderConfigProperty.STRING_TYPE, null));
            // the admin API formats the message as a pattern, the command line (kc.sh import) shows it as it is
            throw new ComponentValidationException(SmsSettingsProperties.describe(problems, fields)
                    .replace('\'', '\u2019').replace('{', '(').replace('}', ')'));
        }
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        List<SmsGatewayFactory> gateways = sessionFactory == null ? List.of() : GatewaySettingsCheck.factories(sessionFactory);
        Map<String, ProviderConfigProperty> kindsOwn = new LinkedHashMap<>();
        gateways.forEach(gateway -> gateway.getConfigProperties().forEach(property -> kindsOwn.putIfAbsent(property.getName(), property)));
        List<ProviderConfigProperty> properties = new ArrayList<>();
        properties.add(SmsSettings.GATEWAY_KIND.property(GatewaySettingsCheck.kinds(gateways)));
        properties.add(SmsSettings.GATEWAY_FROM.property(Map.of()));
        properties.addAll(kindsOwn.values());
        return properties;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        this.sessionFactory = factory;
    }

    @Override
    public void close() {
    }
}
