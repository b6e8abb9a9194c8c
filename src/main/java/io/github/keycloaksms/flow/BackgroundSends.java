package io.github.keycloaksms.flow;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.keycloak.Config;

/**
 * A few threads and a bounded queue for the sends of phone sign-in, so that the response to a
 * typed number never waits for a gateway, and a flood of numbers costs the server a full queue,
 * not threads or memory.
 */
public final class BackgroundSends {

    private final ThreadPoolExecutor executor;

    public BackgroundSends(int threads, int queueSize) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory names = job -> {
            Thread thread = new Thread(job, "sms-phone-sign-in-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queueSize), names,
                new ThreadPoolExecutor.AbortPolicy());
        executor.allowCoreThreadTimeOut(true);
    }

    /** A pool sized by the operator options {@code send-threads} and {@code send-queue} of the step's SPI scope. */
    public static BackgroundSends configured(Config.Scope config, int defaultThreads, int defaultQueueSize) {
        return new BackgroundSends(Math.max(1, config.getInt("send-threads", defaultThreads)),
                Math.max(1, config.getInt("send-queue", defaultQueueSize)));
    }

    /** Runs the job soon on one of the threads; false, at once, when the queue is full. */
    public boolean submit(Runnable job) {
        try {
            executor.execute(job);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    public void shutdown() {
        executor.shutdown();
    }
}
