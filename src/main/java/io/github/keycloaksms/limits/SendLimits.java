package io.github.keycloaksms.limits;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.keycloak.models.SingleUseObjectProvider;

/**
 * Cluster-wide send limits in Keycloak's single-use object store. A limit of N per window is N
 * slots; a send claims a free slot with the store's atomic {@code putIfAbsent}, and each slot
 * frees itself when its window ends, so concurrent requests on any node never exceed N.
 */
public final class SendLimits {

    /** Why a send was refused, with the message the user reads. */
    public enum Exceeded {
        COOLDOWN("smsResendWait"),
        LOGIN("smsLimitLogin"),
        NUMBER("smsLimitNumber"),
        USER("smsLimitUser"),
        CLIENT_IP("smsLimitIp");

        private final String messageKey;

        Exceeded(String messageKey) {
            this.messageKey = messageKey;
        }

        public String messageKey() {
            return messageKey;
        }
    }

    /** Who and what a send is for; none of it is a full number (the number is its blind index). */
    public record Subject(String realmId, String loginId, String userId, String numberIndex, String clientIp) {
    }

    /** The limits from the realm's settings. */
    public record Policy(Duration cooldown, int perLogin, int perUserPerDay, int perNumberPerDay, int perIpPerHour) {
    }

    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration HOUR = Duration.ofHours(1);

    private final SingleUseObjectProvider store;

    public SendLimits(SingleUseObjectProvider store) {
        this.store = store;
    }

    /**
     * Claims one send for the subject, or says which limit stands in the way. The narrowest limits
     * are checked first, so a refused resend does not use up the wider ones.
     */
    public Optional<Exceeded> claim(Subject subject, Policy policy) {
        String prefix = "sms-limit:" + subject.realmId() + ":";
        // per number: a login may go on to enroll another number, or correct a typo, without waiting
        String cooldownKey = prefix + "cooldown:" + subject.loginId() + ":" + subject.numberIndex();
        if (!policy.cooldown().isZero() && !store.putIfAbsent(cooldownKey, policy.cooldown().toSeconds())) {
            return Optional.of(Exceeded.COOLDOWN);
        }
        if (!claimSlot(prefix + "login:" + subject.loginId(), policy.perLogin(), DAY)) {
            return Optional.of(Exceeded.LOGIN);
        }
        if (!claimSlot(prefix + "number:" + subject.numberIndex(), policy.perNumberPerDay(), DAY)) {
            return Optional.of(Exceeded.NUMBER);
        }
        if (!claimSlot(prefix + "user:" + subject.userId(), policy.perUserPerDay(), DAY)) {
            return Optional.of(Exceeded.USER);
        }
        if (!claimSlot(prefix + "ip:" + subject.clientIp(), policy.perIpPerHour(), HOUR)) {
            return Optional.of(Exceeded.CLIENT_IP);
        }
        return Optional.empty();
    }

    /** Marks a code as used; true only for the first caller, on whichever node. */
    public boolean redeem(String realmId, String codeHash, Duration ttl) {
        return store.putIfAbsent("sms-used:" + realmId + ":" + codeHash, Math.max(1, ttl.toSeconds()));
    }

    /**
     * A limit of N is N slots, each claimed atomically; a send needs a free one. Probing from a
     * random slot finds one in about N / (N - taken) tries instead of one try per earlier send,
     * which counts when every try is a call across the cluster.
     */
    private boolean claimSlot(String key, int limit, Duration window) {
        int first = ThreadLocalRandom.current().nextInt(limit);
        for (int i = 0; i < limit; i++) {
            if (store.putIfAbsent(key + ":" + (first + i) % limit, window.toSeconds())) {
                return true;
            }
        }
        return false;
    }
}
