package io.github.keycloaksms.delivery;

import java.time.Duration;
import java.time.Instant;

import io.github.keycloaksms.gateway.http.SmsHttpClient;

/**
 * Stops calling a gateway that keeps failing for a passing reason: after {@code threshold}
 * transient failures or answers that came near the deadline, in a row, it opens for
 * {@code coolOff}; then one trial send goes through, which closes it when it is answered in time
 * and opens it again when it is not. Any timely answer from the gateway, even a refusal of one
 * message, shows it is alive; a provider that answers only just inside the timeouts holds a
 * thread for seconds per code, and counts as failing.
 */
final class CircuitBreaker {

    /** An answer after this long is near the deadline ({@link SmsHttpClient#DEADLINE}, 8 s). */
    static final Duration SLOW = SmsHttpClient.DEADLINE.multipliedBy(3).dividedBy(4);

    /** How a recorded outcome changed the breaker, for a log line, a metric and an event. */
    public enum Change { NONE, OPENED, CLOSED }

    /** What a send learned about the gateway. */
    public enum Outcome {
        /** Accepted or refused by the gateway in time: it is alive. */
        ANSWERED,
        /** Accepted, but only after {@link #SLOW}: counted like a failure. */
        SLOW_ANSWER,
        /** Timeout, connection error, 5xx, 429. */
        TRANSIENT_FAILURE,
        /** Says nothing about the gateway (settings missing, a bug). */
        UNKNOWN
    }

    private final int threshold;
    private final Duration coolOff;
    private int failuresInARow;
    private Instant openUntil;
    private boolean trialInFlight;

    public CircuitBreaker(int threshold, Duration coolOff) {
        this.threshold = threshold;
        this.coolOff = coolOff;
    }

    /**
     * True when a send may call the gateway now. While open, false until the cool-off is over;
     * then true once, for the trial, until the trial's outcome is recorded.
     */
    public synchronized boolean tryPass(Instant now) {
        if (openUntil == null) {
            return true;
        }
        if (now.isBefore(openUntil) || trialInFlight) {
            return false;
        }
        trialInFlight = true;
        return true;
    }

    /** Records the outcome of a send that {@link #tryPass} let through. */
    public synchronized Change record(Outcome outcome, Instant now) {
        boolean wasOpen = openUntil != null;
        trialInFlight = false;
        switch (outcome) {
            case ANSWERED:
                failuresInARow = 0;
                openUntil = null;
                return wasOpen ? Change.CLOSED : Change.NONE;
            case TRANSIENT_FAILURE, SLOW_ANSWER:
                failuresInARow++;
                if (wasOpen || failuresInARow >= threshold) {
                    openUntil = now.plus(coolOff);
                    return wasOpen ? Change.NONE : Change.OPENED;
                }
                return Change.NONE;
            default:
                return Change.NONE;
        }
    }

    /** Seconds until the next trial, for the admin's message; 0 when closed. */
    public synchronized long secondsOpen(Instant now) {
        return openUntil == null ? 0 : Math.max(0, Duration.between(now, openUntil).toSeconds());
    }
}
