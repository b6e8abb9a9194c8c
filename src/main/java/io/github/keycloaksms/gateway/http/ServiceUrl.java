package io.github.keycloaksms.gateway.http;

import java.util.List;

import io.github.keycloaksms.gateway.GatewayConfig;
import io.github.keycloaksms.gateway.GatewayHttp;
import io.github.keycloaksms.gateway.InvalidSettingsException;

/** A gateway's API base URL setting, which defaults to its provider's own. */
public final class ServiceUrl {

    private ServiceUrl() {
    }

    public static String of(GatewayConfig config, String key, String defaultUrl) {
        return config.get(key) == null ? defaultUrl : config.get(key);
    }

    /**
     * Checks the URL against the operator's policy: the one in use when the gateway is selected, else
     * only one the admin changed. The admin console fills in the default, which is no reason to
     * refuse a save while the gateway is not in use (the operator may have allowed only a proxy).
     */
    public static void check(GatewayConfig config, String key, String defaultUrl, List<InvalidSettingsException.Problem> problems) {
        String url = config.get(key);
        if (!config.selected() && (url == null || url.equals(defaultUrl))) {
            return;
        }
        try {
            config.http().checkWithLookup(url == null ? defaultUrl : url);
        } catch (GatewayHttp.Refused e) {
            problems.add(InvalidSettingsException.Problem.of(key, e.getMessage()));
        }
    }
}
