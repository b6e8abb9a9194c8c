package io.github.keycloaksms.config;

import java.util.HashMap;
import java.util.Map;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionConfigModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.utils.RequiredActionHelper;
import org.keycloak.vault.VaultStringSecret;

import io.github.keycloaksms.gateway.InvalidSettingsException;
import io.github.keycloaksms.credential.SmsProviderIds;

/**
 * Reads the realm's SMS settings: the configuration of the {@code sms-register} required action,
 * with {@code ${vault.NAME}} values resolved through Keycloak's vault.
 */
public final class RealmSmsSettings {

    private RealmSmsSettings() {
    }

    public static SmsSettings load(KeycloakSession session, RealmModel realm) throws InvalidSettingsException {
        return SmsSettings.parse(resolveVault(session, storedConfig(realm)));
    }

    private static Map<String, String> storedConfig(RealmModel realm) {
        RequiredActionProviderModel action =
                RequiredActionHelper.getRequiredActionByProviderId(realm, SmsProviderIds.REQUIRED_ACTION);
        if (action == null) {
            return Map.of();
        }
        RequiredActionConfigModel config = realm.getRequiredActionConfigByAlias(action.getAlias());
        return config == null || config.getConfig() == null ? Map.of() : config.getConfig();
    }

    private static Map<String, String> resolveVault(KeycloakSession session, Map<String, String> config) {
        Map<String, String> resolved = new HashMap<>();
        config.forEach((key, value) -> {
            if (value != null) {
                try (VaultStringSecret secret = session.vault().getStringSecret(value)) {
                    resolved.put(key, secret.get().orElse(value));
                }
            }
        });
        return resolved;
    }
}
