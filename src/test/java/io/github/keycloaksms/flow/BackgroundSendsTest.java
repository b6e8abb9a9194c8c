package io.github.keycloaksms.flow;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class BackgroundSendsTest {

    @Test
    void aFullQueueRefusesAtOnceInsteadOfWaitingOrGrowing() throws InterruptedException {
        BackgroundSends sends = new BackgroundSends(1, 1);
        CountDownLatch gatewayHangs = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch queuedRan = new CountDownLatch(1);
        try {
            assertTrue(sends.submit("realm", () -> {
                started.countDown();
                await(gatewayHangs);
            }));
            assertTrue(started.await(5, TimeUnit.SECONDS));
            assertTrue(sends.submit("realm", queuedRan::countDown), "one waits in the queue");

            // a submit that waited for room would hang here, since the gateway never answers until the end
            assertFalse(assertTimeoutPreemptively(Duration.ofSeconds(5), () -> sends.submit("other", () -> { })), "the next is refused");

            gatewayHangs.countDown();
            assertTrue(queuedRan.await(5, TimeUnit.SECONDS), "the queued one runs once the thread is free");
        } finally {
            gatewayHangs.countDown();
            sends.shutdown();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aRealmWhoseGatewayHangsLeavesThreadsAndQueueToTheOthers() throws InterruptedException {
        BackgroundSends sends = new BackgroundSends(4, 100);
        CountDownLatch gatewayHangs = new CountDownLatch(1);
        CountDownLatch otherRan = new CountDownLatch(3);
        try {
            int accepted = 0;
            while (sends.submit("slow", () -> await(gatewayHangs))) {
                accepted++;
            }
            // half the queue waiting, the rest kept for other realms, and up to two running on half the threads
            assertTrue(accepted >= 50 && accepted <= 52, "accepted: " + accepted);
            for (int i = 0; i < 3; i++) {
                assertTrue(sends.submit("other-" + i, otherRan::countDown));
            }
            assertTrue(otherRan.await(5, TimeUnit.SECONDS), "two threads stay free of the slow realm's sends");
        } finally {
            gatewayHangs.countDown();
            sends.shutdown();
        }
    }
}
