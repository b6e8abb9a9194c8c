package io.github.keycloaksms.limits;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.keycloak.models.SingleUseObjectProvider;

/**
 * How often one code may be tried and used, cluster-wide: each entry claims one of the code's
 * attempt slots before it is compared, and a right code is redeemed once. Entries posted in
 * parallel, on one node or several, never get more comparisons than the code has attempts.
 */
public final class CodeUse {

    private final SingleUseObjectProvider store;
    private final String realmId;

    public CodeUse(SingleUseObjectProvider store, String realmId) {
        this.store = store;
        this.realmId = realmId;
    }

    /**
     * Claims the next attempt at the code.
     *
     * @param triedBefore how many attempts this node knows were made (a hint: the search starts there)
     * @return the number of the attempt claimed, from 1 to {@code maxAttempts}, or 0 when none is left
     */
    public int claimAttempt(String codeHash, int maxAttempts, int triedBefore, Duration ttl) {
        for (int attempt = Math.max(0, triedBefore); attempt < maxAttempts; attempt++) {
            if (store.putIfAbsent("sms-attempt:" + realmId + ":" + codeHash + ":" + attempt, Math.max(1, ttl.toSeconds()))) {
                return attempt + 1;
            }
        }
        return 0;
    }

    /**
     * Notes that a code is being handed to a gateway, before the call: a code that never went out
     * is never accepted where {@link #wasSent} is asked. Taken back with {@link #unmarkSent} when the send fails.
     */
    public void markSent(String codeHash, Duration ttl) {
        store.putIfAbsent(sentKey(codeHash), Math.max(1, ttl.toSeconds()));
    }

    public void unmarkSent(String codeHash) {
        store.remove(sentKey(codeHash));
    }

    public boolean wasSent(String codeHash) {
        return store.contains(sentKey(codeHash));
    }

    /**
     * Leaves the number a code went to, for the check of an entry on a request that never knew it:
     * where the provider that made the code must be asked about the number.
     */
    public void leaveNumber(String codeHash, String e164, Duration ttl) {
        store.put(numberKey(codeHash), Math.max(1, ttl.toSeconds()), Map.of("to", e164));
    }

    /** The number {@link #leaveNumber} left for the code; empty when none was. */
    public Optional<String> numberSentTo(String codeHash) {
        Map<String, String> left = store.get(numberKey(codeHash));
        return left == null ? Optional.empty() : Optional.ofNullable(left.get("to"));
    }

    private String numberKey(String codeHash) {
        return "sms-to:" + realmId + ":" + codeHash;
    }

    private String sentKey(String codeHash) {
        return "sms-sent:" + realmId + ":" + codeHash;
    }

    /** Marks a code as used; true only for the first caller, on whichever node. */
    public boolean redeem(String codeHash, Duration ttl) {
        return store.putIfAbsent("sms-used:" + realmId + ":" + codeHash, Math.max(1, ttl.toSeconds()));
    }
}
