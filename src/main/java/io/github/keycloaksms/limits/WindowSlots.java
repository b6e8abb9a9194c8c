package io.github.keycloaksms.limits;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.keycloak.models.SingleUseObjectProvider;

/**
 * Counts claims per fixed time window in Keycloak's cluster-wide single-use store. A limit of N
 * is N numbered slots per window, each claimed with the store's atomic {@code putIfAbsent}, so no
 * number of concurrent claims on any node gets more than N. Claims take the lowest free slot, so
 * taken slots form a prefix: a binary search finds the next free one, and a full window is known
 * after about log2(N) reads, without a write. All slots of a window expire when the window ends.
 */
final class WindowSlots {

    private final SingleUseObjectProvider store;

    WindowSlots(SingleUseObjectProvider store) {
        this.store = store;
    }

    /** Claims a slot; its key, to give it back with {@link #release(String)}, or empty when all are taken. */
    Optional<String> claim(String key, int limit, Duration window, Instant now) {
        long windowSeconds = window.toSeconds();
        long windowIndex = now.getEpochSecond() / windowSeconds;
        long lifespan = (windowIndex + 1) * windowSeconds - now.getEpochSecond();
        String prefix = key + ":" + windowIndex + ":";
        int low = 0;
        int high = limit;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (store.contains(prefix + middle)) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        // a concurrent claim may take the slot first: the next one is tried
        for (int slot = low; slot < limit; slot++) {
            if (store.putIfAbsent(prefix + slot, lifespan)) {
                return Optional.of(prefix + slot);
            }
        }
        return Optional.empty();
    }

    /** Gives back a slot claimed for a send that did not happen. */
    void release(String slotKey) {
        store.remove(slotKey);
    }
}
