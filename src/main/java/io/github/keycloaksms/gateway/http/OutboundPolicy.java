package io.github.keycloaksms.gateway.http;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.keycloak.Config;

import io.github.keycloaksms.gateway.GatewayHttp;

/**
 * Where one gateway may send requests. By default: https to public addresses only (and, for a
 * gateway with a fixed service, only its own hosts). An operator widens it per gateway with
 * {@code --spi-sms-gateway--<id>--allowed-hosts=host1,host2:8443/sms}: then exactly those hosts
 * are allowed, over http or https, whatever address they have, and where an entry names a port or
 * a path prefix, only that port and the paths under that prefix. Realm admins cannot change it.
 *
 * @param listedHosts  the operator's entries for this gateway ({@code host}, {@code host:port},
 *                     {@code host/path}, {@code host:port/path}); empty: the default applies
 * @param serviceHosts the only hosts the default allows (empty: any public host)
 */
public record OutboundPolicy(Set<String> listedHosts, Set<String> serviceHosts) {

    public static final String ALLOWED_HOSTS_OPTION = "allowed-hosts";
    /** A gateway's endpoint the operator set (sns): its host is allowed, whatever its address. */
    public static final String ENDPOINT_URL_OPTION = "endpoint-url";

    public OutboundPolicy {
        listedHosts = listedHosts.stream().map(String::strip).filter(h -> !h.isEmpty()).collect(Collectors.toUnmodifiableSet());
        serviceHosts = lowerCase(serviceHosts);
    }

    /** One allowed-hosts entry: a host, with a port ({@code -1}: any) and a path prefix ({@code ""}: any). */
    private record Listed(String host, int port, String pathPrefix) {

        static Listed parse(String entry) {
            int slash = entry.indexOf('/');
            String authority = (slash < 0 ? entry : entry.substring(0, slash)).toLowerCase(Locale.ROOT);
            String path = slash < 0 ? "" : withoutTrailingSlashes(entry.substring(slash));
            int close = authority.indexOf(']');
            if (authority.startsWith("[") && close > 0) {
                String rest = authority.substring(close + 1);
                return new Listed(authority.substring(1, close), rest.startsWith(":") ? parsePort(rest.substring(1)) : -1, path);
            }
            int colon = authority.indexOf(':');
            boolean withPort = colon >= 0 && colon == authority.lastIndexOf(':');
            return new Listed(withPort ? authority.substring(0, colon) : authority,
                    withPort ? parsePort(authority.substring(colon + 1)) : -1, path);
        }

        private static String withoutTrailingSlashes(String path) {
            int end = path.length();
            while (end > 0 && path.charAt(end - 1) == '/') {
                end--;
            }
            return path.substring(0, end);
        }

        private static int parsePort(String text) {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                // a malformed port allows no port at all: the entry then refuses every URL
                return 0;
            }
        }

        boolean allows(String host, int port, String path) {
            return this.host.equals(host) && (this.port < 0 || this.port == port)
                    && (pathPrefix.isEmpty() || path.equals(pathPrefix) || path.startsWith(pathPrefix + "/"));
        }

