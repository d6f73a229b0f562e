package io.procura.agent;

import io.procura.chain.ChainException;
import io.procura.chain.SlotDraws;
import io.procura.contracts.generated.ProcurementMarket;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory market for agent unit tests: blocks with hashes, slot events the test appends, the market's answers
 * (status, committee shares, eligibility), and the agent's transactions recorded. Failures are injected per method:
 * a transient one (an {@link IOException} cause, as an unreachable node gives) or a revert.
 */
final class StubMarket implements MarketClient {
    /** A proof the stub accepted. */
    record Submission(BigInteger slotId, List<BigInteger> outputs, List<BigInteger> proof) {}

    private long head = 1;
    private final Map<Long, String> hashes = new HashMap<>();
    private final List<MarketEvent> events = new ArrayList<>();
    private final Map<BigInteger, ProcurementMarket.SlotOpenedEventResponse> opened = new HashMap<>();
    private final Map<BigInteger, ProcurementMarket.SlotTerms> drawn = new HashMap<>();
    final Map<BigInteger, SlotStatus> status = new java.util.concurrent.ConcurrentHashMap<>();
    final Set<BigInteger> sharesOwed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    final List<Submission> submissions = new CopyOnWriteArrayList<>();
    final List<BigInteger> credited = new CopyOnWriteArrayList<>();
    final List<String> ranges = new CopyOnWriteArrayList<>();
    final AtomicInteger submitCalls = new AtomicInteger();
    final AtomicInteger registerCalls = new AtomicInteger();
    final AtomicInteger claims = new AtomicInteger();
    volatile long timestamp = java.time.Instant.now().getEpochSecond();
    volatile boolean eligible = true;
    volatile boolean registered;
    volatile BigInteger ownStake = BigInteger.ZERO;
    volatile BigInteger balance = BigInteger.ZERO;
    volatile BigInteger claimable = BigInteger.ZERO;
    /** Transient failures left for submitProof; {@code submitAcceptsBeforeFailing}: the proof lands, the receipt is lost. */
    final AtomicInteger submitFailures = new AtomicInteger();
    volatile boolean submitAcceptsBeforeFailing;
    volatile boolean submitReverts;
    /** Transient failures left for register (after registering: a lost receipt). */
    final AtomicInteger registerFailures = new AtomicInteger();
    /** While set, submitProof waits for it (a slow node), interruptibly. */
    volatile java.util.concurrent.CountDownLatch submitGate;
    private final String address;

    StubMarket(String address) {
        this.address = address;
    }

    static ChainException transientFailure(String what) {
        return new ChainException(what + " failed: connection refused", new IOException("connection refused"));
    }

    synchronized void mine(long blocks) {
        head += blocks;
    }

    synchronized long head() {
        return head;
    }

    private long branch;

    /** A reorganisation: the chain goes back to {@code block}; later blocks are mined anew, with other hashes. */
    synchronized void rewindTo(long block) {
        head = block;
        branch++;
        hashes.keySet().removeIf(b -> b > block);
        events.removeIf(e -> e.block() > block);
    }

    synchronized void open(ProcurementMarket.SlotOpenedEventResponse ev) {
        mine(1);
        opened.put(ev.slotId, ev);
        events.add(new Opened(head, 0, ev));
        status.put(ev.slotId, new SlotStatus(false, false));
    }

    synchronized void draw(BigInteger slotId, String designate, byte[] seed, long deadline) {
        mine(1);
        ProcurementMarket.SlotDrawnEventResponse ev = new ProcurementMarket.SlotDrawnEventResponse();
        ev.slotId = slotId;
        ev.designate = designate;
        ev.seed = seed;
        ev.deadline = BigInteger.valueOf(deadline);
        ev.drawBlock = BigInteger.valueOf(head - 1);
        drawn.put(slotId, io.procura.chain.SlotLogs.withDraw(opened.get(slotId).terms, designate, seed));
        events.add(new Drawn(head, 0, ev));
    }

    synchronized void settle(BigInteger slotId, boolean designateDelivered) {
        mine(1);
        ProcurementMarket.SlotSettledEventResponse ev = new ProcurementMarket.SlotSettledEventResponse();
        ev.slotId = slotId;
        ev.designateDelivered = designateDelivered;
        ev.slashed = designateDelivered ? BigInteger.ZERO : BigInteger.TEN;
        status.put(slotId, new SlotStatus(true, designateDelivered));
        events.add(new Settled(head, 0, ev));
    }

    @Override
    public long chainId() {
        return 31337;
    }

