package io.github.keycloaksms.delivery;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;

import io.github.keycloaksms.gateway.GatewayConfig;
import io.github.keycloaksms.gateway.GatewayHttp;
import io.github.keycloaksms.gateway.SmsGatewayFactory;
import io.github.keycloaksms.gateway.SmsGatewaySpi;
import io.github.keycloaksms.gateway.http.OutboundPolicy;
import io.github.keycloaksms.gateway.http.PolicyHttp;
import io.github.keycloaksms.gateway.http.SharedHttpClient;

/**
 * One gateway's view of its settings (a named gateway's fields, or the realm's settings for a
 * gateway named by its kind): only the keys its factory declares, and {@code from}, so a gateway
 * never reads another gateway's credentials.
 */
public record RealmGatewayConfig(Set<String> keys, Map<String, String> values, GatewayHttp http, boolean selected)
        implements GatewayConfig {

    /** Each gateway's outbound policy, as the operator set it at start. */
    private static final Map<String, OutboundPolicy> POLICIES = new ConcurrentHashMap<>();

    /**
     * @param values   the settings the gateway's keys are read from
     * @param selected true for a send, or for a check of settings that send through this gateway
     */
    public static RealmGatewayConfig of(KeycloakSession session, SmsGatewayFactory factory, Map<String, String> values,
            boolean selected) {
        Set<String> keys = new HashSet<>();
        keys.add(GatewayConfig.FROM);
        factory.getConfigProperties().stream().map(ProviderConfigProperty::getName).forEach(keys::add);
        OutboundPolicy policy = POLICIES.computeIfAbsent(factory.getId(), id ->
                OutboundPolicy.of(Config.scope(SmsGatewaySpi.NAME, id), factory.serviceHosts().toArray(String[]::new)));
        return new RealmGatewayConfig(Set.copyOf(keys), values, new PolicyHttp(SharedHttpClient.get(session), policy), selected);
    }

    @Override
    public String get(String key) {
        String value = keys.contains(key) ? values.get(key) : null;
        return value == null || value.isBlank() ? null : value.strip();
    }
}
