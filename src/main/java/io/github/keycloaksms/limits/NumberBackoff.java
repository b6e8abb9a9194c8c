package io.github.keycloaksms.limits;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.keycloak.models.SingleUseObjectProvider;

/**
 * Waits between the codes strangers ask for one number (or, at reset, one account): the first
 * {@value #FREE} go at once, each further one waits twice as long as the one before, from one
 * minute to {@link #LONGEST} (the schedule Auth0 uses); a day without codes forgets. Kept in the
 * single-use store, so every node of the cluster applies the same wait.
 */
public final class NumberBackoff {

    static final int FREE = 2;
    static final Duration FIRST = Duration.ofMinutes(1);
    static final Duration LONGEST = Duration.ofMinutes(32);
    static final Duration QUIET = Duration.ofDays(1);

    private final SingleUseObjectProvider store;
    private final String prefix;

    public NumberBackoff(SingleUseObjectProvider store, String realmId) {
        this.store = store;
        this.prefix = "sms-backoff:" + realmId + ":";
    }

    /** How long until a code may go to {@code key}; zero when it may go now. */
    public Duration waitFor(String key, Instant now) {
        Map<String, String> notes = store.get(prefix + key);
        if (notes == null) {
            return Duration.ZERO;
        }
        Instant allowed = Instant.ofEpochMilli(Long.parseLong(notes.get("last"))).plus(wait(Integer.parseInt(notes.get("count"))));
        return now.isBefore(allowed) ? Duration.between(now, allowed) : Duration.ZERO;
    }

    /** Counts a code that goes to {@code key} now; gives how long the next one must wait. */
    public Duration sent(String key, Instant now) {
        Map<String, String> notes = store.get(prefix + key);
        int count = notes == null ? 1 : Integer.parseInt(notes.get("count")) + 1;
        store.put(prefix + key, QUIET.toSeconds(), Map.of("count", Integer.toString(count), "last", Long.toString(now.toEpochMilli())));
        return wait(count);
    }

    /** The wait after {@code count} codes. */
    static Duration wait(int count) {
        if (count < FREE) {
            return Duration.ZERO;
        }
        int doublings = Math.min(count - FREE, 10);
        Duration wait = FIRST.multipliedBy(1L << doublings);
        return wait.compareTo(LONGEST) > 0 ? LONGEST : wait;
    }
}
