package io.procura.agent;

import io.procura.chain.Binding;
import io.procura.chain.ChainClient;
import io.procura.chain.ChainException;
import io.procura.chain.Reverts;
import io.procura.chain.Deployment;
import io.procura.chain.MarketContracts;
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
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * One prover operator's daemon (DESIGN.md §5): registers and bonds, opts into the circuits it can
 * prove ({@link AgentConfig#circuits()}; by default every circuit it holds keys for) and out of any
 * other, watches the market's slots, draws the designate of the slots of its circuits once their draw
 * block exists ({@code draw}: anybody may; when another party drew first the agent just moves on),
 * learns its duty from {@code SlotDrawn}: proves when it is the designate, and as a committee member
 * proves with the slot's mixing probability {@code p} using its {@link PrivateCoin} on the seed the draw
 * revealed; submits before the deadline or not at all; claims its payouts after settlement. It never
 * takes a slot of a circuit it is not opted into (it still proves a slot it was drawn for before it
 * opted out: the market keeps that duty).
 *
 * <p>Threads: one poller reads events; one worker proves and sends every transaction of this key
 * (one proof at a time per device, and no nonce races). The worker takes jobs by priority: the
 * designate's proof first (its bond is at stake), then draws, then claims, then optional committee
 * proofs, each by earliest deadline; a job whose deadline is too close to make is dropped before proving.
 */
public final class ProverAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProverAgent.class);
    private static final String SLOT_OPENED_TOPIC = EventEncoder.encode(ProcurementMarket.SLOTOPENED_EVENT);
    private static final String SLOT_DRAWN_TOPIC = EventEncoder.encode(ProcurementMarket.SLOTDRAWN_EVENT);
    private static final String SLOT_CANCELLED_TOPIC = EventEncoder.encode(ProcurementMarket.SLOTCANCELLED_EVENT);
    private static final String SLOT_SETTLED_TOPIC = EventEncoder.encode(ProcurementMarket.SLOTSETTLED_EVENT);

    /** Receives what the agent did about each slot. */
    @FunctionalInterface
    public interface Listener {
        /** @param outcome what the agent did; called on the agent's worker thread */
        void onSlotHandled(SlotOutcome outcome);
    }

    private final AgentConfig config;
    private final ChainClient chain;
    private final Deployment deployment;
    private final ProvingRuntime runtime;
    private final ProvingKey provingKey;
    private final Listener listener;
    private final MarketContracts contracts;
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
    private final java.util.concurrent.atomic.AtomicLong jobSequence = new java.util.concurrent.atomic.AtomicLong();
    private final AtomicBoolean started = new AtomicBoolean();
    /** Blocks an event must be buried under before the agent acts on it (0: the head, for a local dev chain). */
    private volatile int confirmations;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Committee deliveries whose share is not credited yet, with the slot's drawn terms; worker thread only. */
    private final java.util.Map<BigInteger, ProcurementMarket.SlotTerms> committeeOwed = new java.util.LinkedHashMap<>();
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
        this.config = Objects.requireNonNull(config, "config");
        this.chain = Objects.requireNonNull(chain, "chain");
        this.deployment = Objects.requireNonNull(deployment, "deployment");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.provingKey = Objects.requireNonNull(provingKey, "provingKey");
        Objects.requireNonNull(model, "model");
        this.listener = listener == null ? o -> {} : listener;
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
        this.contracts = MarketContracts.load(chain, deployment, config.credentials());
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
    private void topUpBond() throws Exception {
        BigInteger target = config.bond();
        if (target.signum() == 0) return;
        BigInteger own = contracts.registry().stakeOf(address(), address()).send();
        if (own.compareTo(target) >= 0) {
            LOG.info("{}: own stake {} tokens already meets the bond target {}", config.name(), Tokens.format(own, 4),
                    Tokens.format(target, 4));
            return;
        }
        BigInteger missing = target.subtract(own);
        BigInteger balance = contracts.token().balanceOf(address()).send();
        if (balance.compareTo(missing) < 0) {
            throw new ChainException(config.name() + ": bonding up to " + Tokens.format(target, 4) + " tokens needs "
                    + Tokens.format(missing, 4) + " more, but " + address() + " holds " + Tokens.format(balance, 4)
                    + " tokens");
        }
        contracts.token().approve(deployment.registry(), missing).send();
        contracts.registry().bond(missing).send();
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
        try {
            if (!contracts.registry().isRegistered(address()).send()) {
                contracts.registry().register(config.endpoint(), new byte[32]).send();
                LOG.info("{} registered", config.name());
            }
            topUpBond();
            joinCommitteePool();
            syncCircuits();
        } catch (ChainException e) {
            throw e;
        } catch (Exception e) {
            throw new ChainException(config.name() + ": registering and bonding failed: " + e.getMessage(), e);
        }
    }

    /**
     * Stakes the registry's committee slice into its committee pool when the market uses correlated
     * slashing (MECHANISM.md §6) and this prover holds no share of it yet: without one it is not eligible.
     * The slice comes from the key's tokens, on top of {@link AgentConfig#bond()}.
     */
    private void joinCommitteePool() throws Exception {
        BigInteger slice = contracts.registry().committeeSlice().send();
        if (slice.signum() == 0) return;
        String pool = contracts.registry().COMMITTEE_POOL().send();
        if (contracts.registry().sharesOf(pool, address()).send().signum() > 0) return;
        contracts.token().approve(deployment.registry(), slice).send();
        contracts.registry().stakeTo(pool, slice).send();
        LOG.info("{} staked its committee slice of {} tokens (correlated slashing)", config.name(), Tokens.format(slice, 4));
    }

    /**
     * Opts out of the circuits the prover is opted into but should not take, then into those of
     * {@link #circuits()} it is not opted into yet (out first: a prover has at most
     * {@code MAX_CIRCUITS_PER_PROVER}).
     */
    private void syncCircuits() throws Exception {
        Set<BigInteger> current = new HashSet<>();
        for (Object c : contracts.registry().circuitsOf(address()).send()) current.add((BigInteger) c);
        for (BigInteger c : new TreeSet<>(current)) {
            if (circuits.contains(c)) continue;
            contracts.registry().optOut(c).send();
            LOG.info("{} opted out of circuit {}", config.name(), c);
        }
        for (BigInteger c : new TreeSet<>(circuits)) {
            if (current.contains(c)) continue;
            contracts.registry().optIn(c).send();
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
    private record Undrawn(ProcurementMarket.SlotOpenedEventResponse opened, boolean ours, AtomicBoolean queued) {}

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
        BigInteger head = chain.blockNumber();
        // events are read only once `confirmations` blocks bury them (a reorganisation shallower than that cannot
        // move an event the agent acted on); draws look at the head, where the draw block's hash is readable
        BigInteger latest = head.subtract(BigInteger.valueOf(confirmations));
        rewindOnReorg();
        if (latest.compareTo(nextBlock) >= 0) {
            EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(nextBlock), DefaultBlockParameter.valueOf(latest),
                    deployment.market());
            for (Log log : chain.logs(filter, "blocks " + nextBlock + ".." + latest)) {
                if (log.getTopics().isEmpty()) continue;
                long block = log.getBlockNumber().longValueExact();
                long index = log.getLogIndex().longValueExact();
                if (block < handledBlock || (block == handledBlock && index <= handledLogIndex)) continue; // handled before a retry
                try {
                    handle(log);
                } catch (RuntimeException e) {
                    nextBlock = BigInteger.valueOf(block); // read again from here; what was handled is skipped
                    throw e;
                }
                handledBlock = block;
                handledLogIndex = index;
            }
            nextBlock = latest.add(BigInteger.ONE);
            lastReadHash = chain.blockHash(latest);
            AgentState st = state;
            if (st != null) st.saveCursor(nextBlock);
        }
        queueDraws(head);
    }

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
        String now = chain.blockHash(last);
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
    private void handle(Log log) {
        String topic = log.getTopics().get(0);
        if (SLOT_OPENED_TOPIC.equals(topic)) {
            ProcurementMarket.SlotOpenedEventResponse ev = ProcurementMarket.getSlotOpenedEventFromLog(log);
            undrawn.putIfAbsent(ev.slotId, new Undrawn(ev, circuits.contains(ev.circuitId), new AtomicBoolean()));
        } else if (SLOT_DRAWN_TOPIC.equals(topic)) {
            onDrawn(ProcurementMarket.getSlotDrawnEventFromLog(log));
        } else if (SLOT_CANCELLED_TOPIC.equals(topic)) {
            BigInteger slotId = ProcurementMarket.getSlotCancelledEventFromLog(log).slotId;
            if (undrawn.remove(slotId) != null) LOG.info("{}: slot {} was cancelled before a draw", config.name(), slotId);
        } else if (SLOT_SETTLED_TOPIC.equals(topic)) {
            ProcurementMarket.SlotSettledEventResponse ev = ProcurementMarket.getSlotSettledEventFromLog(log);
            if (!ev.designateDelivered) warnIfSlashed(ev);
            enqueue(Job.CLAIM, Long.MAX_VALUE, this::claimIfOwed);
        }
    }

    /** A failed slot whose designate was this prover: the operator must know (slashed, jailed, in tokens). */
    private void warnIfSlashed(ProcurementMarket.SlotSettledEventResponse ev) {
        SlotLogs.Slot s = SlotLogs.read(chain, deployment.market(), ev.slotId, deployment.deployBlock());
        if (s.drawn() == null || !s.drawn().designate.equalsIgnoreCase(address())) return;
        boolean jailed;
        try {
            jailed = contracts.registry().isJailed(address()).send();
        } catch (Exception e) {
            throw new ChainException("reading the jail of " + address() + " failed: " + e.getMessage(), e);
        }
        LOG.warn("{}: SLASHED {} tokens: as designate of slot {} it delivered no proof by the deadline{}", config.name(),
                Tokens.format(ev.slashed, 4), ev.slotId,
                jailed ? "; JAILED: `procura prover status` says when `procura prover unjail` works" : "");
    }

    /** Learns the agent's duty in a slot from its draw and queues the work. */
    private void onDrawn(ProcurementMarket.SlotDrawnEventResponse ev) {
        Undrawn u = undrawn.remove(ev.slotId);
        // a slot opened before this agent started watching: read its opening back
        ProcurementMarket.SlotOpenedEventResponse opened = u != null ? u.opened()
                : SlotLogs.opened(chain, deployment.market(), ev.slotId, deployment.deployBlock());
        DrawnSlot slot = new DrawnSlot(opened, ev, SlotLogs.withDraw(opened.terms, ev.designate, ev.seed));
        boolean designate = ev.designate.equalsIgnoreCase(address());
        long deadline = ev.deadline.longValueExact();
        if (designate) {
            LOG.info("{}: DUTY designate of slot {} (circuit {}): prove by {} (unix s), {} tokens of bond at stake",
                    config.name(), slot.slotId(), slot.circuitId(), deadline, Tokens.format(slot.terms().bondAtRisk, 4));
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
            SlotDraws.Result r = SlotDraws.draw(chain, contracts.market(), slotId, u.opened().terms, u.opened().drawBlock);
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
        try {
            outcome = decideAndProve(slot);
        } catch (RuntimeException e) {
            LOG.warn("{}: slot {} failed: {}", config.name(), slot.slotId(), Reverts.describe(e.getMessage()));
            SlotOutcome.Role role = slot.drawn().designate.equalsIgnoreCase(address()) ? SlotOutcome.Role.DESIGNATE
                    : SlotOutcome.Role.COMMITTEE;
            outcome = new SlotOutcome(slot.slotId(), address(), role, SlotOutcome.Action.FAILED, -1, Duration.ZERO,
                    BigInteger.ZERO, e.getMessage());
        }
        listener.onSlotHandled(outcome);
    }

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
        try {
            ProcurementMarket.SlotState st = contracts.market().slotState(slotId).send();
            if (st.settled) return "the slot is already settled (or cancelled)";
            if (designate && st.designateDelivered) return "this prover already delivered the slot as designate";
            if (!designate && contracts.market().committeeShareOwed(slotId, address()).send()) {
                return "this prover already delivered the slot as a committee member";
            }
            return null;
        } catch (Exception e) {
            throw new ChainException("reading the state of slot " + slotId + " failed: " + e.getMessage(), e);
        }
    }

    /** A proof made for a slot: its outputs, 8 proof words, the class (-1: not a classifier), what to log. */
    private record Proved(List<BigInteger> outputs, BigInteger[] proof, int predictedClass, Duration proveTime,
                          String logged, String detail) {}

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
        Proved proof = prover.apply(Binding.of(chain.chainId(), deployment.market(), slotId, address()));
        if (chainNow() + config.submitMargin().toSeconds() >= deadline) {
            return new SlotOutcome(slotId, address(), role, SlotOutcome.Action.TOO_LATE, proof.predictedClass(),
                    proof.proveTime(), BigInteger.ZERO, "prove window closed");
        }
        try {
            // a transient failure (the node unreachable) is retried with backoff while the window stays open; a
            // revert is reported at once, decoded
            TransactionReceipt receipt = io.procura.chain.ChainRetry.call("submitProof of slot " + slotId, 4,
                    Duration.ofMillis(500), () -> chainNow() + config.submitMargin().toSeconds() < deadline,
                    () -> contracts.market().submitProof(slotId, terms, proof.outputs(), Arrays.asList(proof.proof())).send());
            if (!designate) committeeOwed.put(slotId, terms);
            LOG.info("{}: submitted slot {} as {} ({}, {} gas, proved in {} ms)", config.name(), slotId, role,
                    proof.logged(), receipt.getGasUsed(), proof.proveTime().toMillis());
            return new SlotOutcome(slotId, address(), role, SlotOutcome.Action.SUBMITTED, proof.predictedClass(),
                    proof.proveTime(), receipt.getGasUsed(), proof.detail());
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
            CircuitProof proof = runtime.prove(circuit, plugin.key(), payload, binding);
            BigInteger[] outputs = proof.outputs();
            int predicted = classifier ? outputs[0].intValueExact() : -1;
            String logged = classifier ? circuit.name() + ", class " + predicted : "circuit " + circuit.name();
            return new Proved(List.of(outputs), proof.proof(), predicted, proof.proveTime(), logged,
                    circuit.name().equals("digits") ? "accepted" : "accepted (" + circuit.name() + ")");
        });
    }

    /** Job kinds in the worker's priority order. */
    private enum Job { DESIGNATE, DRAW, CLAIM, COMMITTEE }

    /** A worker job ordered by kind, then deadline, then arrival. */
    private record Queued(Job job, long deadline, long seq, Runnable work) implements Runnable, Comparable<Queued> {
        @Override
        public void run() {
            work.run();
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
        return Math.max(chain.latestTimestamp(), java.time.Instant.now().getEpochSecond());
    }

    private boolean isCommitteeMember(BigInteger slotId, BigInteger circuitId, BigInteger snapshot) {
        try {
            return contracts.registry().isEligibleForSlot(address(), circuitId, snapshot).send();
        } catch (Exception e) {
            throw new ChainException("committee check (" + slotId + ", " + address() + ") failed: " + e.getMessage(), e);
        }
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
            BigInteger owed = contracts.market().claimable(address()).send();
            if (owed.signum() > 0) {
                io.procura.chain.ChainRetry.call("claim", 3, Duration.ofMillis(500), () -> true,
                        () -> contracts.market().claim().send());
                LOG.info("{}: claimed {} tokens", config.name(), Tokens.format(owed, 4));
            }
            return owed;
        } catch (Exception e) {
            throw new ChainException(config.name() + ": claiming failed: " + e.getMessage(), e);
        }
    }

    /** Credits the committee share of every settled slot this prover delivered to; worker thread only. */
    private void creditCommitteeShares() {
        for (var it = committeeOwed.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            try {
                if (!contracts.market().slotState(e.getKey()).send().settled) continue;
                if (contracts.market().committeeShareOwed(e.getKey(), address()).send()) {
                    contracts.market().creditCommittee(e.getKey(), e.getValue(), address()).send();
                    LOG.info("{}: credited its committee share of slot {}", config.name(), e.getKey());
                }
                it.remove(); // credited, by this agent or by a keeper
            } catch (Exception ex) {
                LOG.warn("{}: crediting the committee share of slot {} failed (will retry): {}", config.name(), e.getKey(),
                        ex.getMessage());
            }
        }
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

    /** Stops polling and proving and closes the proving keys the agent loaded (not the digits key it was given). Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        poller.shutdownNow();
        worker.shutdownNow();
        for (Plugin p : plugins.values()) {
            if (p.key() != provingKey) p.key().close(); // the digits key is the caller's: it may serve other agents
        }
    }
}
