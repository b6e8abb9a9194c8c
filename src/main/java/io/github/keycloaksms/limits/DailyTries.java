package io.github.keycloaksms.limits;

import java.time.Duration;
import java.time.Instant;

import org.keycloak.models.SingleUseObjectProvider;

/**
 * How many times something may be tried per UTC day, cluster-wide: each try claims one of the
 * day's slots atomically before it counts, so parallel tries on any number of nodes never get more.
 */
public final class DailyTries {

    private static final Duration DAY = Duration.ofDays(1);

    private final WindowSlots slots;
    private final String realmId;

    public DailyTries(SingleUseObjectProvider store, String realmId) {
        this.slots = new WindowSlots(store);
        this.realmId = realmId;
    }

    /**
     * Claims one try of {@code what} for {@code who}.
     *
     * @return false when the day's {@code max} tries are used up
     */
    public boolean claim(String what, String who, int max, Instant now) {
        return slots.claim("sms-tries:" + realmId + ":" + what + ":" + who, max, DAY, now).isPresent();
    }
}
