package io.github.keycloaksms.gateway.http;

import java.util.Locale;

import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.core5.http.HttpHost;
import org.keycloak.Config;
import org.keycloak.connections.httpclient.ProxyMappings;

/**
 * The egress proxies Keycloak's own HTTP client uses, read the way Keycloak reads them: the
 * operator's {@code --spi-connections-http-client-default-proxy-mappings} ("host regex;proxy URL",
 * first match wins, {@code NO_PROXY} for none), else the HTTPS_PROXY, HTTP_PROXY and NO_PROXY
 * environment variables.
 */
final class EgressProxies {

    /** A proxy for one host, with the credentials of its URL (or null). */
    record Proxy(HttpHost host, UsernamePasswordCredentials credentials) {
    }

    private final ProxyMappings mappings;

    private EgressProxies(ProxyMappings mappings) {
        this.mappings = mappings;
    }

    static EgressProxies fromKeycloak() {
        String[] configured = Config.scope("connectionsHttpClient", "default").getArray("proxy-mappings");
        ProxyMappings mappings = ProxyMappings.valueOf(configured == null ? new String[0] : configured);
        if (mappings.isEmpty()) {
            String httpsProxy = env("https_proxy");
            mappings = ProxyMappings.withFixedProxyMapping(httpsProxy != null ? httpsProxy : env("http_proxy"), env("no_proxy"));
        }
        return new EgressProxies(mappings);
    }

    /** The proxy to reach {@code host} through, or null to connect directly. */
    Proxy proxyFor(String host) {
        ProxyMappings.ProxyMapping mapping = mappings.getProxyFor(host);
        if (mapping == null || mapping.getProxyHost() == null) {
            return null;
        }
        org.apache.http.HttpHost proxy = mapping.getProxyHost();
        org.apache.http.auth.UsernamePasswordCredentials credentials = mapping.getProxyCredentials();
        return new Proxy(new HttpHost(proxy.getSchemeName(), proxy.getHostName(), proxy.getPort()),
                credentials == null ? null : new UsernamePasswordCredentials(credentials.getUserName(),
                        credentials.getPassword() == null ? new char[0] : credentials.getPassword().toCharArray()));
    }

    private static String env(String name) {
        String lower = System.getenv(name);
        return lower != null ? lower : System.getenv(name.toUpperCase(Locale.ROOT));
    }
}
