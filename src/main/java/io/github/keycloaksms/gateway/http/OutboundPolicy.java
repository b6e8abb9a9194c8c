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
 * {@code --spi-sms-gateway--<id>--allowed-hosts=host1,host2}: then exactly those hosts are
 * allowed, over http or https, whatever address they have. Realm admins cannot change it.
 *
 * @param listedHosts  hosts the operator allowed for this gateway; empty: the default applies
 * @param serviceHosts the only hosts the default allows (empty: any public host)
 */
public record OutboundPolicy(Set<String> listedHosts, Set<String> serviceHosts) {

    public static final String ALLOWED_HOSTS_OPTION = "allowed-hosts";
    /** A gateway's endpoint the operator set (sns): its host is allowed, whatever its address. */
    public static final String ENDPOINT_URL_OPTION = "endpoint-url";

    public OutboundPolicy {
        listedHosts = lowerCase(listedHosts);
        serviceHosts = lowerCase(serviceHosts);
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
            return uri;
        }
        if (!listedHosts.isEmpty()) {
            throw new GatewayHttp.Refused("host " + host + " is not among the hosts this server allows for this gateway ("
                    + String.join(", ", listedHosts.stream().sorted().toList()) + ")");
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

    /** True when the operator listed the host, so any of its addresses may be reached. */
    public boolean isListed(String host) {
        return listedHosts.contains(host.toLowerCase(Locale.ROOT));
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
