package io.github.keycloaksms.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class NumberBackoffTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    @Test
    void theFirstTwoCodesGoAtOnceThenEachWaitsTwiceAsLongUpTo32Minutes() {
        assertEquals(List.of(0L, 0L, 1L, 2L, 4L, 8L, 16L, 32L, 32L, 32L),
                IntStream.range(0, 10).mapToObj(count -> NumberBackoff.wait(count).toMinutes()).toList());
    }

    @Test
    void theWaitCountsFromTheLastCodeAndOtherNumbersAreApart() {
        NumberBackoff backoff = new NumberBackoff(new MemoryStore(), "realm-1");
        assertEquals(Duration.ZERO, backoff.waitFor("index-1", NOW));
        assertEquals(Duration.ZERO, backoff.sent("index-1", NOW));
        assertEquals(Duration.ZERO, backoff.waitFor("index-1", NOW.plusSeconds(1)), "the second code goes at once");
        assertEquals(Duration.ofMinutes(1), backoff.sent("index-1", NOW.plusSeconds(1)));
        assertEquals(Duration.ofSeconds(50), backoff.waitFor("index-1", NOW.plusSeconds(11)));
        assertEquals(Duration.ZERO, backoff.waitFor("index-1", NOW.plusSeconds(61)));
        assertEquals(Duration.ZERO, backoff.waitFor("index-2", NOW.plusSeconds(11)));
        assertEquals(Duration.ofMinutes(2), backoff.sent("index-1", NOW.plusSeconds(61)));
    }
}
