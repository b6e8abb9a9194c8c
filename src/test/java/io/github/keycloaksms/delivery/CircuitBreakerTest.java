package io.github.keycloaksms.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.github.keycloaksms.delivery.CircuitBreaker.Change;
import io.github.keycloaksms.delivery.CircuitBreaker.Outcome;

class CircuitBreakerTest {

    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

    private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(30));

    private Change fail(Instant now) {
        assertTrue(breaker.tryPass(now));
        return breaker.record(Outcome.TRANSIENT_FAILURE, now);
    }

    @Test
    void opensAfterTransientFailuresInARowAndLetsOneTrialThroughAfterTheCoolOff() {
        assertEquals(Change.NONE, fail(T0));
        assertEquals(Change.NONE, fail(T0));
        assertEquals(Change.OPENED, fail(T0));
        assertFalse(breaker.tryPass(T0.plusSeconds(29)));
        assertEquals(29, breaker.secondsOpen(T0.plusSeconds(1)));

        Instant later = T0.plusSeconds(30);
        assertTrue(breaker.tryPass(later), "the trial");
        assertFalse(breaker.tryPass(later), "only one trial at a time");
        assertEquals(Change.CLOSED, breaker.record(Outcome.ANSWERED, later));
        assertTrue(breaker.tryPass(later));
        assertTrue(breaker.tryPass(later));
    }

    @Test
    void aFailedTrialOpensItAgainWithoutAnotherOpeningReport() {
        fail(T0);
        fail(T0);
        fail(T0);
        Instant trial = T0.plusSeconds(31);
        assertEquals(Change.NONE, fail(trial));
        assertFalse(breaker.tryPass(trial.plusSeconds(29)));
        assertTrue(breaker.tryPass(trial.plusSeconds(30)));
    }

    @Test
    void anAnswerEvenARefusalResetsTheCountAndUnknownOutcomesChangeNothing() {
        fail(T0);
        fail(T0);
        assertTrue(breaker.tryPass(T0));
        assertEquals(Change.NONE, breaker.record(Outcome.ANSWERED, T0));
        fail(T0);
        fail(T0);
        assertTrue(breaker.tryPass(T0));
        assertEquals(Change.NONE, breaker.record(Outcome.UNKNOWN, T0));
        assertTrue(breaker.tryPass(T0), "still closed: a missing setting says nothing about the provider");
        assertEquals(Change.OPENED, breaker.record(Outcome.TRANSIENT_FAILURE, T0));
    }

    @Test
    void aTrialWithAnUnknownOutcomeLeavesItOpenAndFreesTheTrial() {
        fail(T0);
        fail(T0);
        fail(T0);
        Instant trial = T0.plusSeconds(30);
        assertTrue(breaker.tryPass(trial));
        assertEquals(Change.NONE, breaker.record(Outcome.UNKNOWN, trial));
        assertTrue(breaker.tryPass(trial), "the next send is the trial");
    }

    @Test
    void answersNearTheDeadlineOpenItLikeFailures() {
        for (int i = 0; i < 2; i++) {
            assertTrue(breaker.tryPass(T0));
            assertEquals(Change.NONE, breaker.record(Outcome.SLOW_ANSWER, T0));
        }
        assertTrue(breaker.tryPass(T0));
        assertEquals(Change.OPENED, breaker.record(Outcome.SLOW_ANSWER, T0), "a provider that answers only just in time");
        Instant trial = T0.plusSeconds(30);
        assertTrue(breaker.tryPass(trial));
        assertEquals(Change.CLOSED, breaker.record(Outcome.ANSWERED, trial), "a timely answer closes it");
    }
}
