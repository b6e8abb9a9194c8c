package io.github.keycloaksms.gateway.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Tells public Internet addresses from the ones a gateway must never reach on its own: loopback,
 * private (RFC 1918, ULA), link-local (cloud metadata at 169.254.169.254 and fd00:ec2::254),
 * CGNAT, multicast, unspecified, documentation and other special-purpose ranges. IPv4 addresses
 * inside IPv6 (mapped, compatible, NAT64, 6to4) are judged by the IPv4 address they carry.
 */
final class PublicAddresses {

    private record Block(byte[] prefix, int bits) {
        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (address[full] & mask) == (prefix[full] & mask);
        }
    }

    private static final List<Block> NOT_PUBLIC = List.of(
            block("0.0.0.0", 8),          // "this network", unspecified
            block("10.0.0.0", 8),         // private
            block("100.64.0.0", 10),      // carrier-grade NAT
            block("127.0.0.0", 8),        // loopback
            block("169.254.0.0", 16),     // link-local, cloud metadata
            block("172.16.0.0", 12),      // private
            block("192.0.0.0", 24),       // IETF protocol assignments
            block("192.0.2.0", 24),       // documentation
            block("192.88.99.0", 24),     // 6to4 relay anycast
            block("192.168.0.0", 16),     // private
            block("198.18.0.0", 15),      // benchmarking
            block("198.51.100.0", 24),    // documentation
            block("203.0.113.0", 24),     // documentation
            block("224.0.0.0", 4),        // multicast
            block("240.0.0.0", 4),        // reserved, broadcast
            block("::", 128),             // unspecified
            block("::1", 128),            // loopback
            block("100::", 64),           // discard
            block("2001:db8::", 32),      // documentation
            block("fc00::", 7),           // unique local, incl. fd00:ec2::254
            block("fe80::", 10),          // link-local
            block("fec0::", 10),          // site-local (deprecated)
            block("ff00::", 8));          // multicast

    /** ::ffff:0:0, spelled out: Java reads that literal as the IPv4 address 0.0.0.0. */
    private static final byte[] MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 0, 0, 0, 0};

    /** IPv6 ranges whose last 32 bits are an IPv4 address. */
    private static final List<Block> CARRY_IPV4_AT_END = List.of(
            block("::", 96),              // IPv4-compatible
            new Block(MAPPED_PREFIX, 96), // IPv4-mapped
            block("64:ff9b::", 96),       // NAT64
            block("64:ff9b:1::", 48));    // local-use NAT64
    private static final Block SIX_TO_FOUR = block("2002::", 16);

    private PublicAddresses() {
    }

    public static boolean isPublic(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (NOT_PUBLIC.stream().anyMatch(b -> b.contains(bytes))) {
            return false;
        }
        if (address instanceof Inet6Address) {
            if (CARRY_IPV4_AT_END.stream().anyMatch(b -> b.contains(bytes))) {
                return isPublic(ipv4(Arrays.copyOfRange(bytes, 12, 16)));
            }
            if (SIX_TO_FOUR.contains(bytes)) {
                return isPublic(ipv4(Arrays.copyOfRange(bytes, 2, 6)));
            }
        }
        return true;
    }

    private static Inet4Address ipv4(byte[] bytes) {
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Block block(String literal, int bits) {
        try {
            // literals only: no name lookup happens here
            return new Block(InetAddress.getByName(literal).getAddress(), bits);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
