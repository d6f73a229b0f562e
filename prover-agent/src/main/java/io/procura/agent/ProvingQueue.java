package io.procura.agent;

import java.util.PriorityQueue;
import java.util.function.Supplier;

/**
 * The proving queue of one process (or one device): at most {@link #permits()} Groth16 proofs run at once, whichever
 * agent asks. Agents multiplexed in one process ({@code procura loadtest}) share one queue, so fifty agents on two
 * cores run two proofs at a time rather than fifty; a standalone agent has its own queue of one (its worker proves one
 * slot at a time anyway, so that changes nothing).
 *
 * <p>Order: designate duties before committee work (a designate that misses its window is slashed; a committee
 * member that does only forgoes its share), then the earlier slot deadline (unix seconds of chain time), then arrival.
 * A waiting committee proof can therefore be overtaken by any number of designate proofs; it is not starved for
 * good, since the designate work of a market is bounded by its slots.
 *
 * <p>Thread-safe. Figures ({@link #peakRunning()}, {@link #granted(Priority)}) are for reports and tests.
 */
public final class ProvingQueue {
    /** What a proof is for, in the queue's order. */
    public enum Priority {
        /** the slot's drawn designate: its bond is at stake */
        DESIGNATE,
        /** a committee member proving by its private coin */
        COMMITTEE
    }

    private final int permits;
    private final PriorityQueue<Waiter> waiting = new PriorityQueue<>();
    private long sequence;
    private int running;
    private int peakRunning;
    private final long[] granted = new long[Priority.values().length];

    /**
     * @param permits proofs that may run at once, {@code >= 1} (e.g. the number of cores, or 1 per GPU)
     * @throws IllegalArgumentException if {@code permits < 1}
     */
    public ProvingQueue(int permits) {
        if (permits < 1) throw new IllegalArgumentException("the proving queue needs >= 1 permit, got " + permits);
        this.permits = permits;
    }

    /** @return a queue of one permit: a standalone agent's own queue */
    public static ProvingQueue single() {
        return new ProvingQueue(1);
    }

    /**
     * Waits for a turn (in the queue's order), runs {@code work} on the calling thread and frees the turn, also when
     * {@code work} throws.
     *
     * @param priority what the proof is for
     * @param deadline the slot's deadline, unix seconds of chain time (earlier first within a priority)
     * @param work     the proof
     * @param <T>      its result
     * @return what {@code work} returned
     * @throws IllegalStateException if the thread is interrupted while it waits (its interrupt flag is set again);
     *                               whatever {@code work} throws is passed on
     */
    public <T> T run(Priority priority, long deadline, Supplier<T> work) {
        acquire(priority, deadline);
        try {
            return work.get();
        } finally {
            release();
        }
    }

    private synchronized void acquire(Priority priority, long deadline) {
        Waiter me = new Waiter(priority, deadline, sequence++);
        waiting.add(me);
        try {
            while (running >= permits || waiting.peek() != me) wait();
        } catch (InterruptedException e) {
            waiting.remove(me);
            notifyAll(); // the next in line may be free to go now
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the proving queue", e);
        }
        waiting.poll();
        running++;
        peakRunning = Math.max(peakRunning, running);
        granted[priority.ordinal()]++;
        notifyAll(); // another permit may be free for the next in line
    }

    private synchronized void release() {
        running--;
        notifyAll();
    }

    /** @return the proofs that may run at once */
    public int permits() {
        return permits;
    }

    /** @return the most proofs that ran at once so far (never above {@link #permits()}) */
    public synchronized int peakRunning() {
        return peakRunning;
    }

    /** @return proofs waiting for a turn now */
    public synchronized int waiting() {
        return waiting.size();
    }

    /**
     * @param priority a kind of proof
     * @return turns given to proofs of that kind so far
     */
    public synchronized long granted(Priority priority) {
        return granted[priority.ordinal()];
    }

    private record Waiter(Priority priority, long deadline, long seq) implements Comparable<Waiter> {
        @Override
        public int compareTo(Waiter o) {
            int c = priority.compareTo(o.priority);
            if (c != 0) return c;
            c = Long.compare(deadline, o.deadline);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
