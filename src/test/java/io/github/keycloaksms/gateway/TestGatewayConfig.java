package io.github.keycloaksms.gateway;

import java.util.Map;
import java.util.Set;

import io.github.keycloaksms.gateway.http.OutboundPolicy;
import io.github.keycloaksms.gateway.http.PolicyHttp;
import io.github.keycloaksms.gateway.http.SmsHttpClient;

/**
 * A gateway's settings without a Keycloak: the values as given, blank as unset, and the real HTTP
 * client under a policy; selected unless {@link #unselected()}.
 */
public record TestGatewayConfig(Map<String, String> values, GatewayHttp http, boolean selected) implements GatewayConfig {

    /** @param http null where the gateway only checks URLs */
    public static TestGatewayConfig of(Map<String, String> values, OutboundPolicy policy, SmsHttpClient http) {
        return new TestGatewayConfig(Map.copyOf(values), new PolicyHttp(http, policy), true);
    }

    /** Only the operator's list of hosts, for gateways that talk to any host */
    public static TestGatewayConfig of(Map<String, String> values, Set<String> allowedHosts, SmsHttpClient http) {
        return of(values, new OutboundPolicy(allowedHosts, Set.of()), http);
    }

    /** The same settings while the admin selects another gateway. */
    public TestGatewayConfig unselected() {
        return new TestGatewayConfig(values, http, false);
    }

    @Override
    public String get(String key) {
        String value = values.get(key);
        return value == null || value.isBlank() ? null : value.strip();
    }
}
