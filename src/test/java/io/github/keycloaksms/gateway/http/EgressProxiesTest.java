package io.github.keycloaksms.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.connections.httpclient.ProxyMappings;

/** Keycloak's proxy rules, read as Keycloak reads them: mappings first, else the environment's proxy and its exceptions. */
class EgressProxiesTest {

    @AfterEach
    void forgetCachedLookups() {
        ProxyMappings.clearCache();
    }

    @Test
    void withoutMappingsOrEnvironmentEverythingGoesDirectly() {
        assertNull(EgressProxies.of(null, null, null).proxyFor("api.twilio.com"));
        assertNull(EgressProxies.of(new String[0], null, null).proxyFor("api.twilio.com"));
    }

    @Test
    void theFirstMatchingMappingDecidesAndNoProxyMeansDirect() {
        EgressProxies proxies = EgressProxies.of(new String[] {".*\\.internal\\.example;NO_PROXY",
                ".*;http://egress:pw@proxy.example:3128"}, "http://ignored.example:8080", null);
        assertNull(proxies.proxyFor("sms.internal.example"));
        EgressProxies.Proxy proxy = proxies.proxyFor("api.twilio.com");
        assertEquals("proxy.example", proxy.host().getHostName());
        assertEquals(3128, proxy.host().getPort());
        assertEquals("egress", proxy.credentials().getUserName());
        assertEquals("pw", new String(proxy.credentials().getUserPassword()));
    }

    @Test
    void withoutMappingsTheEnvironmentsProxyAndItsExceptionsApply() {
        // NO_PROXY names domains, their subdomains included, as Keycloak reads it
        EgressProxies proxies = EgressProxies.of(null, "http://proxy.example:8080", "localhost,internal.example");
        assertEquals("proxy.example", proxies.proxyFor("api.twilio.com").host().getHostName());
        assertNull(proxies.proxyFor("sms.internal.example"));
        assertNull(proxies.proxyFor("localhost"));
    }
}
