package io.github.keycloaksms.config;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
 * with {@code ${vault.NAME}} values resolved through Keycloak's vault. Every login reads them up to
 * three times, so the parsed settings are kept per realm for as long as the resolved values stay
 * the same.
 */
public final class RealmSmsSettings {

    private static final String VAULT_PREFIX = "${vault.";
    /** Beyond this many realms the kept settings are dropped and parsed again as needed. */
    private static final int MAX_KEPT = 10_000;
    private static final Map<String, Parsed> PARSED = new ConcurrentHashMap<>();

    private record Parsed(Map<String, String> config, SmsSettings settings) {
    }

    private RealmSmsSettings() {
    }

    public static SmsSettings load(KeycloakSession session, RealmModel realm) throws InvalidSettingsException {
        Map<String, String> config = resolveVault(session, storedConfig(realm));
        Parsed kept = PARSED.get(realm.getId());
        if (kept != null && kept.config().equals(config)) {
            return kept.settings();
        }
        SmsSettings settings = SmsSettings.parse(config);
        if (PARSED.size() >= MAX_KEPT) {
            PARSED.clear();
        }
        PARSED.put(realm.getId(), new Parsed(config, settings));
        return settings;
    }

    static Map<String, String> storedConfig(RealmModel realm) {
        RequiredActionProviderModel action =
                RequiredActionHelper.getRequiredActionByProviderId(realm, SmsProviderIds.REQUIRED_ACTION);
        if (action == null) {
            return Map.of();
        }
        RequiredActionConfigModel config = realm.getRequiredActionConfigByAlias(action.getAlias());
        return config == null || config.getConfig() == null ? Map.of() : config.getConfig();
    }

    /** The values with vault references resolved; only a value that is one goes to the vault. */
    public static Map<String, String> resolveVault(KeycloakSession session, Map<String, String> config) {
        Map<String, String> resolved = new HashMap<>();
        config.forEach((key, value) -> {
            if (value != null && value.strip().startsWith(VAULT_PREFIX)) {
                try (VaultStringSecret secret = session.vault().getStringSecret(value)) {
                    resolved.put(key, secret.get().orElse(value));
                }
            } else if (value != null) {
                resolved.put(key, value);
            }
        });
        return resolved;
    }
}
