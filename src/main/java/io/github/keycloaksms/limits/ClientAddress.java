package io.github.keycloaksms.limits;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;

/**
 * The client address a per-address limit counts. An IPv6 client counts by its /64: one
 * subscriber usually gets a whole /64, and counting single addresses would give it 2^64 budgets.
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    /** @param remoteAddress the address Keycloak saw, as text (an IP literal) */
    public static String of(String remoteAddress) {
        if (remoteAddress == null || remoteAddress.isBlank()) {
            return "unknown";
        }
        if (!remoteAddress.contains(":")) {
            return remoteAddress;
        }
        try {
            InetAddress address = InetAddress.getByName(remoteAddress);   // a literal: no lookup
            if (address instanceof Inet6Address) {
                byte[] bytes = address.getAddress();
                return HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
            }
            return address.getHostAddress();
        } catch (UnknownHostException e) {
            return remoteAddress;
        }
    }
}
