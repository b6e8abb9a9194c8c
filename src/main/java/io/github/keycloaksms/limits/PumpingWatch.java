package io.github.keycloaksms.limits;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.keycloak.models.SingleUseObjectProvider;

import io.github.keycloaksms.phone.PhoneNumber;

/**
 * Watches, per realm, what share of the codes sent to each country calling code and to each number
 * prefix comes back entered: pumped numbers never type their code, real users type most of theirs.
 * Codes sent and codes entered are counted cluster-wide in the single-use store, in six buckets per
 * window (the window slides by a sixth). A country or prefix that was sent enough codes with too
 * few entered is paused for a cool-off; the first node to see it starts the pause, every node then
 * honours it.
 */
public final class PumpingWatch {

    public enum Mode { OFF, MONITOR, ENFORCE }

    /**
     * @param window               how far back codes are counted
     * @param minSendsPerPrefix    codes a prefix must have been sent in the window before it can be judged
     * @param minSendsPerCountry   the same for a whole country calling code
     * @param minConversionPercent below this share of codes entered, a country or prefix is paused
     * @param pause                how long a pause lasts
     */
    public record Policy(Mode mode, Duration window, int minSendsPerPrefix, int minSendsPerCountry, int minConversionPercent,
                         Duration pause) {
    }

    /**
     * A country ({@code +49}) or prefix ({@code +49151234}) paused until {@code until}, with the
     * counts that paused it; {@code enforced} is false in monitor mode, where it only says what
     * would have been paused (a realm switched to enforce enforces the pauses on at that moment).
     */
    public record Pause(String scope, Instant until, long sent, long entered, boolean enforced) {
    }

    /** A pause that holds for a number; {@code started}: this call started it, so the caller announces it, once. */
    public record Verdict(Pause pause, boolean started) {
    }

    /** The digits a prefix leaves out: numbers are handed to carriers in blocks of 10,000. */
    static final int HIDDEN_DIGITS = 4;
    private static final int BUCKETS = 6;
    /** More codes than any realm sends to one scope in a bucket: the counter's ceiling. */
    private static final int MAX_COUNT = 1_000_000;

    private final SingleUseObjectProvider store;
    private final WindowSlots slots;
    private final String prefix;
    private final Policy policy;

    public PumpingWatch(SingleUseObjectProvider store, String realmId, Policy policy) {
        this.store = store;
        this.slots = new WindowSlots(store);
        this.prefix = "sms-pump:" + realmId + ":";
        this.policy = policy;
    }

    /** The number's prefix: its E.164 form without the last {@value #HIDDEN_DIGITS} digits. */
    public static String prefixOf(PhoneNumber to) {
        String e164 = to.e164();
        return e164.substring(0, Math.max(2, e164.length() - HIDDEN_DIGITS));
    }

    public static String countryOf(PhoneNumber to) {
        return "+" + to.countryCode();
    }

    /** Counts a code that went out to {@code to}. */
    public void sent(PhoneNumber to, Instant now) {
        count("sent", to, now);
    }

    /** Counts a code to {@code to} that was entered right. */
    public void entered(PhoneNumber to, Instant now) {
        count("entered", to, now);
    }

    private void count(String what, PhoneNumber to, Instant now) {
        if (policy.mode() == Mode.OFF) {
            return;
        }
        for (String scope : List.of(countryOf(to), prefixOf(to))) {
            slots.claim(prefix + what + ":" + scope, MAX_COUNT, bucket(), now, policy.window());
        }
    }

    /**
     * The pause that holds for codes to {@code to} now: one already on for its country or prefix,
     * or one this call starts because too few of the codes sent there were entered. Empty when the
     * watch is off or codes may go.
     */
    public Optional<Verdict> judge(PhoneNumber to, Instant now) {
        if (policy.mode() == Mode.OFF) {
            return Optional.empty();
        }
        String country = countryOf(to);
        List<String> scopes = List.of(country, prefixOf(to));
        for (String scope : scopes) {
            Optional<Pause> on = pauseOf(scope, now);
            if (on.isPresent()) {
                return Optional.of(new Verdict(on.get(), false));
            }
        }
        for (String scope : scopes) {
            int minSends = scope.equals(country) ? policy.minSendsPerCountry() : policy.minSendsPerPrefix();
            long sent = total("sent", scope, now);
            if (sent < minSends || store.contains(prefix + "lifted:" + scope)) {
                continue;
            }
            long entered = total("entered", scope, now);
            if (entered * 100 < sent * policy.minConversionPercent()) {
                return Optional.of(start(scope, sent, entered, now));
            }
        }
        return Optional.empty();
    }

    /** The pause on {@code scope} now, if one is. */
    public Optional<Pause> pauseOf(String scope, Instant now) {
        Map<String, String> notes = store.get(prefix + "pause:" + scope);
        if (notes == null) {
            return Optional.empty();
        }
        Pause pause = new Pause(scope, Instant.ofEpochSecond(Long.parseLong(notes.get("until"))), Long.parseLong(notes.get("sent")),
                Long.parseLong(notes.get("entered")), policy.mode() == Mode.ENFORCE);
        return pause.until().isAfter(now) ? Optional.of(pause) : Optional.empty();
    }

    /**
     * Ends a pause before its time; the scope is then not judged again for one window, so that the
     * codes counted before the lift do not pause it at once.
     */
    public void lift(String scope) {
        store.remove(prefix + "pause:" + scope);
        store.remove(prefix + "pause-claim:" + scope);
        store.putIfAbsent(prefix + "lifted:" + scope, policy.window().toSeconds());
    }

    private Verdict start(String scope, long sent, long entered, Instant now) {
        Pause pause = new Pause(scope, now.plus(policy.pause()), sent, entered, policy.mode() == Mode.ENFORCE);
        boolean first = store.putIfAbsent(prefix + "pause-claim:" + scope, policy.pause().toSeconds());
        if (first) {
            store.put(prefix + "pause:" + scope, policy.pause().toSeconds(), Map.of("until", Long.toString(pause.until().getEpochSecond()),
                    "sent", Long.toString(sent), "entered", Long.toString(entered)));
        }
        return new Verdict(pause, first);
    }

    private long total(String what, String scope, Instant now) {
        Duration bucket = bucket();
        long current = now.getEpochSecond() / bucket.toSeconds();
        long total = 0;
        for (long index = current - BUCKETS + 1; index <= current; index++) {
            total += slots.taken(prefix + what + ":" + scope, MAX_COUNT, index);
        }
        return total;
    }

    private Duration bucket() {
        return policy.window().dividedBy(BUCKETS);
    }
}