        @Override
        public String toString() {
            return host + (port < 0 ? "" : ":" + port) + pathPrefix;
        }
    }

    /**
     * The policy as the operator configured it, from a gateway factory's own configuration scope as
     * {@code init} receives it.
     *
     * @param serviceHosts the gateway's own hosts when it talks to one service (Twilio), else none
     */
    public static OutboundPolicy of(Config.Scope gatewayConfig, String... serviceHosts) {
        Set<String> listed = new HashSet<>();
        String[] allowed = gatewayConfig.getArray(ALLOWED_HOSTS_OPTION);
        if (allowed != null) {
            listed.addAll(Set.of(allowed));
        }
        String endpoint = gatewayConfig.get(ENDPOINT_URL_OPTION);
        String endpointHost = endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint.strip()).getHost();
        if (endpointHost != null) {
            listed.add(endpointHost);
        }
        return new OutboundPolicy(listed, Set.of(serviceHosts));
    }

    /** Checks a URL an admin typed, without connecting: for saving settings and before each send. */
    public URI check(String url) throws GatewayHttp.Refused {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new GatewayHttp.Refused("is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new GatewayHttp.Refused("must be an absolute https URL");
        }
        if (uri.getUserInfo() != null) {
            throw new GatewayHttp.Refused("must not carry credentials in the URL");
        }
        String host = host(uri);
        if (isListed(host)) {
            return checkListed(uri, host);
        }
        if (!listedHosts.isEmpty()) {
            throw new GatewayHttp.Refused("host " + host + " is not among the hosts this server allows for this gateway ("
                    + String.join(", ", entries().map(Listed::toString).sorted().toList()) + ")");
        }
        if (!serviceHosts.isEmpty() && !serviceHosts.contains(host)) {
            throw new GatewayHttp.Refused("host " + host + " is not allowed: this gateway only reaches "
                    + String.join(", ", serviceHosts.stream().sorted().toList())
                    + " unless the server's operator allows other hosts");
        }
        if (!scheme.equals("https")) {
            throw new GatewayHttp.Refused("must use https: http is only allowed for hosts the server's operator allows");
        }
        if (isIpLiteral(host)) {
            checkAddresses(host, addressesOf(host));
        }
        return uri;
    }

    /**
     * Like {@link #check(String)}, and also looks the host up: a name that points at a private
     * address is refused at once. A name that does not resolve now passes; every send checks again.
     */
    public URI checkWithLookup(String url) throws GatewayHttp.Refused {
        URI uri = check(url);
        String host = host(uri);
        if (!isListed(host)) {
            try {
                checkAddresses(host, InetAddress.getAllByName(host));
            } catch (UnknownHostException e) {
                // judged again, on the address actually connected to, at each send
            }
        }
        return uri;
    }

    /**
     * The address to reach a host that is not listed through an egress proxy: looked up here and
     * checked, so that the proxy is asked for this address and cannot look the name up again to
     * another one (DNS rebinding). A name this server cannot resolve is refused.
     */
    public InetAddress checkedAddress(String host) throws GatewayHttp.Refused {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new GatewayHttp.Refused("host " + host + " does not resolve on this server; behind the egress proxy, only hosts "
                    + "the server's operator allows are left to the proxy to look up");
        }
        checkAddresses(host, addresses);
        return addresses[0];
    }

    /** True when the operator listed the host, so any of its addresses may be reached (on the ports and paths listed). */
    public boolean isListed(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return entries().anyMatch(entry -> entry.host().equals(lower));
    }

    /** A URL to a listed host: on a port and under a path one of its entries names, with no path tricks to climb out. */
    private URI checkListed(URI uri, String host) throws GatewayHttp.Refused {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String lowerPath = path.toLowerCase(Locale.ROOT);
        if (lowerPath.contains("%2e") || lowerPath.contains("%2f") || lowerPath.contains("%5c") || lowerPath.contains("\\")
                || !uri.normalize().getRawPath().equals(path)) {
            throw new GatewayHttp.Refused("must have a plain path, without dot segments or encoded separators");
        }
        int port = port(uri);
        if (entries().anyMatch(entry -> entry.allows(host, port, path))) {
            return uri;
        }
        throw new GatewayHttp.Refused("host " + host + " is allowed by this server only as "
                + String.join(", ", entries().filter(e -> e.host().equals(host)).map(Listed::toString).sorted().toList()));
    }

    /** The port a URL connects to: its own, or its scheme's. */
    static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private java.util.stream.Stream<Listed> entries() {
        return listedHosts.stream().map(Listed::parse);
    }

    /** Refuses a connection to any address of {@code host} that is not public, unless the host is listed. */
    public void checkAddresses(String host, InetAddress[] addresses) throws GatewayHttp.Refused {
        if (isListed(host)) {
            return;
        }
        for (InetAddress address : addresses) {
            if (!PublicAddresses.isPublic(address)) {
                throw new GatewayHttp.Refused("host " + host + " has the address " + address.getHostAddress()
                        + ", which is not a public Internet address; only hosts the server's operator allows may have one");
            }
        }
    }

    private static String host(URI uri) {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static boolean isIpLiteral(String host) {
        return host.contains(":") || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    private static InetAddress[] addressesOf(String literal) throws GatewayHttp.Refused {
        try {
            return InetAddress.getAllByName(literal);
        } catch (UnknownHostException e) {
            throw new GatewayHttp.Refused("host " + literal + " is not a valid address");
        }
    }

    private static Set<String> lowerCase(Set<String> hosts) {
        return hosts.stream().map(String::strip).filter(h -> !h.isEmpty()).map(h -> h.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }
}
