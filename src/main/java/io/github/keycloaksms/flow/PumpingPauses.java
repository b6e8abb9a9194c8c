package io.github.keycloaksms.flow;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import io.github.keycloaksms.config.SmsSettings;
import io.github.keycloaksms.limits.PumpingWatch;
import io.github.keycloaksms.metrics.SmsMetrics;
import io.github.keycloaksms.phone.PhoneNumber;

/**
 * The pumping watch at the entry points that answer strangers (phone sign-in, sign-up, reset):
 * counts their codes sent and entered, and keeps their sends from a paused country or prefix. A
 * pause and its end are logged once, recorded as events, counted, and listed for the admin in a
 * realm attribute (the store cannot list its keys). Everything here runs after the visitor's
 * response or for a right code, so a paused prefix looks to visitors like any other.
 */
public final class PumpingPauses {

    public static final String PAUSED_ERROR = "sms_pumping_paused";
    public static final String PAUSE_ENDED_ERROR = "sms_pumping_pause_ended";
    public static final String SCOPE_DETAIL = "sms_scope";
    /** The {@code reason} of a send refused under a pause. */
    public static final String SEND_REFUSED_REASON = "pumping_paused";
    /** Where the realm lists its pauses: {@code scope@until,...} with until in epoch seconds. */
    static final String PAUSES_ATTRIBUTE = "sms.pumpingPauses";

    private static final Logger LOG = Logger.getLogger(PumpingPauses.class);

    private final KeycloakSession session;
    private final RealmModel realm;
    private final PumpingWatch watch;
    private final PumpingWatch.Policy policy;

    public PumpingPauses(KeycloakSession session, RealmModel realm, SmsSettings settings) {
        this.session = session;
        this.realm = realm;
        this.policy = settings.pumpingWatch();
        this.watch = new PumpingWatch(session.singleUseObjects(), realm.getId(), policy);
    }

    /**
     * A pause as the admin API shows it: its country or prefix, its end (ISO 8601), the counts that
     * started it, and whether codes are refused (false in monitor mode).
     */
    public record Listed(String scope, String until, long sent, long entered, boolean enforced) {
    }

    /**
     * Whether a code to {@code to} must not go out now: true under a pause in enforce mode. A pause
     * this call starts (in monitor mode too) is announced; pauses past their end are closed.
     *
     * @param event the send's event, for the pause's own
     */
    public boolean holds(PhoneNumber to, EventBuilder event) {
        if (policy.mode() == PumpingWatch.Mode.OFF) {
            return false;
        }
        Instant now = Instant.now();
        closeEnded(event, now);
        Optional<PumpingWatch.Verdict> verdict = watch.judge(to, now);
        verdict.filter(PumpingWatch.Verdict::started).ifPresent(started -> announce(started.pause(), event));
        return verdict.map(v -> v.pause().enforced()).orElse(false);
    }

    public void sent(PhoneNumber to) {
        watch.sent(to, Instant.now());
    }

    public void entered(PhoneNumber to) {
        watch.entered(to, Instant.now());
    }

    /** The realm's pauses that are on now, in monitor mode what would be paused. */
    public List<Listed> list() {
        Instant now = Instant.now();
        return listed().stream().map(entry -> watch.pauseOf(entry.scope(), now)).flatMap(Optional::stream)
                .map(pause -> new Listed(pause.scope(), pause.until().toString(), pause.sent(), pause.entered(), pause.enforced()))
                .toList();
    }

    /** Lifts the pause on {@code scope}; false when there is none. */
    public boolean lift(String scope) {
        if (watch.pauseOf(scope, Instant.now()).isEmpty()) {
            return false;
        }
        watch.lift(scope);
        unlist(entry -> entry.scope().equals(scope));
        LOG.infof("SMS pumping watch in realm %s: the pause on %s was lifted by an admin", realm.getName(), scope);
        SmsMetrics.pumpingPause(kind(scope), "lifted");
        return true;
    }

    private void announce(PumpingWatch.Pause pause, EventBuilder event) {
        List<Entry> listed = new ArrayList<>(listed());
        listed.removeIf(entry -> entry.scope().equals(pause.scope()));
        listed.add(new Entry(pause.scope(), pause.until().getEpochSecond()));
        save(listed);
        String what = pause.enforced() ? "paused" : "would be paused (monitor mode)";
        LOG.warnf("SMS pumping watch in realm %s: codes to %s %s for %d min at phone sign-in, sign-up and reset: %d sent, "
                        + "%d entered in the last %d min", realm.getName(), pause.scope(), what,
                policy.pause().toMinutes(), pause.sent(), pause.entered(),
                policy.window().toMinutes());
        SmsMetrics.pumpingPause(kind(pause.scope()), pause.enforced() ? "started" : "monitored");
        event.clone().detail(SCOPE_DETAIL, pause.scope()).detail("sms_sent", Long.toString(pause.sent()))
                .detail("sms_entered", Long.toString(pause.entered())).detail(Details.REASON, policy.mode().name().toLowerCase(Locale.ROOT))
                .error(PAUSED_ERROR);
    }

    /** Pauses on the list whose time is over: said once, across the cluster, then taken off the list. */
    private void closeEnded(EventBuilder event, Instant now) {
        List<Entry> ended = listed().stream().filter(entry -> entry.until() <= now.getEpochSecond()).toList();
        if (ended.isEmpty()) {
            return;
        }
        unlist(ended::contains);
        for (Entry entry : ended) {
            if (session.singleUseObjects().putIfAbsent("sms-pump:" + realm.getId() + ":ended:" + entry.scope() + "@" + entry.until(),
                    Duration.ofDays(1).toSeconds())) {
                LOG.infof("SMS pumping watch in realm %s: the pause on %s is over", realm.getName(), entry.scope());
                SmsMetrics.pumpingPause(kind(entry.scope()), "ended");
                event.clone().detail(SCOPE_DETAIL, entry.scope()).error(PAUSE_ENDED_ERROR);
            }
        }
    }

    /** One pause on the realm's list. */
    private record Entry(String scope, long until) {
    }

    private List<Entry> listed() {
        String value = realm.getAttribute(PAUSES_ATTRIBUTE);
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<Entry> entries = new ArrayList<>();
        for (String entry : value.split(",")) {
            int at = entry.lastIndexOf('@');
            if (at > 0) {
                entries.add(new Entry(entry.substring(0, at), Long.parseLong(entry.substring(at + 1))));
            }
        }
        return entries;
    }

    private void unlist(Predicate<Entry> gone) {
        save(listed().stream().filter(gone.negate()).toList());
    }

    private void save(List<Entry> entries) {
        if (entries.isEmpty()) {
            realm.removeAttribute(PAUSES_ATTRIBUTE);
        } else {
            realm.setAttribute(PAUSES_ATTRIBUTE, entries.stream().map(entry -> entry.scope() + "@" + entry.until())
                    .collect(Collectors.joining(",")));
        }
    }

    /** A country calling code ({@code +49}) or a number prefix. */
    private static String kind(String scope) {
        return scope.length() <= 4 ? "country" : "prefix";
    }
}
