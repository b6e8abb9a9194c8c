package io.github.keycloaksms.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class CodeUseTest {

    private final CodeUse uses = new CodeUse(new MemoryStore(), "realm-1");

    @Test
    void attemptsAreNumberedUntilNoneIsLeftWhateverTheHint() {
        assertEquals(1, uses.claimAttempt("hash", 3, 0, Duration.ofMinutes(5)));
        assertEquals(2, uses.claimAttempt("hash", 3, 0, Duration.ofMinutes(5)), "a stale hint only costs a probe");
        assertEquals(3, uses.claimAttempt("hash", 3, 2, Duration.ofMinutes(5)));
        assertEquals(0, uses.claimAttempt("hash", 3, 0, Duration.ofMinutes(5)));
        assertEquals(1, uses.claimAttempt("other-hash", 3, 0, Duration.ofMinutes(5)));
    }

    @Test
    void aCodeIsRedeemedOnce() {
        assertTrue(uses.redeem("hash", Duration.ofMinutes(5)));
        assertFalse(uses.redeem("hash", Duration.ofMinutes(5)));
    }
}
