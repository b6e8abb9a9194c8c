package io.github.keycloaksms.gateway.http;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;

import io.github.keycloaksms.gateway.GatewayHttp;

/**
 * Resolves host names for the HTTP client and refuses, before any socket is opened, addresses the
 * current request's {@link OutboundPolicy} forbids. Judging the address actually connected to,
 * not the one seen when the URL was saved, is what defeats DNS rebinding. The classic client
 * connects on the calling thread, so the policy travels in a thread-local set around each request.
 */
final class PolicyDnsResolver implements DnsResolver {

    /** An address the policy refused; an {@link UnknownHostException} so the client gives up at once. */
    static final class RefusedAddress extends UnknownHostException {
        final GatewayHttp.Refused reason;

        RefusedAddress(GatewayHttp.Refused reason) {
            super(reason.getMessage());
            this.reason = reason;
        }
    }

    private static final ThreadLocal<OutboundPolicy> CURRENT = new ThreadLocal<>();
    /** The operator's egress proxy of the current request, which may have any address. */
    private static final ThreadLocal<String> PROXY = new ThreadLocal<>();

    static void use(OutboundPolicy policy, String proxyHost) {
        CURRENT.set(policy);
        if (proxyHost == null) {
            PROXY.remove();
        } else {
            PROXY.set(proxyHost);
        }
    }

    static void clear() {
        CURRENT.remove();
        PROXY.remove();
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        OutboundPolicy policy = CURRENT.get();
        if (policy == null) {
            throw new RefusedAddress(new GatewayHttp.Refused("no outbound policy for this request"));
        }
        InetAddress[] addresses = SystemDefaultDnsResolver.INSTANCE.resolve(host);
        if (host.equalsIgnoreCase(PROXY.get())) {
            return addresses;
        }
        try {
            policy.checkAddresses(host, addresses);
        } catch (GatewayHttp.Refused e) {
            throw new RefusedAddress(e);
        }
        return addresses;
    }

    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
        return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
    }
}
