package io.procura.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The shared proving queue: never more proofs at once than permits; designate work first, then by deadline. */
class ProvingQueueTest {
    @Test
    void concurrentProvesFromManyAgentsNeverExceedThePermits() throws Exception {
        ProvingQueue queue = new ProvingQueue(2);
        AtomicInteger now = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        ExecutorService agents = Executors.newFixedThreadPool(12);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                int k = i;
                done.add(agents.submit(() -> queue.run(k % 3 == 0 ? ProvingQueue.Priority.DESIGNATE
                        : ProvingQueue.Priority.COMMITTEE, 1000 + k, () -> {
                    int running = now.incrementAndGet();
                    peak.accumulateAndGet(running, Math::max);
                    try {
                        Thread.sleep(3);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    now.decrementAndGet();
                    return k;
                })));
            }
            for (Future<Integer> f : done) f.get(30, TimeUnit.SECONDS);
        } finally {
            agents.shutdownNow();
        }
        assertThat(peak.get()).as("proofs seen running at once").isLessThanOrEqualTo(2).isEqualTo(queue.peakRunning());
        assertThat(queue.peakRunning()).as("the two permits were used").isEqualTo(2);
        assertThat(queue.granted(ProvingQueue.Priority.DESIGNATE)).isEqualTo(20);
        assertThat(queue.granted(ProvingQueue.Priority.COMMITTEE)).isEqualTo(40);
        assertThat(queue.waiting()).isZero();
    }

    @Test
    void designateWorkGoesFirstThenEarlierDeadlines() throws Exception {
        ProvingQueue queue = new ProvingQueue(1);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        Thread holder = new Thread(() -> queue.run(ProvingQueue.Priority.COMMITTEE, 0, () -> {
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return null;
        }));
        holder.start();
        holding.await();
        // while the one permit is held, queue committee work first, then designate work, in mixed deadline order
        List<Thread> waiters = new ArrayList<>();
        String[][] jobs = {{"C", "30"}, {"C", "10"}, {"D", "50"}, {"D", "20"}, {"C", "5"}};
        for (String[] j : jobs) {
            ProvingQueue.Priority p = j[0].equals("D") ? ProvingQueue.Priority.DESIGNATE : ProvingQueue.Priority.COMMITTEE;
            Thread t = new Thread(() -> queue.run(p, Long.parseLong(j[1]), () -> order.add(j[0] + j[1])));
            t.start();
            waiters.add(t);
            while (queue.waiting() < waiters.size()) Thread.sleep(1);
        }
        release.countDown();
        holder.join(10_000);
        for (Thread t : waiters) t.join(10_000);
        assertThat(order).containsExactly("D20", "D50", "C5", "C10", "C30");
    }

    @Test
    void anInterruptedWaiterLeavesTheQueueAndTheWorkFreesItsPermitWhenItThrows() throws Exception {
        ProvingQueue queue = new ProvingQueue(1);
        assertThatThrownBy(() -> queue.run(ProvingQueue.Priority.DESIGNATE, 1, () -> {
            throw new IllegalArgumentException("proof failed");
        })).hasMessage("proof failed");
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> queue.run(ProvingQueue.Priority.DESIGNATE, 1, () -> {
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return null;
        }));
        holder.start();
        holding.await();
        List<Throwable> seen = Collections.synchronizedList(new ArrayList<>());
        Thread waiter = new Thread(() -> {
            try {
                queue.run(ProvingQueue.Priority.COMMITTEE, 1, () -> null);
            } catch (IllegalStateException e) {
                seen.add(e);
            }
        });
        waiter.start();
        while (queue.waiting() < 1) Thread.sleep(1);
        waiter.interrupt();
        waiter.join(10_000);
        assertThat(seen).hasSize(1);
        assertThat(queue.waiting()).isZero();
        release.countDown();
        holder.join(10_000);
        assertThat(queue.run(ProvingQueue.Priority.COMMITTEE, 1, () -> "free")).isEqualTo("free");
        assertThatThrownBy(() -> new ProvingQueue(0)).hasMessageContaining(">= 1 permit");
    }
}
