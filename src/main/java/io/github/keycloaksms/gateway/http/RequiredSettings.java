package io.github.keycloaksms.gateway.http;

import java.util.List;

import io.github.keycloaksms.gateway.GatewayConfig;
import io.github.keycloaksms.gateway.InvalidSettingsException;

/** The keys a built-in gateway cannot send without, checked when the realm sends through it. */
public final class RequiredSettings {

    private RequiredSettings() {
    }

    /** Adds a problem for each of {@code keys} that is unset while the gateway {@code gatewayId} is selected. */
    public static void check(GatewayConfig config, String gatewayId, List<String> keys, List<InvalidSettingsException.Problem> problems) {
        if (!config.selected()) {
            return;
        }
        for (String key : keys) {
            if (config.get(key) == null) {
                problems.add(InvalidSettingsException.Problem.of(key, "is required for the " + gatewayId + " gateway"));
            }
        }
    }
}
