package io.github.keycloaksms.limits;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.keycloak.models.SingleUseObjectProvider;

/**
 * Counts claims per fixed time window in Keycloak's cluster-wide single-use store. A limit of N
 * is N numbered slots per window, each claimed with the store's atomic {@code putIfAbsent}, so no
 * number of concurrent claims on any node gets more than N. Claims take the lowest free slot, so
 * taken slots form a prefix: a search finds the next free one, and a full window is known without
 * a write. Each node remembers where it last found a free slot and claims that one first, so that a
 * claim is usually one write, not log2(N) reads and a write, which for a budget of 100,000 sends is
 * the difference. A slot another node gave back below this node's hint stays free until that node
 * claims it again: the limit never grows, it may count one refused send more. All slots of a window
 * expire when the window ends.
 */
final class WindowSlots {

    /** Per window, the slot this node expects to be the lowest free one. */
    private static final Map<String, Integer> NEXT_FREE = new ConcurrentHashMap<>();
    /** Beyond this many windows the hints are dropped, and the next claims search from the start. */
    private static final int MAX_HINTS = 10_000;

    private final SingleUseObjectProvider store;

    WindowSlots(SingleUseObjectProvider store) {
        this.store = store;
    }

    /** Claims a slot; its key, to give it back with {@link #release(String)}, or empty when all are taken. */
    Optional<String> claim(String key, int limit, Duration window, Instant now) {
        return claim(key, limit, window, now, Duration.ZERO);
    }

    /** The same, the window's slots kept for {@code keptAfter} beyond its end, to be counted by later windows. */
    Optional<String> claim(String key, int limit, Duration window, Instant now, Duration keptAfter) {
        long windowSeconds = window.toSeconds();
        long windowIndex = now.getEpochSecond() / windowSeconds;
        long lifespan = (windowIndex + 1) * windowSeconds - now.getEpochSecond() + keptAfter.toSeconds();
        String prefix = key + ":" + windowIndex + ":";
        // a concurrent claim may take the slot first: the next free one is tried
        for (int slot = start(prefix, limit); slot < limit; slot = nextFree(prefix, slot + 1, limit)) {
            if (store.putIfAbsent(prefix + slot, lifespan)) {
                remember(prefix, slot + 1);
                return Optional.of(prefix + slot);
            }
        }
        remember(prefix, limit);
        return Optional.empty();
    }

    /**
     * How many slots of the window {@code windowIndex} are taken: the lowest free one, searched
     * from this node's hint, so a count this node keeps up is one read.
     */
    int taken(String key, int limit, long windowIndex) {
        String prefix = key + ":" + windowIndex + ":";
        int hint = Math.min(NEXT_FREE.getOrDefault(prefix, 0), limit);
        if (hint > 0 && !store.contains(prefix + (hint - 1))) {
            hint = 0;   // given back or expired below the hint: search from the start
        }
        return nextFree(prefix, hint, limit);
    }

    /** Where to try first: this node's hint; when it says the window is full and the last slot is free, the lowest free slot. */
    private int start(String prefix, int limit) {
        int hint = Math.min(NEXT_FREE.getOrDefault(prefix, 0), limit);
        return hint < limit || store.contains(prefix + (limit - 1)) ? hint : nextFree(prefix, 0, limit);
    }

    /** The lowest free slot from {@code from} on: steps of growing size up to a free one (or the limit), then a binary search in the last step. */
    private int nextFree(String prefix, int from, int limit) {
        int low = from;
        int high = from;
        for (int step = 1; high < limit && store.contains(prefix + high); step *= 2) {
            low = high + 1;
            high = Math.min(limit, high + step);
        }
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (store.contains(prefix + middle)) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    private static void remember(String prefix, int nextFree) {
        if (NEXT_FREE.size() >= MAX_HINTS) {
            NEXT_FREE.clear();
        }
        NEXT_FREE.put(prefix, nextFree);
    }

    /** Gives back a slot claimed for a send that did not happen. */
    void release(String slotKey) {
        store.remove(slotKey);
        int split = slotKey.lastIndexOf(':') + 1;
        int slot = Integer.parseInt(slotKey.substring(split));
        NEXT_FREE.computeIfPresent(slotKey.substring(0, split), (prefix, next) -> Math.min(next, slot));
    }
}
