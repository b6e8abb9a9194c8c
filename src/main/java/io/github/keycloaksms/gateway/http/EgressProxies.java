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
        String httpsProxy = env("https_proxy");
        return of(Config.scope("connectionsHttpClient", "default").getArray("proxy-mappings"),
                httpsProxy != null ? httpsProxy : env("http_proxy"), env("no_proxy"));
    }

    /** @param mappings Keycloak's proxy mappings, or null; only without them do the environment's proxy and exceptions apply */
    static EgressProxies of(String[] mappings, String environmentProxy, String noProxy) {
        ProxyMappings configured = mappings == null || mappings.length == 0 ? null : ProxyMappings.valueOf(mappings);
        if (configured == null || configured.isEmpty()) {
            configured = ProxyMappings.withFixedProxyMapping(environmentProxy, noProxy);
        }
        return new EgressProxies(configured);
    }

    /** The proxy to reach {@code host} through, or null to connect directly. */
    Proxy proxyFor(String host) {
        // Keycloak gives null, not an empty mapping, when there is no proxy at all
        ProxyMappings.ProxyMapping mapping = mappings == null ? null : mappings.getProxyFor(host);
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
