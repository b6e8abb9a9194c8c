package io.github.keycloaksms.flow;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

import org.jboss.logging.Logger;
import org.keycloak.Config;

/**
 * A few threads and a bounded queue for the sends that run after a response (phone sign-in,
 * reset), so that the response never waits for a gateway, and a flood costs the server a full
 * queue, not threads or memory. The realms of a node share them fairly: the threads take the
 * realms' jobs in turn, one realm runs on at most half the threads, and one realm's jobs fill at
 * most a share of the queue that leaves room for others; so a realm whose gateway is slow, or
 * whose steps are flooded, delays its own codes, not those of the other realms.
 */
public final class BackgroundSends {

    private static final Logger LOG = Logger.getLogger(BackgroundSends.class);

    private final int capacity;
    private final int maxRunningPerRealm;
    /** Per realm, its jobs waiting; only realms with some are keys. */
    private final Map<String, ArrayDeque<Runnable>> waiting = new HashMap<>();
    /** The realms with waiting jobs, the next to be served first. */
    private final ArrayDeque<String> turns = new ArrayDeque<>();
    private final Map<String, Integer> running = new HashMap<>();
    private int size;
    private boolean stopped;

    public BackgroundSends(int threads, int capacity) {
        this.capacity = capacity;
        this.maxRunningPerRealm = Math.max(1, threads / 2);
        for (int i = 1; i <= threads; i++) {
            Thread worker = new Thread(this::work, "sms-after-response-" + i);
            worker.setDaemon(true);
            worker.start();
        }
    }

    /** A pool sized by the operator options {@code send-threads} and {@code send-queue} of the step's SPI scope. */
    public static BackgroundSends configured(Config.Scope config, int defaultThreads, int defaultQueueSize) {
        return new BackgroundSends(Math.max(1, config.getInt("send-threads", defaultThreads)),
                Math.max(1, config.getInt("send-queue", defaultQueueSize)));
    }

    /**
     * Runs the job soon, in the realm's turn; false, at once, when the queue is full or the realm
     * holds its share of it: the capacity over the number of realms waiting, plus one for a newcomer.
     */
    public synchronized boolean submit(String realmId, Runnable job) {
        ArrayDeque<Runnable> jobs = waiting.get(realmId);
        int otherRealms = waiting.size() - (jobs == null ? 0 : 1);
        int share = Math.max(1, capacity / (otherRealms + 2));
        if (stopped || size >= capacity || jobs != null && jobs.size() >= share) {
            return false;
        }
        if (jobs == null) {
            jobs = new ArrayDeque<>();
            waiting.put(realmId, jobs);
            turns.addLast(realmId);
        }
        jobs.addLast(job);
        size++;
        notifyAll();
        return true;
    }

    public synchronized void shutdown() {
        stopped = true;
        notifyAll();
    }

    private void work() {
        try {
            for (Turn turn = next(); turn != null; turn = next()) {
                try {
                    turn.job().run();
                } catch (RuntimeException e) {
                    LOG.warn("A send after a response failed", e);
                } finally {
                    done(turn.realmId());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Turn(String realmId, Runnable job) {
    }

    /** The first waiting job of the first realm in turn that runs on fewer than its share of threads; null once stopped. */
    private synchronized Turn next() throws InterruptedException {
        while (!stopped) {
            for (int i = turns.size(); i > 0; i--) {
                String realmId = turns.pollFirst();
                if (running.getOrDefault(realmId, 0) < maxRunningPerRealm) {
                    ArrayDeque<Runnable> jobs = waiting.get(realmId);
                    Runnable job = jobs.pollFirst();
                    size--;
                    if (jobs.isEmpty()) {
                        waiting.remove(realmId);
                    } else {
                        turns.addLast(realmId);
                    }
                    running.merge(realmId, 1, Integer::sum);
                    return new Turn(realmId, job);
                }
                turns.addLast(realmId);
            }
            wait();
        }
        return null;
    }

    private synchronized void done(String realmId) {
        running.computeIfPresent(realmId, (realm, count) -> count > 1 ? count - 1 : null);
        notifyAll();
    }
}
