package io.procura.agent;

import io.procura.chain.Binding;
import io.procura.chain.ChainClient;
import io.procura.chain.ChainException;
import io.procura.chain.Reverts;
import io.procura.chain.Deployment;
import io.procura.chain.SlotDraws;
import io.procura.chain.SlotLogs;
import io.procura.chain.Tokens;
import io.procura.contracts.generated.ProcurementMarket;
import io.procura.runtime.Circuit;
import io.procura.runtime.CircuitProof;
import io.procura.runtime.DigitsModel;
import io.procura.runtime.ProverException;
import io.procura.runtime.ProvingKey;
import io.procura.runtime.ProvingRuntime;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One prover operator's daemon (docs/DESIGN.md §5): registers and bonds, opts into the circuits it can
 * prove ({@link AgentConfig#circuits()}; by default every circuit it holds keys for) and out of any
 * other, watches the market's slots, draws the designate of the slots of its circuits once their draw
 * block exists ({@code draw}: anybody may; when another party drew first the agent just moves on),
 * learns its duty from {@code SlotDrawn}: proves when it is the designate, and as a committee member
 * proves with the slot's mixing probability {@code p} using its {@link PrivateCoin} on the seed the draw
 * revealed; submits before the deadline or not at all; claims its payouts after settlement. It never
 * takes a slot of a circuit it is not opted into (it still proves a slot it was drawn for before it
 * opted out: the market keeps that duty).
 *
 * <p>Restarts: given an {@link AgentState}, the agent keeps its cursor there (never past a duty it has not finished,
 * with the hash of the block before it, so a reorganisation while it was down is noticed) and the committee shares it
 * is owed; a restart reads from that cursor, skips what the market says is done (settled, delivered, past its window)
 * and proves the rest. Every chain call goes through {@link MarketClient}; transient failures (the node unreachable)
 * are retried with bounded backoff, and a retried transaction first asks the market whether the last attempt landed.
 *
 * <p>Threads: one poller reads events; one worker proves and sends every transaction of this key
 * (one proof at a time per device, and no nonce races). The worker takes jobs by priority: the
 * designate's proof first (its bond is at stake), then draws, then claims, then optional committee
 * proofs, each by earliest deadline; a job whose deadline is too close to make is dropped before proving.
 * Every proof then waits its turn in a {@link ProvingQueue}: the agent's own (one permit), or one that the agents
 * of a process share (designate proofs first there too).
 */
public final class ProverAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProverAgent.class);

    /** Receives what the agent did about each slot. */
    @FunctionalInterface
    public interface Listener {
        /** @param outcome what the agent did; called on the agent's worker thread */
        void onSlotHandled(SlotOutcome outcome);
    }

    private final AgentConfig config;
    private final MarketClient market;
    private final Deployment deployment;
    private final ProvingRuntime runtime;
    private final ProvingKey provingKey;
    /** Recorded into Micrometer's global registry (what {@code procura agent --metrics-port} serves). */
    private final AgentMetrics metrics;
    private final Listener listener;
    private final PrivateCoin coin;
    /** Plug-in circuits of the deployment the agent holds a proving key for, by circuit id in the market. */
    private final Map<BigInteger, Plugin> plugins;
    /** Circuits the agent holds keys for: the deployment's digits circuit and {@link #plugins}. */
    private final Set<BigInteger> provable;
    /** Circuits the agent opts into and takes slots of. */
    private final Set<BigInteger> circuits;
    /** Slots seen opened and not drawn, cancelled or expired yet (poller thread; the worker resets {@code queued}). */
    private final Map<BigInteger, Undrawn> undrawn = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller;
    private final java.util.concurrent.ThreadPoolExecutor worker;
    /** Where every proof waits for a turn: the agent's own queue of one, or one shared by the process's agents. */
    private final ProvingQueue provingQueue;
    private final java.util.concurrent.atomic.AtomicLong jobSequence = new java.util.concurrent.atomic.AtomicLong();
    private final AtomicBoolean started = new AtomicBoolean();
    /** Blocks an event must be buried under before the agent acts on it (0: the head, for a local dev chain). */
    private volatile int confirmations;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Committee deliveries whose share is not credited yet, with the slot's drawn terms (null: read them back when
     *  needed, for a slot the last run delivered); worker thread only, kept in {@link AgentState}. */
    private final java.util.Map<BigInteger, ProcurementMarket.SlotTerms> committeeOwed = new java.util.LinkedHashMap<>();
    /** Drawn slots whose job has not finished, with the block of their draw: the saved cursor never passes them, so a
     *  duty queued when the agent stops is read again by the next run. */
    private final Map<BigInteger, Long> pending = new ConcurrentHashMap<>();
    /** The job the worker is running now (null: idle). */
    private volatile Queued running;
    /** How long {@link #close()} lets an in-flight designate proof finish. */
    private volatile Duration shutdownGrace = Duration.ofSeconds(60);
    /** At most this many blocks per {@code eth_getLogs} call (public nodes cap the range). */
    static final int MAX_RANGE = 2_000;
    private volatile BigInteger nextBlock;
    /** Where the cursor is kept between runs; null when the agent keeps nothing (tests, the demo). */
    private volatile AgentState state;
    /** Position (block, log index) of the last event handled; poller thread only. */
    private long handledBlock = -1;
    private long handledLogIndex = -1;
    /** Hash of the last block read (nextBlock - 1), to notice a reorganisation below the cursor; null: unknown. */
    private String lastReadHash;
    /** Blocks re-read after a reorganisation is noticed (deeper than any a confirmation depth is meant to cover). */
    static final int REORG_REWIND = 64;

    /**
     * @param config     the agent's key, bond, fault mode and circuits
     * @param chain      the chain connection
     * @param deployment the marketplace contracts
     * @param runtime    the native proving runtime
     * @param provingKey the digits circuit's proving key
     * @param model      the classifier whose output the digits circuit proves: must be the digits plug-in's own
     *                   (the bundled model; checked by its commitment)
     * @param listener   receives an outcome per drawn slot (may be a no-op)
     * @throws IllegalArgumentException if the configuration names a circuit the agent cannot prove, or the model is
     *                                  not the digits circuit's
     */
    public ProverAgent(AgentConfig config, ChainClient chain, Deployment deployment, ProvingRuntime runtime,
                       ProvingKey provingKey, DigitsModel model, Listener listener) {
        this(config, chain, deployment, runtime, provingKey, model, listener, ProvingQueue.single());
    }

    /**
     * An agent whose proofs go through a proving queue it shares with other agents of the same process
     * ({@code procura loadtest}: many agents, one set of cores).
     *
     * @param config       the agent's key, bond, fault mode and circuits
     * @param chain        the chain connection
     * @param deployment   the marketplace contracts
     * @param runtime      the native proving runtime
     * @param provingKey   the digits circuit's proving key
     * @param model        the digits plug-in's classifier (checked by its commitment)
     * @param listener     receives an outcome per drawn slot (may be a no-op)
     * @param provingQueue the queue every proof of this agent waits in (designate duties first)
     * @throws IllegalArgumentException as the other constructors
     */
    public ProverAgent(AgentConfig config, ChainClient chain, Deployment deployment, ProvingRuntime runtime,
                       ProvingKey provingKey, DigitsModel model, Listener listener, ProvingQueue provingQueue) {
        this(config, new ChainMarketClient(Objects.requireNonNull(chain, "chain"), deployment, config.credentials()), deployment,
                runtime, provingKey, model, listener, provingQueue);
    }

    /**
     * An agent on any {@link MarketClient}: the chain's ({@link ChainMarketClient}), or a test's stub.
     *
     * @param config     the agent's key, bond, fault mode and circuits
     * @param market     the chain side: reads and transactions of this prover's key
     * @param deployment the marketplace (its market address binds every proof; its circuits name the plug-ins)
     * @param runtime    the native proving runtime
     * @param provingKey the digits circuit's proving key
     * @param model      the digits plug-in's classifier (checked by its commitment)
     * @param listener   receives an outcome per drawn slot (may be a no-op)
     * @throws IllegalArgumentException as the chain constructor
     */
    public ProverAgent(AgentConfig config, MarketClient market, Deployment deployment, ProvingRuntime runtime,
                       ProvingKey provingKey, DigitsModel model, Listener listener) {
        this(config, market, deployment, runtime, provingKey, model, listener, ProvingQueue.single());
    }

    /**
     * An agent on any {@link MarketClient} whose proofs go through the given proving queue.
     *
     * @param config       the agent's key, bond, fault mode and circuits
     * @param market       the chain side: reads and transactions of this prover's key
     * @param deployment   the marketplace
     * @param runtime      the native proving runtime
     * @param provingKey   the digits circuit's proving key
     * @param model        the digits plug-in's classifier (checked by its commitment)
     * @param listener     receives an outcome per drawn slot (may be a no-op)
     * @param provingQueue the queue every proof of this agent waits in (its own, or one shared in the process)
     * @throws IllegalArgumentException as the chain constructor
     */
    public ProverAgent(AgentConfig config, MarketClient market, Deployment deployment, ProvingRuntime runtime,
                       ProvingKey provingKey, DigitsModel model, Listener listener, ProvingQueue provingQueue) {
        this.provingQueue = Objects.requireNonNull(provingQueue, "provingQueue");
        this.config = Objects.requireNonNull(config, "config");
        this.market = Objects.requireNonNull(market, "market");
        this.deployment = Objects.requireNonNull(deployment, "deployment");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.provingKey = Objects.requireNonNull(provingKey, "provingKey");
        Objects.requireNonNull(model, "model");
        this.metrics = new AgentMetrics(io.micrometer.core.instrument.Metrics.globalRegistry,
                config.credentials().getAddress());
        Listener given = listener == null ? o -> {} : listener;
        this.listener = o -> {
            metrics.slot(o);
            given.onSlotHandled(o);
        };
        // the digits circuit is one plug-in among several: proven through the generic API with the given key, its
        // fixed inputs checked by the runtime (the plug-in's embedded model, which must be the given one)
        Circuit digits = Circuit.find("digits").orElseThrow(
                () -> new IllegalArgumentException("the native runtime has no digits circuit"));
        BigInteger modelCommitment = runtime.commitModel(model);
        BigInteger pluginModel = runtime.fixedInputs(digits, new byte[digits.payloadBytes()])[0];
        if (!pluginModel.equals(modelCommitment)) {
            throw new IllegalArgumentException(config.name() + ": the model given (commitment " + modelCommitment
                    + ") is not the digits circuit's (" + pluginModel + ")");
        }
        Map<BigInteger, Plugin> all = new java.util.HashMap<>(loadPlugins(deployment, config.name()));
        all.put(deployment.digitsCircuitId(), new Plugin(digits, provingKey));
        this.plugins = Map.copyOf(all);
        this.provable = Set.copyOf(plugins.keySet());
        if (config.circuits() != null) {
            for (BigInteger c : config.circuits()) {
                if (!provable.contains(c)) {
                    throw new IllegalArgumentException(config.name() + ": cannot opt into circuit " + c
                            + ": this agent holds keys for circuit(s) " + provable + " only");
                }
            }
        }
        this.circuits = config.circuits() == null ? provable : config.circuits();
        this.coin = new PrivateCoin(config.credentials().getEcKeyPair().getPrivateKey().toByteArray());
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, config.name() + "-poll"));
        this.worker = new java.util.concurrent.ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new java.util.concurrent.PriorityBlockingQueue<>(), r -> daemon(r, config.name() + "-work"));
    }

    /** A plug-in circuit the agent can prove, with its proving key. */
    private record Plugin(Circuit circuit, ProvingKey key) {}

    /**
     * The proving keys of the deployment's plug-in circuits that this machine has: the development keys bundled
     * in the runtime, else those {@code go run ./cmd/circuit setup -circuit NAME} left in the user's cache
     * directory ({@code $XDG_CACHE_HOME} or {@code ~/.cache}, {@code procura/circuits/<id>/<keyName>.pk}). A
     * circuit without keys is not proven (and not opted into).
     */
    private static Map<BigInteger, Plugin> loadPlugins(Deployment deployment, String agent) {
        Map<BigInteger, Plugin> out = new java.util.HashMap<>();
        for (Map.Entry<String, BigInteger> e : deployment.circuits().entrySet()) {
            java.util.Optional<Circuit> circuit = Circuit.find(e.getKey());
            if (circuit.isEmpty()) {
                LOG.info("{}: circuit {} ({}) is not in this runtime: not proving it", agent, e.getValue(), e.getKey());
                continue;
            }
            ProvingKey key = pluginKey(circuit.get());
            if (key == null) {
                LOG.info("{}: no proving key for circuit {} ({}): not proving it (make one with `procura circuit "
                        + "setup --circuit {}`)", agent, e.getValue(), e.getKey(), e.getKey());
                continue;
            }
            out.put(e.getValue(), new Plugin(circuit.get(), key));
        }
        return Map.copyOf(out);
    }

    /** The circuit's proving key (bundled, or left by `procura circuit setup` in its cache), or null. */
    private static ProvingKey pluginKey(Circuit c) {
        try {
            return ProvingKey.forCircuit(c).orElse(null);
        } catch (java.io.UncheckedIOException | ProverException e) {
            LOG.warn("cannot load the proving key of {}: {}", c.name(), e.getMessage());
            return null;
        }
    }

    /**
     * Tops the operator's own stake in its pool up to {@link AgentConfig#bond()} (a target, not an amount to add: a
     * restart with the same option bonds nothing more). Refuses with the shortfall, in tokens, when the key does not
     * hold enough tokens.
     */
    private void topUpBond() {
        BigInteger target = config.bond();
        if (target.signum() == 0) return;
        BigInteger own = market.ownStake();
        if (own.compareTo(target) >= 0) {
            LOG.info("{}: own stake {} tokens already meets the bond target {}", config.name(), Tokens.format(own, 4),
                    Tokens.format(target, 4));
            return;
        }
        BigInteger missing = target.subtract(own);
        BigInteger balance = market.tokenBalance();
        if (balance.compareTo(missing) < 0) {
            throw new ChainException(config.name() + ": bonding up to " + Tokens.format(target, 4) + " tokens needs "
                    + Tokens.format(missing, 4) + " more, but " + address() + " holds " + Tokens.format(balance, 4)
                    + " tokens");
        }
        market.bond(missing);
        LOG.info("{}: bonded {} tokens (own stake now {} tokens)", config.name(), Tokens.format(missing, 4),
                Tokens.format(target, 4));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** @return the prover's address */
    public String address() {
        return config.address();
    }

    /** @return the agent's configuration */
    public AgentConfig config() {
        return config;
    }

    /** @return the circuits this agent opts into and takes slots of (ids in the market) */
    public Set<BigInteger> circuits() {
        return circuits;
    }

    /**
     * Registers the prover in the ProverRegistry unless it already is, then bonds
     * {@link AgentConfig#bond()} tokens (approve + bond; nothing when the bond is zero), stakes its committee
     * slice when the market uses correlated slashing, and finally opts into {@link #circuits()} and out of
     * every other circuit it is opted into. The key must hold the tokens and ether for gas. Safe to call
     * again after a restart: it never registers twice and only changes the opt-ins that differ.
     *
     * @throws ChainException if a transaction fails
     */
    public void registerAndBond() {
        // the whole sequence reads before it acts (registered? shortfall? opted in?), so retrying it after a transient
        // failure never registers, bonds or opts in twice
        try {
            io.procura.chain.ChainRetry.call(config.name() + ": registering and bonding", 4, Duration.ofSeconds(1), () -> true,
                    () -> {
                        registerBondAndOptIn();
                        return null;
                    });
        } catch (ChainException e) {
            throw new ChainException(config.name() + ": registering and bonding failed: " + Reverts.describe(e.getMessage()), e);
        }
    }

    private void registerBondAndOptIn() {
        {
            if (!market.isRegistered()) {
                market.register(config.endpoint());
                LOG.info("{} registered", config.name());
            }
            topUpBond();
            joinCommitteePool();
            syncCircuits();
        }
    }

    /**
     * Stakes the registry's committee slice into its committee pool when the market uses correlated
     * slashing (docs/MECHANISM.md §6) and this prover holds no share of it yet: without one it is not eligible.
     * The slice comes from the key's tokens, on top of {@link AgentConfig#bond()}.
     */
    private void joinCommitteePool() {
        BigInteger slice = market.committeeSlice();
        if (slice.signum() == 0) return;
        if (market.holdsCommitteeShare()) return;
        market.stakeCommitteeSlice(slice);
        LOG.info("{} staked its committee slice of {} tokens (correlated slashing)", config.name(), Tokens.format(slice, 4));
    }

    /**
     * Opts out of the circuits the prover is opted into but should not take, then into those of
     * {@link #circuits()} it is not opted into yet (out first: a prover has at most
     * {@code MAX_CIRCUITS_PER_PROVER}).
     */
    private void syncCircuits() {
        Set<BigInteger> current = new HashSet<>(market.optedInCircuits());
        for (BigInteger c : new TreeSet<>(current)) {
            if (circuits.contains(c)) continue;
            market.optOut(c);
            LOG.info("{} opted out of circuit {}", config.name(), c);
        }
        for (BigInteger c : new TreeSet<>(circuits)) {
            if (current.contains(c)) continue;
            market.optIn(c);
            LOG.info("{} opted into circuit {}", config.name(), c);
        }
    }

    /**
     * Sets the confirmation depth: market events are acted on only once this many blocks are built on theirs, so a
     * reorganisation shallower than it never moves an event the agent already acted on (12 or more on a public
     * chain; 0, the default, acts at the head, as a local dev chain allows). Call before {@link #start}.
     *
     * @param blocks the depth, {@code >= 0}
     * @throws IllegalArgumentException for a negative depth
     */
    public void setConfirmations(int blocks) {
        if (blocks < 0) throw new IllegalArgumentException("confirmations must be >= 0, got " + blocks);
        this.confirmations = blocks;
    }

    /**
     * Starts watching the market from a block. Idempotent.
     *
     * @param fromBlock the first block to read events from
     */
    public void start(BigInteger fromBlock) {
        start(fromBlock, null);
    }

    /**
     * Starts watching the market from a block and keeps the cursor (the next block to read) in {@code state} after
     * every poll, so that a restart resumes where this run stopped. Idempotent.
     *
     * @param fromBlock the first block to read events from (usually {@code state.cursor()} after a restart)
     * @param state     the agent's data directory state (lock held), or null to keep nothing
     */
    public void start(BigInteger fromBlock, AgentState state) {
        if (!started.compareAndSet(false, true)) return;
        this.state = state;
        nextBlock = fromBlock;
        if (state != null) {
            // resuming where the last run stopped: its last read block's hash tells whether the chain reorganised
            // while the agent was down; its owed committee shares are still to be credited
            if (state.cursor().filter(fromBlock::equals).isPresent()) lastReadHash = state.lastReadHash().orElse(null);
            for (BigInteger slot : state.committeeOwed()) committeeOwed.put(slot, null);
            if (!committeeOwed.isEmpty()) {
                LOG.info("{}: committee shares of slot(s) {} still to credit and claim", config.name(), committeeOwed.keySet());
                enqueue(Job.CLAIM, Long.MAX_VALUE, this::claimIfOwed);
            }
        }
        long every = Math.max(50, config.pollInterval().toMillis());
        poller.scheduleWithFixedDelay(this::pollSafely, 0, every, TimeUnit.MILLISECONDS);
    }

    private void pollSafely() {
        try {
            pollOnce();
        } catch (RuntimeException e) {
            if (closed.get()) return; // shutting down: an interrupted RPC call is expected, not worth a warning
            LOG.warn("{}: polling failed, will retry: {}", config.name(), Reverts.describe(e.getMessage()));
        }
    }

    /** A slot seen opened and not drawn yet; {@code queued} while a draw job for it waits or runs. */
    private record Undrawn(ProcurementMarket.SlotOpenedEventResponse opened, long block, boolean ours, AtomicBoolean queued) {}

    /** A drawn slot: its opening, its draw, and the terms the market takes from the draw on. */
    private record DrawnSlot(ProcurementMarket.SlotOpenedEventResponse opened, ProcurementMarket.SlotDrawnEventResponse drawn,
                             ProcurementMarket.SlotTerms terms) {
        BigInteger slotId() {
            return opened.slotId;
        }

        BigInteger circuitId() {
            return opened.circuitId;
        }
    }

    /**
     * Reads new market events and queues the work they call for, then the draws that are due. When an
     * event cannot be handled (an RPC failure), the next poll reads again from its block and skips the
     * events handled before it.
     */
    void pollOnce() {
        BigInteger head = market.blockNumber();
        // events are read only once `confirmations` blocks bury them (a reorganisation shallower than that cannot
        // move an event the agent acted on); draws look at the head, where the draw block's hash is readable
        BigInteger latest = head.subtract(BigInteger.valueOf(confirmations));
        rewindOnReorg();
        while (latest.compareTo(nextBlock) >= 0) {
            BigInteger to = latest.min(nextBlock.add(BigInteger.valueOf(MAX_RANGE - 1)));
            for (MarketClient.MarketEvent event : market.events(nextBlock, to)) {
                long block = event.block();
                long index = event.logIndex();
                if (block < handledBlock || (block == handledBlock && index <= handledLogIndex)) continue; // handled before a retry
                try {
                    handle(event);
                } catch (RuntimeException e) {
                    nextBlock = BigInteger.valueOf(block); // read again from here; what was handled is skipped
                    throw e;
                }
                handledBlock = block;
                handledLogIndex = index;
            }
            nextBlock = to.add(BigInteger.ONE);
            lastReadHash = market.blockHash(to);
        }
        saveCursor();
        queueDraws(head);
    }

    /**
     * Keeps where the next run must start: the next block to read, or the block of the oldest slot still waiting for
     * this agent (a duty queued or in flight, a slot it may draw), whichever is earlier, with the hash of the block
     * before it.
     */
    private void saveCursor() {
        AgentState st = state;
        if (st == null) return;
        long resume = nextBlock.longValueExact();
        for (long b : pending.values()) resume = Math.min(resume, b);
        for (Undrawn u : undrawn.values()) if (u.ours()) resume = Math.min(resume, u.block());
        BigInteger at = BigInteger.valueOf(resume);
        boolean atNext = at.equals(nextBlock);
        // held back at the same pending block as last time: nothing to write, and no block hash to read again
        if (!atNext && at.equals(lastSavedAt)) return;
        String hash = atNext ? lastReadHash : market.blockHash(at.subtract(BigInteger.ONE));
        if (at.equals(lastSavedAt) && java.util.Objects.equals(hash, lastSavedHash)) return;
        st.saveCursor(at, hash);
        lastSavedAt = at;
        lastSavedHash = hash;
    }

    /** The cursor last written (poller thread only), so an unchanged one is not written again every poll. */
    private BigInteger lastSavedAt;
    private String lastSavedHash;

    /**
     * Parent-hash check: when the last block read has another hash now (or is gone), the chain reorganised below the
     * cursor, and events the agent read may have moved or vanished while others appeared at heights it already
     * passed. It re-reads the last {@link #REORG_REWIND} blocks: what it already did is skipped (a slot delivered by
     * this prover is {@code ALREADY_DONE}), what the new branch holds is acted on.
     */
    private void rewindOnReorg() {
        String expected = lastReadHash;
        if (expected == null) return;
        BigInteger last = nextBlock.subtract(BigInteger.ONE);
        String now = market.blockHash(last);
        if (expected.equals(now)) return;
        BigInteger back = last.subtract(BigInteger.valueOf(REORG_REWIND)).max(deployment.deployBlock());
        LOG.warn("{}: the chain reorganised: block {} changed ({} -> {}); re-reading market events from block {}",
                config.name(), last, expected, now == null ? "gone" : now, back);
        nextBlock = back;
        handledBlock = -1;
        handledLogIndex = -1;
        lastReadHash = null;
    }

    /** Handles one market event (poller thread). */
    private void handle(MarketClient.MarketEvent event) {
        switch (event) {
            case MarketClient.Opened o -> undrawn.putIfAbsent(o.slotId(),
                    new Undrawn(o.event(), o.block(), circuits.contains(o.event().circuitId), new AtomicBoolean()));
            case MarketClient.Drawn d -> onDrawn(d.event(), d.block());
            case MarketClient.Cancelled c -> {
                if (undrawn.remove(c.slotId()) != null) LOG.info("{}: slot {} was cancelled before a draw", config.name(), c.slotId());
            }
            case MarketClient.Settled st -> {
                if (!st.event().designateDelivered) warnIfSlashed(st.event());
                enqueue(Job.CLAIM, Long.MAX_VALUE, this::claimIfOwed);
            }
        }
    }

    /** A failed slot whose designate was this prover: the operator must know (slashed, jailed, in tokens). */
    private void warnIfSlashed(ProcurementMarket.SlotSettledEventResponse ev) {
        ProcurementMarket.SlotTerms drawn = market.drawnTerms(ev.slotId);
        if (drawn == null || !drawn.designate.equalsIgnoreCase(address())) return;
        boolean jailed = market.isJailed();
        metrics.slashed(ev.slotId, ev.slashed);
        LOG.warn("{}: SLASHED {} tokens: as designate of slot {} it delivered no proof by the deadline{}", config.name(),
                Tokens.format(ev.slashed, 4), ev.slotId,
                jailed ? "; JAILED: `procura prover status` says when `procura prover unjail` works" : "");
    }

    /** Learns the agent's duty in a slot from its draw and queues the work. */
    private void onDrawn(ProcurementMarket.SlotDrawnEventResponse ev, long block) {
        Undrawn u = undrawn.remove(ev.slotId);
        boolean designate = ev.designate.equalsIgnoreCase(address());
        long deadline = ev.deadline.longValueExact();
        if (deadline < chainNow()) {
            // an old draw (a restart, an early --from-block): nothing can be delivered any more
            if (designate && alreadyDone(ev.slotId, true) == null) {
                LOG.warn("{}: MISSED designate duty of slot {}: its prove window closed at {} (unix s) while the agent "
                        + "was not running", config.name(), ev.slotId, deadline);
            }
            return;
        }
        // a slot opened before this agent started watching: read its opening back
        ProcurementMarket.SlotOpenedEventResponse opened = u != null ? u.opened()
                : market.opened(ev.slotId);
        DrawnSlot slot = new DrawnSlot(opened, ev, SlotLogs.withDraw(opened.terms, ev.designate, ev.seed));
        if (designate || circuits.contains(slot.circuitId())) pending.put(slot.slotId(), block);
        if (designate) {
            // a draw read again (a restart, a reorganisation) whose duty is already delivered is not announced again;
            // the worker reports it ALREADY_DONE
            if (alreadyDone(slot.slotId(), true) == null) {
                LOG.info("{}: DUTY designate of slot {} (circuit {}): prove by {} (unix s), {} tokens of bond at stake",
                        config.name(), slot.slotId(), slot.circuitId(), deadline, Tokens.format(slot.terms().bondAtRisk, 4));
                metrics.duty(slot.slotId());
            }
            enqueue(Job.DESIGNATE, deadline, () -> handleSlot(slot));
        } else if (!circuits.contains(slot.circuitId())) {
            enqueue(Job.COMMITTEE, deadline, () -> listener.onSlotHandled(outcome(slot.slotId(), SlotOutcome.Role.NOT_ELIGIBLE,
                    SlotOutcome.Action.NOT_ELIGIBLE, "not opted into circuit " + slot.circuitId())));
        } else {
            enqueue(Job.COMMITTEE, deadline, () -> handleSlot(slot));
        }
    }

    /**
     * Queues a draw for every slot of the agent's circuits whose draw block exists; forgets slots whose
     * draw block's hash is out of reach (the keeper cancels them).
     */
    private void queueDraws(BigInteger latest) {
        for (var it = undrawn.entrySet().iterator(); it.hasNext(); ) {
            Undrawn u = it.next().getValue();
            BigInteger drawBlock = u.opened().drawBlock;
            if (SlotDraws.cancellable(drawBlock, latest)) {
                it.remove();
            } else if (u.ours() && SlotDraws.drawable(drawBlock, latest) && u.queued().compareAndSet(false, true)) {
                enqueue(Job.DRAW, drawBlock.longValueExact(), () -> drawSlot(u));
            }
        }
    }

    /** Calls {@code draw} for a slot; worker thread only. A slot someone else drew first is normal. */
    private void drawSlot(Undrawn u) {
        BigInteger slotId = u.opened().slotId;
        try {
            SlotDraws.Result r = market.draw(u.opened());
            switch (r) {
                case DRAWN -> LOG.info("{}: drew the designate of slot {}", config.name(), slotId);
                case NO_CANDIDATE -> LOG.info("{}: slot {} had no candidate: cancelled, escrow refunded", config.name(), slotId);
                case TOO_EARLY -> u.queued().set(false); // try again on a later poll
                default -> LOG.debug("{}: draw of slot {}: {}", config.name(), slotId, r);
            }
        } catch (RuntimeException e) {
            u.queued().set(false);
            LOG.warn("{}: drawing slot {} failed, will retry: {}", config.name(), slotId, Reverts.describe(e.getMessage()));
        }
    }

    private void handleSlot(DrawnSlot slot) {
        SlotOutcome outcome;
        boolean designate = slot.drawn().designate.equalsIgnoreCase(address());
        try {
            outcome = decideAndProve(slot);
        } catch (RuntimeException e) {
            long deadline = slot.drawn().deadline.longValueExact();
            if (io.procura.chain.ChainRetry.isTransient(e) && !closed.get()
                    && java.time.Instant.now().getEpochSecond() + config.submitMargin().toSeconds() < deadline) {
                // the node was unreachable: the slot stays pending and is tried again shortly
                LOG.warn("{}: slot {}: {}; trying again in {} ms", config.name(), slot.slotId(),
                        Reverts.describe(e.getMessage()), RETRY_DELAY.toMillis());
                poller.schedule(() -> enqueue(designate ? Job.DESIGNATE : Job.COMMITTEE, deadline, () -> handleSlot(slot)),
                        RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            SlotOutcome.Role role = designate ? SlotOutcome.Role.DESIGNATE : SlotOutcome.Role.COMMITTEE;
            if (closed.get()) {
                // stopped under it: the slot stays pending, so the saved cursor keeps it for the next run
                listener.onSlotHandled(new SlotOutcome(slot.slotId(), address(), role, SlotOutcome.Action.FAILED, -1,
                        Duration.ZERO, BigInteger.ZERO, "abandoned at shutdown: " + e.getMessage()));
                return;
            }
            LOG.warn("{}: slot {} failed: {}", config.name(), slot.slotId(), Reverts.describe(e.getMessage()));
            outcome = new SlotOutcome(slot.slotId(), address(), role, SlotOutcome.Action.FAILED, -1, Duration.ZERO,
                    BigInteger.ZERO, e.getMessage());
        }
        if (closed.get() && outcome.action() == SlotOutcome.Action.FAILED) {
            // a submission interrupted by the stop: the slot stays pending, so the saved cursor keeps it
            listener.onSlotHandled(new SlotOutcome(outcome.slotId(), outcome.prover(), outcome.role(), outcome.action(),
                    outcome.predictedClass(), outcome.proveTime(), outcome.gasUsed(), "abandoned at shutdown: " + outcome.detail()));
            return;
        }
        pending.remove(slot.slotId());
        listener.onSlotHandled(outcome);
    }

    /** The wait before a slot whose chain reads failed transiently is tried again. */
    static final Duration RETRY_DELAY = Duration.ofSeconds(2);

    private SlotOutcome decideAndProve(DrawnSlot slot) {
        BigInteger slotId = slot.slotId();
        ProcurementMarket.SlotTerms terms = slot.terms();
        boolean designate = terms.designate.equalsIgnoreCase(address());
        SlotOutcome.Role role;
        if (designate) {
            role = SlotOutcome.Role.DESIGNATE;
        } else if (isCommitteeMember(slotId, terms.circuitId, terms.snapshot)) {
            role = SlotOutcome.Role.COMMITTEE;
        } else {
            return outcome(slotId, SlotOutcome.Role.NOT_ELIGIBLE, SlotOutcome.Action.NOT_ELIGIBLE, "not in the eligible set");
        }
        String done = alreadyDone(slotId, designate);
        if (done != null) return outcome(slotId, role, SlotOutcome.Action.ALREADY_DONE, done);
        if (designate && config.faultMode() == AgentConfig.FaultMode.SILENT_DESIGNATE) {
            LOG.info("{}: designate of slot {} but faulty on purpose: staying silent", config.name(), slotId);
            return outcome(slotId, role, SlotOutcome.Action.WITHHELD, "fault mode: silent designate");
        }
        if (!designate && !coin.shouldProve(terms.seed, slotId, terms.mixingProbability)) {
            return outcome(slotId, role, SlotOutcome.Action.SKIPPED_BY_COIN, "private coin: do not prove");
        }
        if (!provable.contains(slot.circuitId())) {
            return outcome(slotId, role, SlotOutcome.Action.FAILED, "no keys for circuit " + slot.circuitId());
        }
        return provePlugin(slot, role, designate, plugins.get(slot.circuitId()));
    }

    /**
     * Why the slot needs nothing more from this prover (read from the market, so that an agent reading old events,
     * after a restart or from an early {@code --from-block}, never proves or submits twice): settled or cancelled,
     * or this prover's proof already accepted; null when there is still work.
     */
    private String alreadyDone(BigInteger slotId, boolean designate) {
        MarketClient.SlotStatus st = market.slotStatus(slotId);
        if (st.settled()) return "the slot is already settled (or cancelled)";
        if (designate && st.designateDelivered()) return "this prover already delivered the slot as designate";
        if (!designate && market.committeeShareOwed(slotId)) return "this prover already delivered the slot as a committee member";
        return null;
    }

    /** A proof made for a slot: its outputs, 8 proof words, the class (-1: not a classifier), what to log. */
    private record Proved(List<BigInteger> outputs, BigInteger[] proof, int predictedClass, Duration proveTime,
                          String logged, String detail, String circuit, String backend) {}

    /**
     * Proves (unless the window is closing) and submits: the steps every circuit shares once its payload and fixed
     * inputs are checked.
     */
    private SlotOutcome proveAndSubmit(DrawnSlot slot, SlotOutcome.Role role, boolean designate,
                                       java.util.function.Function<BigInteger, Proved> prover) {
        BigInteger slotId = slot.slotId();
        ProcurementMarket.SlotTerms terms = slot.terms();
        long deadline = slot.drawn().deadline.longValueExact();
        if (chainNow() + config.submitMargin().toSeconds() >= deadline) {
            return outcome(slotId, role, SlotOutcome.Action.TOO_LATE, "prove window closed before proving started");
        }
        Proved proof = prover.apply(Binding.of(market.chainId(), deployment.market(), slotId, address()));
        metrics.proved(proof.circuit(), proof.backend(), proof.proveTime());
        if (chainNow() + config.submitMargin().toSeconds() >= deadline) {
            return new SlotOutcome(slotId, address(), role, SlotOutcome.Action.TOO_LATE, proof.predictedClass(),
                    proof.proveTime(), BigInteger.ZERO, "prove window closed");
        }
        try {
            // a transient failure (the node unreachable) is retried with backoff while the window stays open; a
            // revert is reported at once, decoded
            // a retry first asks the market whether an earlier attempt went through (its receipt lost): it is never
            // sent twice
            java.util.concurrent.atomic.AtomicInteger attempt = new java.util.concurrent.atomic.AtomicInteger();
            BigInteger gas = io.procura.chain.ChainRetry.call("submitProof of slot " + slotId, 4,
                    Duration.ofMillis(500), () -> chainNow() + config.submitMargin().toSeconds() < deadline,
                    () -> attempt.incrementAndGet() > 1 && alreadyDone(slotId, designate) != null ? BigInteger.ZERO
                            : market.submitProof(slotId, terms, proof.outputs(), Arrays.asList(proof.proof())));
            if (!designate) owe(slotId, terms);
            metrics.submitted(proof.circuit(), gas);
            LOG.info("{}: submitted slot {} as {} ({}, {} gas, proved in {} ms)", config.name(), slotId, role,
                    proof.logged(), gas.signum() == 0 ? "an earlier attempt's" : gas, proof.proveTime().toMillis());
            return new SlotOutcome(slotId, address(), role, SlotOutcome.Action.SUBMITTED, proof.predictedClass(),
                    proof.proveTime(), gas, proof.detail());
        } catch (Exception e) {
            return new SlotOutcome(slotId, address(), role, SlotOutcome.Action.FAILED, proof.predictedClass(),
                    proof.proveTime(), BigInteger.ZERO, "submitProof failed: " + Reverts.describe(e.getMessage()));
        }
    }

    /** Proves and submits a slot of a plug-in circuit (its payload's fixed inputs checked first). */
    private SlotOutcome provePlugin(DrawnSlot slot, SlotOutcome.Role role, boolean designate, Plugin plugin) {
        BigInteger slotId = slot.slotId();
        ProcurementMarket.SlotTerms terms = slot.terms();
        Circuit circuit = plugin.circuit();
        byte[] payload = slot.opened().payload;
        if (payload.length != circuit.payloadBytes()) {
            return outcome(slotId, role, SlotOutcome.Action.FAILED,
                    circuit.name() + " payload of " + payload.length + " bytes, not " + circuit.payloadBytes());
        }
        if (!terms.fixedInputs.equals(List.of(runtime.fixedInputs(circuit, payload)))) {
            return outcome(slotId, role, SlotOutcome.Action.FAILED, "fixed inputs do not match the payload");
        }
        boolean classifier = circuit.name().startsWith("digits"); // digits, digits-mlp: one output, the class
        return proveAndSubmit(slot, role, designate, binding -> {
            CircuitProof proof = provingQueue.run(designate ? ProvingQueue.Priority.DESIGNATE : ProvingQueue.Priority.COMMITTEE,
                    slot.drawn().deadline.longValueExact(), () -> runtime.prove(circuit, plugin.key(), payload, binding));
            BigInteger[] outputs = proof.outputs();
            int predicted = classifier ? outputs[0].intValueExact() : -1;
            String logged = (classifier ? circuit.name() + ", class " + predicted : "circuit " + circuit.name())
                    + (proof.backend() == io.procura.runtime.ProverBackend.Kind.GPU ? ", on the GPU" : ", on the CPU")
                    + (proof.fallback() != null ? " after the GPU failed: " + proof.fallback() : "");
            return new Proved(List.of(outputs), proof.proof(), predicted, proof.proveTime(), logged,
                    circuit.name().equals("digits") ? "accepted" : "accepted (" + circuit.name() + ")", circuit.name(),
                    proof.backend().name().toLowerCase(java.util.Locale.ROOT));
        });
    }

    /** Remembers (and keeps in the agent's state) a committee delivery whose share is to be credited. */
    private void owe(BigInteger slotId, ProcurementMarket.SlotTerms terms) {
        committeeOwed.put(slotId, terms);
        AgentState st = state;
        if (st != null) st.saveCommitteeOwed(committeeOwed.keySet());
    }

    /** Job kinds in the worker's priority order. */
    private enum Job { DESIGNATE, DRAW, CLAIM, COMMITTEE }

    /** A worker job ordered by kind, then deadline, then arrival. */
    private final class Queued implements Runnable, Comparable<Queued> {
        private final Job job;
        private final long deadline;
        private final long seq;
        private final Runnable work;

        Queued(Job job, long deadline, long seq, Runnable work) {
            this.job = job;
            this.deadline = deadline;
            this.seq = seq;
            this.work = work;
        }

        @Override
        public void run() {
            running = this;
            try {
                work.run();
            } finally {
                running = null;
            }
        }

        @Override
        public int compareTo(Queued o) {
            int c = job.compareTo(o.job);
            if (c != 0) return c;
            c = Long.compare(deadline, o.deadline);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private void enqueue(Job job, long deadline, Runnable work) {
        worker.execute(new Queued(job, deadline, jobSequence.incrementAndGet(), work));
    }

    /**
     * The best estimate of the time the next block will carry: the latest block's timestamp, or the
     * wall clock when the chain has produced no block for a while (a dev node that mines on demand).
     */
    private long chainNow() {
        return Math.max(market.latestTimestamp(), java.time.Instant.now().getEpochSecond());
    }

    private boolean isCommitteeMember(BigInteger slotId, BigInteger circuitId, BigInteger snapshot) {
        return market.eligibleForSlot(circuitId, snapshot);
    }

    private SlotOutcome outcome(BigInteger slotId, SlotOutcome.Role role, SlotOutcome.Action action, String detail) {
        return new SlotOutcome(slotId, address(), role, action, -1, Duration.ZERO, BigInteger.ZERO, detail);
    }

    /**
     * Claims everything the market owes this prover now, on the worker thread (so it never races the
     * worker's own transactions for a nonce), and waits for it.
     *
     * @param timeout the longest to wait
     * @return the amount claimed, token base units (zero when nothing was owed)
     * @throws ChainException when the claim fails (the contract's error decoded) or does not finish within
     *                        {@code timeout}: a failure is never reported as "nothing claimed"
     */
    public BigInteger claimNow(Duration timeout) {
        java.util.concurrent.CompletableFuture<BigInteger> done = new java.util.concurrent.CompletableFuture<>();
        enqueue(Job.CLAIM, Long.MIN_VALUE, () -> {
            try {
                done.complete(claimOrThrow());
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        try {
            return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof ChainException ce ? ce
                    : new ChainException(config.name() + ": claiming failed: " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new ChainException(config.name() + ": the claim did not finish within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainException(config.name() + ": interrupted while claiming", e);
        }
    }

    /** Background claim after a settlement (worker thread): a failure is logged and retried at the next one. */
    private BigInteger claimIfOwed() {
        try {
            return claimOrThrow();
        } catch (ChainException e) {
            LOG.warn("{}: claim failed (retried after the next settlement, or `procura prover claim`): {}",
                    config.name(), e.getMessage());
            return BigInteger.ZERO;
        }
    }

    /**
     * Credits this prover's committee shares of settled slots ({@code creditCommittee}), then claims
     * everything the market owes it (pull payments); worker thread only.
     */
    private BigInteger claimOrThrow() {
        creditCommitteeShares();
        try {
            BigInteger owed = market.claimable();
            if (owed.signum() > 0) {
                // a retry re-reads what is owed first: a claim that went through before its receipt was lost is not
                // sent again
                io.procura.chain.ChainRetry.call("claim", 3, Duration.ofMillis(500), () -> true, () -> {
                    if (market.claimable().signum() > 0) market.claim();
                    return null;
                });
                LOG.info("{}: claimed {} tokens", config.name(), Tokens.format(owed, 4));
            }
            return owed;
        } catch (Exception e) {
            throw new ChainException(config.name() + ": claiming failed: " + e.getMessage(), e);
        }
    }

    /** Credits the committee share of every settled slot this prover delivered to; worker thread only. */
    private void creditCommitteeShares() {
        boolean changed = false;
        for (var it = committeeOwed.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            try {
                if (!market.slotStatus(e.getKey()).settled()) continue;
                if (market.committeeShareOwed(e.getKey())) {
                    ProcurementMarket.SlotTerms terms = e.getValue() != null ? e.getValue() : market.drawnTerms(e.getKey());
                    // a transient failure is retried at once; a revert (a keeper credited it first) is re-checked below
                    io.procura.chain.ChainRetry.call("creditCommittee of slot " + e.getKey(), 3, Duration.ofMillis(500),
                            () -> true, () -> {
                                if (market.committeeShareOwed(e.getKey())) market.creditCommittee(e.getKey(), terms);
                                return null;
                            });
                    LOG.info("{}: credited its committee share of slot {}", config.name(), e.getKey());
                }
                it.remove(); // credited, by this agent or by a keeper
                changed = true;
            } catch (Exception ex) {
                LOG.warn("{}: crediting the committee share of slot {} failed (will retry): {}", config.name(), e.getKey(),
                        Reverts.describe(ex.getMessage()));
            }
        }
        AgentState st = state;
        if (changed && st != null) st.saveCommitteeOwed(committeeOwed.keySet());
    }

    /**
     * Waits until every queued job (proofs, submissions, claims) has run.
     *
     * @param timeout the longest to wait
     * @return true when the queue drained in time
     */
    public boolean drain(Duration timeout) {
        try {
            java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
            enqueue(Job.COMMITTEE, Long.MAX_VALUE, () -> done.complete(null));
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * Sets how long {@link #close()} lets an in-flight designate proof finish and be submitted (default 60 s; zero
     * abandons it at once).
     *
     * @param grace the wait, {@code >= 0}
     * @throws IllegalArgumentException for a negative wait
     */
    public void setShutdownGrace(Duration grace) {
        if (grace.isNegative()) throw new IllegalArgumentException("shutdown grace must be >= 0, got " + grace);
        this.shutdownGrace = grace;
    }

    /**
     * Stops polling and proving and closes the proving keys the agent loaded (not the digits key it was given).
     * A designate proof in flight is let finish and be submitted for up to the shutdown grace
     * ({@link #setShutdownGrace}); if it does not, it is abandoned, and every abandoned designate duty is logged with
     * its deadline. Abandoned duties are not lost: the saved cursor stays before their draw, so a restart before the
     * deadline delivers them. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        poller.shutdownNow();
        boolean pollerStopped;
        try {
            pollerStopped = poller.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pollerStopped = false;
        }
        java.util.List<Runnable> queued = new java.util.ArrayList<>();
        worker.getQueue().drainTo(queued);
        for (Runnable r : queued) {
            if (r instanceof Queued q && q.job == Job.DESIGNATE) {
                LOG.warn("{}: stopping: ABANDONED the queued designate duty (deadline {} unix s); a restart before the "
                        + "deadline proves it", config.name(), q.deadline);
            }
        }
        worker.shutdown();
        Queued now = running;
        boolean finished = true;
        if (now != null && now.job == Job.DESIGNATE && !shutdownGrace.isZero()) {
            LOG.info("{}: stopping: letting the in-flight designate proof (deadline {} unix s) finish, at most {} s",
                    config.name(), now.deadline, shutdownGrace.toSeconds());
            try {
                finished = worker.awaitTermination(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                finished = false;
            }
        } else if (now != null && now.job == Job.DESIGNATE) {
            finished = false;
        }
        if (!finished) {
            LOG.warn("{}: stopping: ABANDONED the in-flight designate proof (deadline {} unix s); a restart before the "
                    + "deadline proves it again", config.name(), now.deadline);
        }
        worker.shutdownNow();
        try {
            // an abandoned job sees the interrupt at its next chain call; wait for it to report, so that nothing of
            // this agent runs once close() returns
            if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("{}: stopping: the worker did not stop within 10 s (a proof in native code finishes first)",
                        config.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (pollerStopped && started.get()) {
            // the last word on where the next run starts: past every duty finished since the last poll
            try {
                saveCursor();
            } catch (RuntimeException e) {
                LOG.warn("{}: stopping: could not save the cursor ({}); the next run reads from the last one saved",
                        config.name(), e.getMessage());
            }
        }
        for (Plugin p : plugins.values()) {
            if (p.key() != provingKey) p.key().close(); // the digits key is the caller's: it may serve other agents
        }
    }
}
