package io.github.keycloaksms.limits;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.keycloak.models.SingleUseObjectProvider;

/**
 * Cluster-wide send limits and budgets in Keycloak's single-use object store, claimed atomically
 * before any gateway is called. The caller's own limits (cooldown, this login, this user, this
 * client address) come first, then the number's, then the country's and the realm's budgets; when
 * one refuses, the slots already claimed for this send are given back, so a refused send costs
 * nobody anything and a few store operations per limit.
 */
public final class SendLimits {

    /** Why a send was refused, with the message the user reads. */
    public enum Exceeded {
        COOLDOWN("smsResendWait"),
        LOGIN("smsLimitLogin"),
        USER("smsLimitUser"),
        CLIENT_IP("smsLimitIp"),
        NUMBER("smsLimitNumber"),
        COUNTRY("smsLimitBudget"),
        REALM("smsLimitBudget");

        private final String messageKey;

        Exceeded(String messageKey) {
            this.messageKey = messageKey;
        }

        public String messageKey() {
            return messageKey;
        }
    }

    /**
     * What a code proves. Enrollment sends go to a number nobody has proved yet, login sends to a
     * proved one, phone sign-in sends to whatever number a visitor typed; each counts in its own
     * per-number budget, so nobody can use up another user's login codes by trying to enroll or
     * sign in with that user's number.
     */
    public enum Purpose {
        LOGIN("number-login:"),
        ENROLLMENT("number-enroll:"),
        PHONE_SIGN_IN("number-phone:"),
        RESET("number-reset:");

        private final String numberKey;

        Purpose(String numberKey) {
            this.numberKey = numberKey;
        }
    }

    /**
     * Who and what a send is for; none of it is a full number (the number is its blind index).
     *
     * @param userId        null before anyone is known (phone sign-in): the number's limit stands for the user's
     * @param clientAddress an IPv4 address or an IPv6 /64 (see {@link ClientAddress})
     */
    public record Subject(String realmId, String loginId, String userId, Purpose purpose, String numberIndex,
                          int countryCode, String clientAddress) {
    }

    /** The limits from the realm's settings. */
    public record Policy(Duration cooldown, int perLogin, int perUserPerDay, int perNumberPerDay, int perIpPerHour,
                         int perCountryPerHour, int perRealmPerHour) {
    }

    private record Limit(Exceeded exceeded, String key, int max, Duration window) {
    }

    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration HOUR = Duration.ofHours(1);

    private final SingleUseObjectProvider store;
    private final WindowSlots slots;

    public SendLimits(SingleUseObjectProvider store) {
        this.store = store;
        this.slots = new WindowSlots(store);
    }

    /** Claims one send for the subject, or says which limit stands in the way. */
    public Optional<Exceeded> claim(Subject subject, Policy policy, Instant now) {
        return claim(subject, policy, now, EnumSet.allOf(Exceeded.class));
    }

    /**
     * Claims one send against {@code which} limits only (the cooldown is one of them): a step that
     * must not tell whose account it serves claims the visitor's limits when it answers, and the
     * number's and the budgets later, once it knows the number.
     */
    public Optional<Exceeded> claim(Subject subject, Policy policy, Instant now, Set<Exceeded> which) {
        String prefix = "sms-limit:" + subject.realmId() + ":";
        // per number: a login may go on to enroll another number, or correct a typo, without waiting
        String cooldownKey = prefix + "cooldown:" + subject.loginId() + ":" + subject.numberIndex();
        if (which.contains(Exceeded.COOLDOWN) && !policy.cooldown().isZero()
                && !store.putIfAbsent(cooldownKey, policy.cooldown().toSeconds())) {
            return Optional.of(Exceeded.COOLDOWN);
        }
        List<String> claimed = new ArrayList<>();
        for (Limit limit : limits(prefix, subject, policy)) {
            if (!which.contains(limit.exceeded())) {
                continue;
            }
            Optional<String> slot = slots.claim(limit.key(), limit.max(), limit.window(), now);
            if (slot.isEmpty()) {
                claimed.forEach(slots::release);
                return Optional.of(limit.exceeded());
            }
            claimed.add(slot.get());
        }
        return Optional.empty();
    }

    private static List<Limit> limits(String prefix, Subject subject, Policy policy) {
        List<Limit> limits = new ArrayList<>();
        limits.add(new Limit(Exceeded.LOGIN, prefix + "login:" + subject.loginId(), policy.perLogin(), DAY));
        if (subject.userId() != null) {
            limits.add(new Limit(Exceeded.USER, prefix + "user:" + subject.userId(), policy.perUserPerDay(), DAY));
        }
        limits.addAll(List.of(
                new Limit(Exceeded.CLIENT_IP, prefix + "ip:" + subject.clientAddress(), policy.perIpPerHour(), HOUR),
                new Limit(Exceeded.NUMBER, prefix + subject.purpose().numberKey + subject.numberIndex(), policy.perNumberPerDay(), DAY),
                new Limit(Exceeded.COUNTRY, prefix + "country:" + subject.countryCode(), policy.perCountryPerHour(), HOUR),
                new Limit(Exceeded.REALM, prefix + "realm", policy.perRealmPerHour(), HOUR)));
        return limits;
    }
}
