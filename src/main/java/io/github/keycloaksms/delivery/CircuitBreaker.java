package io.github.keycloaksms.delivery;

import java.time.Duration;
import java.time.Instant;

/**
 * Stops calling a gateway that keeps failing for a passing reason: after {@code threshold}
 * transient failures in a row it opens for {@code coolOff}; then one trial send goes through,
 * which closes it when it succeeds and opens it again when it fails. Any answer from the gateway,
 * even a refusal of one message, shows it is alive.
 */
final class CircuitBreaker {

    /** How a recorded outcome changed the breaker, for a log line, a metric and an event. */
    public enum Change { NONE, OPENED, CLOSED }

    /** What a send learned about the gateway. */
    public enum Outcome {
        /** Accepted or refused by the gateway: it is alive. */
        ANSWERED,
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
            case TRANSIENT_FAILURE:
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
