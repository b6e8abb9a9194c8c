package io.github.keycloaksms.flow;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets a warning that a flood can cause on every request reach the log once per interval and key
 * (e.g. per realm), so that an attack cannot flood the log.
 */
final class WarningThrottle {

    /** Beyond this many keys all are forgotten: the next warning of each is due again. */
    private static final int MAX_KEYS = 10_000;

    private final Duration interval;
    private final Map<String, Instant> lastWarned = new ConcurrentHashMap<>();

    WarningThrottle(Duration interval) {
        this.interval = interval;
    }

    /** True for the first warning about {@code key}, and for the first after each interval; one caller wins a race. */
    boolean due(String key, Instant now) {
        Instant last = lastWarned.get(key);
        if (last == null) {
            if (lastWarned.size() >= MAX_KEYS) {
                lastWarned.clear();
            }
            return lastWarned.putIfAbsent(key, now) == null;
        }
        return last.plus(interval).isBefore(now) && lastWarned.replace(key, last, now);
    }
}
