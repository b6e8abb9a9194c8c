package io.github.keycloaksms.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class WindowSlotsTest {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final Instant NOW = Instant.parse("2026-12-07T10:15:00Z");
    private final MemoryStore store = new MemoryStore();
    private final WindowSlots slots = new WindowSlots(store);
    private final String key = "budget:" + UUID.randomUUID();

    @Test
    void aLargeBudgetCostsOneStoreCallPerClaimOnceTheNodeKnowsWhereItStands() {
        for (int i = 0; i < 1000; i++) {
            assertTrue(slots.claim(key, 100_000, HOUR, NOW).isPresent());
        }
        store.operations.set(0);
        assertTrue(slots.claim(key, 100_000, HOUR, NOW).isPresent());
        assertEquals(1, store.operations.get());
    }

    @Test
    void noMoreThanTheLimitIsClaimedAndAFullWindowCostsOneRead() {
        for (int i = 0; i < 5; i++) {
            assertTrue(slots.claim(key, 5, HOUR, NOW).isPresent());
        }
        store.operations.set(0);
        assertEquals(Optional.empty(), slots.claim(key, 5, HOUR, NOW));
        assertEquals(1, store.operations.get());
    }

    @Test
    void aReleasedSlotIsClaimedAgain() {
        String first = slots.claim(key, 3, HOUR, NOW).orElseThrow();
        slots.claim(key, 3, HOUR, NOW).orElseThrow();
        slots.claim(key, 3, HOUR, NOW).orElseThrow();
        slots.release(first);

        assertEquals(Optional.of(first), slots.claim(key, 3, HOUR, NOW));
        assertEquals(Optional.empty(), slots.claim(key, 3, HOUR, NOW));
    }

    @Test
    void slotsTakenByAnotherNodeAreSkipped() {
        WindowSlots otherNode = new WindowSlots(store);
        slots.claim(key, 10, HOUR, NOW).orElseThrow();
        String prefix = key + ":" + NOW.getEpochSecond() / HOUR.toSeconds() + ":";
        for (int slot = 1; slot < 7; slot++) {
            store.putIfAbsent(prefix + slot, 60);
        }

        assertEquals(Optional.of(prefix + 7), otherNode.claim(key, 10, HOUR, NOW));
        assertEquals(Optional.of(prefix + 8), slots.claim(key, 10, HOUR, NOW));
    }

    @Test
    void aNewWindowStartsAtTheFirstSlot() {
        slots.claim(key, 3, HOUR, NOW).orElseThrow();
        String next = slots.claim(key, 3, HOUR, NOW.plus(HOUR)).orElseThrow();

        assertTrue(next.endsWith(":0"), next);
    }
}
