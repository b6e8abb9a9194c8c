package io.github.keycloaksms.delivery;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.keycloak.Config;

import io.github.keycloaksms.gateway.SmsGatewaySpi;

/**
 * What keeps one gateway from holding this node's threads: at most {@code max-in-flight} of its
 * sends at once (beyond that a send fails after at most 100 ms), one realm at most half of them, so
 * a realm whose provider is slow leaves places to the others, and a {@link CircuitBreaker} per realm,
 * since each realm has its own URL and credentials. Per node; the operator sets them per gateway with
 * {@code --spi-sms-gateway--<id>--max-in-flight}, {@code --circuit-failures} and {@code --circuit-cool-off} (seconds).
 */
final class GatewayGuard {

    static final String MAX_IN_FLIGHT_OPTION = "max-in-flight";
    static final String CIRCUIT_FAILURES_OPTION = "circuit-failures";
    static final String CIRCUIT_COOL_OFF_OPTION = "circuit-cool-off";
    static final int DEFAULT_MAX_IN_FLIGHT = 20;
    /** How long a send may wait for a place: long enough to ride out a burst of quick sends, too short to hold a thread. */
    static final Duration WAIT_FOR_PLACE = Duration.ofMillis(100);
    static final int DEFAULT_CIRCUIT_FAILURES = 5;
    static final int DEFAULT_CIRCUIT_COOL_OFF_SECONDS = 30;

    private static final Map<String, GatewayGuard> GUARDS = new ConcurrentHashMap<>();

    final int maxInFlight;
    final int maxInFlightPerRealm;
    private final Semaphore inFlight;
    private final Map<String, AtomicInteger> inFlightByRealm = new ConcurrentHashMap<>();
    private final int circuitFailures;
    private final Duration coolOff;
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();

    GatewayGuard(int maxInFlight, int circuitFailures, Duration coolOff) {
        this.maxInFlight = maxInFlight;
        this.maxInFlightPerRealm = Math.max(1, maxInFlight / 2);
        this.inFlight = new Semaphore(maxInFlight);
        this.circuitFailures = circuitFailures;
        this.coolOff = coolOff;
    }

    /** The node's guard of gateway {@code id}, as the operator configured it. */
    static GatewayGuard of(String id) {
        return GUARDS.computeIfAbsent(id, gatewayId -> {
            Config.Scope options = Config.scope(SmsGatewaySpi.NAME, gatewayId);
            return new GatewayGuard(
                    Math.max(1, options.getInt(MAX_IN_FLIGHT_OPTION, DEFAULT_MAX_IN_FLIGHT)),
                    Math.max(1, options.getInt(CIRCUIT_FAILURES_OPTION, DEFAULT_CIRCUIT_FAILURES)),
                    Duration.ofSeconds(Math.max(1, options.getInt(CIRCUIT_COOL_OFF_OPTION, DEFAULT_CIRCUIT_COOL_OFF_SECONDS))));
        });
    }

    /**
     * True, holding a place, when the realm has fewer than its half of the places and a place is
     * free within {@link #WAIT_FOR_PLACE}.
     */
    boolean tryEnter(String realmId) {
        AtomicInteger realmsPlaces = inFlightByRealm.computeIfAbsent(realmId, realm -> new AtomicInteger());
        if (realmsPlaces.incrementAndGet() > maxInFlightPerRealm) {
            realmsPlaces.decrementAndGet();
            return false;
        }
        try {
            if (inFlight.tryAcquire(WAIT_FOR_PLACE.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        realmsPlaces.decrementAndGet();
        return false;
    }

    void leave(String realmId) {
        inFlight.release();
        inFlightByRealm.get(realmId).decrementAndGet();
    }

    CircuitBreaker breaker(String realmId) {
        return breakers.computeIfAbsent(realmId, realm -> new CircuitBreaker(circuitFailures, coolOff));
    }
}
