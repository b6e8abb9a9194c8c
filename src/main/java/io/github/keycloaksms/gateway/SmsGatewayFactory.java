package io.github.keycloaksms.gateway;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ConfiguredProvider;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderFactory;

import io.github.keycloaksms.config.InvalidSettingsException;
import io.github.keycloaksms.config.SmsSettings;

/**
 * A gateway's factory. Its {@link #getConfigProperties()} appear in the realm's SMS settings
 * (Authentication &gt; Required actions &gt; Enroll SMS number); prefix their names with the
 * gateway id so they do not clash with other gateways' keys.
 */
public interface SmsGatewayFactory extends ProviderFactory<SmsGateway>, ConfiguredProvider {

    /**
     * Checks this gateway's own keys when an admin saves the settings with this gateway selected
     * (as gateway or fallback): what it needs must be there and right.
     */
    default void validate(SmsSettings settings) throws InvalidSettingsException {
        validateValues(settings);
    }

    /**
     * Checks the values of this gateway's keys that are set, when another gateway is selected: a
     * wrong value is refused now, not when someone selects this gateway later.
     */
    default void validateValues(SmsSettings settings) throws InvalidSettingsException {
    }

    @Override
    default List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    @Override
    default void init(Config.Scope config) {
    }

    @Override
    default void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    default void close() {
    }
}
