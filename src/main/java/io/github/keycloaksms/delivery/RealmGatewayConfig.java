package io.github.keycloaksms.delivery;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;

import io.github.keycloaksms.config.SmsSettings;
import io.github.keycloaksms.gateway.GatewayConfig;
import io.github.keycloaksms.gateway.GatewayHttp;
import io.github.keycloaksms.gateway.SmsGatewayFactory;
import io.github.keycloaksms.gateway.SmsGatewaySpi;
import io.github.keycloaksms.gateway.http.OutboundPolicy;
import io.github.keycloaksms.gateway.http.PolicyHttp;
import io.github.keycloaksms.gateway.http.SharedHttpClient;

/**
 * One gateway's view of the realm's SMS settings: only the keys its factory declares, and
 * {@code from}, so a gateway never reads another gateway's credentials.
 */
public record RealmGatewayConfig(Set<String> keys, SmsSettings settings, GatewayHttp http, boolean selected) implements GatewayConfig {

    /** Each gateway's outbound policy, as the operator set it at start. */
    private static final Map<String, OutboundPolicy> POLICIES = new ConcurrentHashMap<>();

    /** For a send through the gateway. */
    public static RealmGatewayConfig of(KeycloakSession session, SmsGatewayFactory factory, SmsSettings settings) {
        return of(session, factory, settings, true);
    }

    /** For a check of the settings an admin saves; {@code selected} when they name this gateway as gateway or fallback. */
    public static RealmGatewayConfig of(KeycloakSession session, SmsGatewayFactory factory, SmsSettings settings, boolean selected) {
        Set<String> keys = new HashSet<>();
        keys.add(SmsSettings.FROM.key());
        factory.getConfigProperties().stream().map(ProviderConfigProperty::getName).forEach(keys::add);
        OutboundPolicy policy = POLICIES.computeIfAbsent(factory.getId(), id ->
                OutboundPolicy.of(Config.scope(SmsGatewaySpi.NAME, id), factory.serviceHosts().toArray(String[]::new)));
        return new RealmGatewayConfig(Set.copyOf(keys), settings, new PolicyHttp(SharedHttpClient.get(session), policy), selected);
    }

    @Override
    public String get(String key) {
        return keys.contains(key) ? settings.get(key) : null;
    }
}
