package io.github.keycloaksms.flow;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class WarningThrottleTest {

    private final WarningThrottle throttle = new WarningThrottle(Duration.ofMinutes(1));
    private final Instant start = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void aWarningIsDueOncePerIntervalAndKey() {
        assertTrue(throttle.due("realm-a", start));
        assertFalse(throttle.due("realm-a", start.plusSeconds(1)));
        assertFalse(throttle.due("realm-a", start.plusSeconds(60)));
        assertTrue(throttle.due("realm-b", start.plusSeconds(1)), "each key has its own interval");
        assertTrue(throttle.due("realm-a", start.plusSeconds(61)));
        assertFalse(throttle.due("realm-a", start.plusSeconds(62)));
    }

    @Test
    void aFloodOfKeysForgetsThemRatherThanGrowing() {
        for (int i = 0; i < 10_000; i++) {
            assertTrue(throttle.due("realm-" + i, start));
        }
        assertTrue(throttle.due("one more", start), "at the cap all are forgotten");
        assertTrue(throttle.due("realm-0", start), "so the first key's warning is due again");
    }
}