    @Override
    public synchronized BigInteger blockNumber() {
        return BigInteger.valueOf(head);
    }

    @Override
    public synchronized String blockHash(BigInteger block) {
        long b = block.longValueExact();
        if (b > head || b < 0) return null;
        return hashes.computeIfAbsent(b, k -> "0x" + String.format("%032x%032x", branch, k));
    }

    @Override
    public long latestTimestamp() {
        return timestamp;
    }

    @Override
    public synchronized List<MarketEvent> events(BigInteger from, BigInteger to) {
        ranges.add(from + ".." + to);
        return events.stream().filter(e -> e.block() >= from.longValueExact() && e.block() <= to.longValueExact()).toList();
    }

    @Override
    public synchronized ProcurementMarket.SlotOpenedEventResponse opened(BigInteger slotId) {
        return opened.get(slotId);
    }

    @Override
    public synchronized ProcurementMarket.SlotTerms drawnTerms(BigInteger slotId) {
        return drawn.get(slotId);
    }

    @Override
    public SlotStatus slotStatus(BigInteger slotId) {
        return status.get(slotId);
    }

    @Override
    public boolean committeeShareOwed(BigInteger slotId) {
        return sharesOwed.contains(slotId);
    }

    @Override
    public boolean eligibleForSlot(BigInteger circuitId, BigInteger snapshot) {
        return eligible;
    }

    @Override
    public BigInteger submitProof(BigInteger slotId, ProcurementMarket.SlotTerms terms, List<BigInteger> outputs,
                                  List<BigInteger> proof) {
        submitCalls.incrementAndGet();
        java.util.concurrent.CountDownLatch gate = submitGate;
        if (gate != null) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChainException("submitProof interrupted", e);
            }
        }
        if (submitReverts) throw new ChainException("submitProof failed: execution reverted");
        boolean designate = terms.designate.equalsIgnoreCase(address);
        boolean fail = submitFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        if (fail && !submitAcceptsBeforeFailing) throw transientFailure("submitProof");
        submissions.add(new Submission(slotId, outputs, proof));
        if (designate) {
            status.put(slotId, new SlotStatus(false, true));
        } else {
            sharesOwed.add(slotId);
        }
        if (fail) throw transientFailure("submitProof (receipt)");
        return BigInteger.valueOf(238_535);
    }

    @Override
    public SlotDraws.Result draw(ProcurementMarket.SlotOpenedEventResponse o) {
        return SlotDraws.Result.ALREADY_DRAWN;
    }

    @Override
    public BigInteger claimable() {
        return claimable;
    }

    @Override
    public void claim() {
        claims.incrementAndGet();
        claimable = BigInteger.ZERO;
    }

    @Override
    public void creditCommittee(BigInteger slotId, ProcurementMarket.SlotTerms terms) {
        if (terms == null || !sharesOwed.remove(slotId)) throw new ChainException("creditCommittee failed: execution reverted");
        credited.add(slotId);
        claimable = claimable.add(BigInteger.valueOf(5));
    }

    @Override
    public boolean isJailed() {
        return false;
    }

    @Override
    public boolean isRegistered() {
        return registered;
    }

    @Override
    public void register(String endpoint) {
        registerCalls.incrementAndGet();
        if (registered) throw new ChainException("register failed: execution reverted: Registry_AlreadyRegistered");
        registered = true;
        if (registerFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) throw transientFailure("register (receipt)");
    }

    @Override
    public BigInteger ownStake() {
        return ownStake;
    }

    @Override
    public BigInteger tokenBalance() {
        return balance;
    }

    @Override
    public void bond(BigInteger amount) {
        if (balance.compareTo(amount) < 0) throw new ChainException("bond failed: execution reverted");
        balance = balance.subtract(amount);
        ownStake = ownStake.add(amount);
    }

    @Override
    public BigInteger committeeSlice() {
        return BigInteger.ZERO;
    }

    @Override
    public boolean holdsCommitteeShare() {
        return false;
    }

    @Override
    public void stakeCommitteeSlice(BigInteger slice) {
        throw new UnsupportedOperationException();
    }

    private final Set<BigInteger> optedIn = new HashSet<>();

    @Override
    public synchronized Set<BigInteger> optedInCircuits() {
        return Set.copyOf(optedIn);
    }

    @Override
    public synchronized void optIn(BigInteger circuitId) {
        optedIn.add(circuitId);
    }

    @Override
    public synchronized void optOut(BigInteger circuitId) {
        optedIn.remove(circuitId);
    }
}
