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
     * sign in with that user's number. Sends that visitors who proved nothing ask for (phone
     * sign-in, reset) draw on budgets of their own, and a reset on a per-user count of its own, so
     * that strangers cannot use up the codes of users who gave their password.
     */
    public enum Purpose {
        LOGIN("number-login:", "user:", false),
        ENROLLMENT("number-enroll:", "user:", false),
        PHONE_SIGN_IN("number-phone:", "user:", true),
        RESET("number-reset:", "user-reset:", true);

        private final String numberKey;
        private final String userKey;
        private final boolean askedByVisitors;

        Purpose(String numberKey, String userKey, boolean askedByVisitors) {
            this.numberKey = numberKey;
            this.userKey = userKey;
            this.askedByVisitors = askedByVisitors;
        }

        /** True for a send that a visitor who proved nothing may ask for: it draws on the visitors' budgets. */
        public boolean askedByVisitors() {
            return askedByVisitors;
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

    /** The limits from the realm's settings; budgets for sends to users who gave their password, and for sends visitors ask for. */
    public record Policy(Duration cooldown, int perLogin, int perUserPerDay, int perNumberPerDay, int perIpPerHour,
                         Budgets signedIn, Budgets visitors) {

        Budgets budgetsFor(Purpose purpose) {
            return purpose.askedByVisitors() ? visitors : signedIn;
        }
    }

    /** Caps on what one country calling code and the whole realm may be sent in an hour: the guard against SMS pumping. */
    public record Budgets(int perCountryPerHour, int perRealmPerHour) {
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
            limits.add(new Limit(Exceeded.USER, prefix + subject.purpose().userKey + subject.userId(), policy.perUserPerDay(), DAY));
        }
        Budgets budgets = policy.budgetsFor(subject.purpose());
        String budgetKey = prefix + (subject.purpose().askedByVisitors() ? "visitors-" : "");
        limits.addAll(List.of(
                new Limit(Exceeded.CLIENT_IP, prefix + "ip:" + subject.clientAddress(), policy.perIpPerHour(), HOUR),
                new Limit(Exceeded.NUMBER, prefix + subject.purpose().numberKey + subject.numberIndex(), policy.perNumberPerDay(), DAY),
                new Limit(Exceeded.COUNTRY, budgetKey + "country:" + subject.countryCode(), budgets.perCountryPerHour(), HOUR),
                new Limit(Exceeded.REALM, budgetKey + "realm", budgets.perRealmPerHour(), HOUR)));
        return limits;
    }
}
