package io.github.keycloaksms.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.github.keycloaksms.phone.PhoneNumber;

class PumpingWatchTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final PumpingWatch.Policy ENFORCE = new PumpingWatch.Policy(PumpingWatch.Mode.ENFORCE, Duration.ofMinutes(60),
            20, 200, 20, Duration.ofHours(12));

    private final MemoryStore store = new MemoryStore();
    /** A realm of this test's own: each node's search hints outlive a store. */
    private final String realm = UUID.randomUUID().toString();

    private static PhoneNumber number(String prefix, int n) {
        return PhoneNumber.ofStoredE164(prefix + String.format("%04d", n));
    }

    /** {@code sent} codes to numbers of the prefix, {@code entered} of them typed back, a second apart. */
    private static void traffic(PumpingWatch watch, String prefix, int sent, int entered) {
        for (int n = 0; n < sent; n++) {
            watch.sent(number(prefix, n), NOW.plusSeconds(n));
            if (n < entered) {
                watch.entered(number(prefix, n), NOW.plusSeconds(n + 1));
            }
        }
    }

    @Test
    void aPrefixIsItsNumberWithoutTheLastFourDigits() {
        assertEquals("+491512345", PumpingWatch.prefixOf(PhoneNumber.ofStoredE164("+4915123456789")));
        assertEquals("+49", PumpingWatch.countryOf(PhoneNumber.ofStoredE164("+4915123456789")));
    }

    @Test
    void realUsersWhoEnterMostCodesAreNeverPaused() {
        PumpingWatch watch = new PumpingWatch(store, realm, ENFORCE);
        traffic(watch, "+4915100", 300, 240);
        assertEquals(Optional.empty(), watch.judge(number("+4915100", 1), NOW.plusSeconds(400)));
    }

    @Test
    void aPrefixWhoseCodesComeBackTooRarelyIsPausedOnceAndOnlyIt() {
        PumpingWatch watch = new PumpingWatch(store, realm, ENFORCE);
        traffic(watch, "+4915100", 40, 35);
        traffic(watch, "+3222200", 20, 3);
        Instant later = NOW.plusSeconds(60);

        PumpingWatch.Verdict first = watch.judge(number("+3222200", 77), later).orElseThrow();
        assertTrue(first.started());
        assertEquals(new PumpingWatch.Pause("+3222200", later.plus(Duration.ofHours(12)), 20, 3, true), first.pause());
        PumpingWatch.Verdict again = watch.judge(number("+3222200", 78), later.plusSeconds(1)).orElseThrow();
        assertFalse(again.started(), "the pause is announced once");
        assertEquals(first.pause(), again.pause());
        assertEquals(Optional.empty(), watch.judge(number("+4915100", 1), later), "another country's prefix");
        assertEquals(Optional.empty(), watch.judge(number("+3222201", 1), later), "the country's other prefixes");
        assertEquals(Optional.empty(), watch.judge(number("+3222200", 1), later.plus(Duration.ofHours(12))), "over after its time");
    }

    @Test
    void tooFewCodesAreNotJudged() {
        PumpingWatch watch = new PumpingWatch(store, realm, ENFORCE);
        traffic(watch, "+3222200", 19, 0);
        assertEquals(Optional.empty(), watch.judge(number("+3222200", 1), NOW.plusSeconds(60)));
    }

    @Test
    void aCountryPumpedThroughManyPrefixesIsPaused() {
        PumpingWatch watch = new PumpingWatch(store, realm, ENFORCE);
        for (int block = 0; block < 20; block++) {
            traffic(watch, "+2217" + String.format("%02d", block) + "0", 10, 1);
        }
        PumpingWatch.Verdict verdict = watch.judge(number("+2219990", 1), NOW.plusSeconds(60)).orElseThrow();
        assertEquals("+221", verdict.pause().scope());
    }

    @Test
    void codesOlderThanTheWindowNoLongerCount() {
        PumpingWatch watch = new PumpingWatch(store, realm, ENFORCE);
        traffic(watch, "+3222200", 30, 0);
        assertEquals(Optional.empty(), watch.judge(number("+3222200", 1), NOW.plus(Duration.ofMinutes(71))));
    }

    @Test
    void otherRealmsCountApart() {
        traffic(new PumpingWatch(store, realm, ENFORCE), "+3222200", 30, 0);
        assertEquals(Optional.empty(), new PumpingWatch(store, realm + "-other", ENFORCE).judge(number("+3222200", 1), NOW.plusSeconds(60)));
    }

    @Test
    void monitorModeSaysWhatWouldBePausedAndOffCountsNothing() {
        PumpingWatch monitor = new PumpingWatch(store, realm, new PumpingWatch.Policy(PumpingWatch.Mode.MONITOR,
                Duration.ofMinutes(60), 20, 200, 20, Duration.ofHours(12)));
        traffic(monitor, "+3222200", 30, 0);
        PumpingWatch.Verdict verdict = monitor.judge(number("+3222200", 1), NOW.plusSeconds(60)).orElseThrow();
        assertFalse(verdict.pause().enforced());
        assertTrue(new PumpingWatch(store, realm, ENFORCE).judge(number("+3222200", 1), NOW.plusSeconds(61)).orElseThrow()
                .pause().enforced(), "switched to enforce, the pause holds");

        MemoryStore untouched = new MemoryStore();
        PumpingWatch off = new PumpingWatch(untouched, realm, new PumpingWatch.Policy(PumpingWatch.Mode.OFF,
                Duration.ofMinutes(60), 20, 200, 20, Duration.ofHours(12)));
        traffic(off, "+3222200", 30, 0);
        assertEquals(Optional.empty(), off.judge(number("+3222200", 1), NOW.plusSeconds(60)));
        assertEquals(0, untouched.operations.get(), "off: not a single store operation");
    }

    @Test
    void aLiftedPauseIsNotStartedAgainByTheCodesBeforeIt() {
        PumpingWatch watch = new PumpingWatch(store, realm, ENFORCE);
        traffic(watch, "+3222200", 30, 0);
        assertTrue(watch.judge(number("+3222200", 1), NOW.plusSeconds(60)).isPresent());
        watch.lift("+3222200");
        assertEquals(Optional.empty(), watch.judge(number("+3222200", 1), NOW.plusSeconds(61)));
        assertEquals(Optional.empty(), watch.pauseOf("+3222200", NOW.plusSeconds(61)));
    }
}
