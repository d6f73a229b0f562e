package io.procura.coordinator;

import io.procura.chain.ChainClient;
import io.procura.chain.ChainException;
import io.procura.chain.Deployment;
import io.procura.contracts.generated.ProcurementMarket;
import io.procura.contracts.generated.ProverRegistry;
import io.procura.db.BondEventRow;
import io.procura.db.BondState;
import io.procura.db.CircuitOptInRow;
import io.procura.db.CircuitRow;
import io.procura.db.CircuitTermsRow;
import io.procura.db.ClaimRow;
import io.procura.db.DeliveryRow;
import io.procura.db.IndexedBlock;
import io.procura.db.PayoutRow;
import io.procura.db.ProverRow;
import io.procura.db.SlashRow;
import io.procura.db.SlotCancelledRow;
import io.procura.db.SlotDrawnRow;
import io.procura.db.SlotOpenedRow;
import io.procura.db.SlotSettledRow;
import io.procura.db.CursorRepository;
import io.procura.db.Store;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.datatypes.Event;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;

/**
 * Mirrors the ProcurementMarket and ProverRegistry events the coordinator serves into PostgreSQL
 * (docs/DESIGN.md §5): circuits and their terms, slots (opened, drawn, cancelled, settled), proofs, payouts,
 * claims, slashes, bond changes and the provers' per-circuit opt-ins.
 *
 * <p>It follows the chain from a cursor kept in the {@code chain_cursor} table: each poll reads the
 * logs of the blocks after the cursor up to {@code latest - confirmations}, and writes each block's
 * rows together with the cursor advance in one transaction, so a crash never leaves half a block
 * indexed and a restart resumes where it stopped. Every row is keyed by (tx hash, log index), so
 * replaying a block is a no-op (idempotent). What the handlers need from the chain beyond the logs (a proof's gas
 * from its receipt, a prover's registry state at the block) is read before the block's transaction opens, so no RPC
 * call ever runs inside a database transaction. Each poll first compares the stored hash of the cursor's block with the
 * chain's and, on a reorganisation, rolls the index back to the newest block the chain still has
 * ({@link #rollBackIfReorganised()}).
 */
public final class ChainIndexer {
    private static final Logger LOG = LoggerFactory.getLogger(ChainIndexer.class);
    /** At most this many blocks per {@code eth_getLogs} call. */
    static final int MAX_RANGE = 2_000;

    private final ChainClient chain;
    private final Deployment deployment;
    private final Store store;
    private final String cursorName;
    private final int confirmations;
    private final ProverRegistry registryReader;
    private final Map<String, BiConsumer<Store, Log>> handlers = new java.util.HashMap<>();
    /** Topics whose handler records a bond event with the prover's registry state at that block. */
    private final java.util.Set<String> bondTopics = new java.util.HashSet<>();
    private static final String PROOF_SUBMITTED_TOPIC = EventEncoder.encode(ProcurementMarket.PROOFSUBMITTED_EVENT);
    /** What the handlers of the block being stored read from the chain, fetched before its transaction opens: gas
     *  used by transaction hash, and provers' registry states by {@code prover@block}. */
    private Map<String, Long> gasByTx = Map.of();
    private Map<String, BondState> bondStates = Map.of();
    /** Metrics, or null; counted once a block's transaction committed (a rolled-back block counts nothing). */
    private volatile CoordinatorMetrics metrics;
    private final List<Runnable> uncommitted = new ArrayList<>();

    /**
     * @param chain         the chain
     * @param deployment    the marketplace to follow
     * @param store         where the rows go
     * @param confirmations blocks to wait before indexing a block (0 on a local dev chain)
     */
    public ChainIndexer(ChainClient chain, Deployment deployment, Store store, int confirmations) {
        if (confirmations < 0) throw new IllegalArgumentException("confirmations must be >= 0, got " + confirmations);
        this.chain = chain;
        this.deployment = deployment;
        this.store = store;
        this.confirmations = confirmations;
        this.cursorName = "market:" + deployment.chainId() + ":" + deployment.market().toLowerCase();
        this.registryReader = ProverRegistry.load(deployment.registry(), chain.web3j(),
                new ReadonlyTransactionManager(chain.web3j(), Credentials.create("0x1").getAddress()), new DefaultGasProvider());
        register(ProcurementMarket.CIRCUITREGISTERED_EVENT, this::onCircuitRegistered);
        register(ProcurementMarket.CIRCUITTERMSSET_EVENT, this::onCircuitTermsSet);
        register(ProcurementMarket.SLOTOPENED_EVENT, this::onSlotOpened);
        register(ProcurementMarket.SLOTDRAWN_EVENT, this::onSlotDrawn);
        register(ProcurementMarket.SLOTCANCELLED_EVENT, this::onSlotCancelled);
        register(ProcurementMarket.PROOFSUBMITTED_EVENT, this::onProofSubmitted);
        register(ProcurementMarket.PAYOUTCREDITED_EVENT, this::onPayoutCredited);
        register(ProcurementMarket.SLOTSETTLED_EVENT, this::onSlotSettled);
        register(ProcurementMarket.CLAIMED_EVENT, this::onClaimed);
        register(ProverRegistry.PROVERREGISTERED_EVENT, this::onProverRegistered);
        register(ProverRegistry.SLASHED_EVENT, this::onSlashed);
        register(ProverRegistry.OPTEDIN_EVENT, (tx, log) -> onOptIn(tx, log, true));
        register(ProverRegistry.OPTEDOUT_EVENT, (tx, log) -> onOptIn(tx, log, false));
        bondTopics.add(EventEncoder.encode(ProverRegistry.PROVERREGISTERED_EVENT));
        bondTopics.add(EventEncoder.encode(ProverRegistry.SLASHED_EVENT));
        for (Event e : List.of(ProverRegistry.BONDED_EVENT, ProverRegistry.UNBONDREQUESTED_EVENT, ProverRegistry.WITHDRAWN_EVENT,
                ProverRegistry.BONDLOCKED_EVENT, ProverRegistry.BONDUNLOCKED_EVENT, ProverRegistry.JAILED_EVENT,
                ProverRegistry.UNJAILED_EVENT, ProverRegistry.REWARDSADDED_EVENT, ProverRegistry.EXITATRISK_EVENT)) {
            register(e, (tx, log) -> onBondEvent(tx, log, e.getName()));
            bondTopics.add(EventEncoder.encode(e));
        }
    }

    private void register(Event event, BiConsumer<Store, Log> handler) {
        handlers.merge(EventEncoder.encode(event), handler, BiConsumer::andThen);
    }

    /** @return the cursor's name in {@code chain_cursor} */
    public String cursorName() {
        return cursorName;
    }

    /**
     * Counts what the indexer stores from now on: slots opened, drawn, cancelled and settled, deliveries, and its lag.
     *
     * @param metrics the coordinator's metrics, or null for none
     */
    public void setMetrics(CoordinatorMetrics metrics) {
        this.metrics = metrics;
    }

    private void count(java.util.function.Consumer<CoordinatorMetrics> what) {
        CoordinatorMetrics m = metrics;
        if (m != null) uncommitted.add(() -> what.accept(m));
    }

    /**
     * Indexes every block that is ready, in ranges of at most {@link #MAX_RANGE} blocks.
     *
     * @return the number of blocks indexed
     * @throws ChainException if the chain cannot be read
     */
    public long pollOnce() {
        try {
            return poll();
        } catch (RuntimeException e) {
            CoordinatorMetrics m = metrics;
            if (m != null) m.indexerPollFailed();
            throw e;
        }
    }

    private long poll() {
        rollBackIfReorganised();
        long head = chain.blockNumber().longValueExact();
        long safe = head - confirmations;
        long from = store.cursors().cursor(cursorName).orElse(deployment.deployBlock().longValueExact() - 1) + 1;
        long done = 0;
        while (from <= safe) {
            long to = Math.min(safe, from + MAX_RANGE - 1);
            if (!indexRange(from, to)) break;
            done += to - from + 1;
            from = to + 1;
        }
        CoordinatorMetrics m = metrics;
        if (m != null) m.indexerLag(head - (from - 1));
        return done;
    }

    /**
     * The parent-hash check: when the hash of the cursor's block is no longer the chain's (a reorganisation
     * replaced it, or the chain is now shorter), finds the newest stored block whose hash the chain still has, reads
     * the registry's bond states at it, and rolls the index back to it ({@link Store#rollBackTo}); the next ranges
     * index the new branch. When no stored block survived (a reorganisation deeper than
     * {@link Store#HASH_WINDOW} blocks), the index goes back to the deployment block.
     *
     * @return the block the index was rolled back to, or -1 when the chain did not reorganise
     * @throws ChainException if the chain cannot be read, or when the deployment block itself is gone
     */
    public long rollBackIfReorganised() {
        var cursor = store.cursors().cursorState(cursorName).orElse(null);
        if (cursor == null || cursor.blockHash() == null) return -1;
        if (cursor.blockHash().equals(chain.blockHash(BigInteger.valueOf(cursor.lastBlock())))) return -1;
        long deployBlock = deployment.deployBlock().longValueExact();
        long ancestor = deployBlock - 1;
        String ancestorHash = null;
        for (IndexedBlock b : store.cursors().indexedBlocks(cursorName, CursorRepository.HASH_WINDOW)) {
            String now = chain.blockHash(BigInteger.valueOf(b.number()));
            if (b.hash().equals(now)) {
                ancestor = b.number();
                ancestorHash = now;
                break;
            }
        }
        if (ancestorHash == null) {
            if (chain.blockHash(deployment.deployBlock()) == null) {
                throw new ChainException("the chain no longer has the deployment block " + deployBlock + " of market "
                        + deployment.market() + ": it was reorganised away or the chain was reset; point the coordinator "
                        + "at the right chain or start with --fresh-index");
            }
            LOG.warn("chain reorganised deeper than the {} blocks whose hashes are kept: re-indexing from the deployment "
                    + "block {}", CursorRepository.HASH_WINDOW, deployBlock);
        }
        List<BondState> restored = new ArrayList<>();
        if (ancestor >= deployBlock) {
            for (String prover : store.provers().proversWithBondStateAfter(ancestor)) {
                ProverRegistry.ProverInfo info = proverAt(prover, BigInteger.valueOf(ancestor));
                if (info.registered) {
                    restored.add(new BondState(prover, info.bond, info.locked, info.pendingUnbond, info.jailed, ancestor));
                }
            }
        }
        int deleted = store.cursors().rollBackTo(cursorName, ancestor, ancestorHash, restored);
        LOG.warn("chain reorganised: block {} changed; index rolled back to block {} ({} event rows removed, {} bond "
                + "states restored), re-indexing the new branch", cursor.lastBlock(), ancestor, deleted, restored.size());
        return ancestor;
    }

    /**
     * Indexes blocks {@code from..to}. The hash of {@code to} is read before and after the logs: when it changed in
     * between (a reorganisation while reading), nothing is stored and the next poll's parent-hash check takes over.
     *
     * @return true when the range was stored
     */
    private boolean indexRange(long from, long to) {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(to)), List.of(deployment.market(), deployment.registry()));
        String toHash = chain.blockHash(BigInteger.valueOf(to));
        TreeMap<Long, List<Log>> byBlock = new TreeMap<>();
        for (Log log : chain.logs(filter, "blocks " + from + ".." + to)) {
            if (Boolean.TRUE.equals(log.isRemoved())) continue;
            byBlock.computeIfAbsent(log.getBlockNumber().longValueExact(), b -> new ArrayList<>()).add(log);
        }
        String toHashAfter = chain.blockHash(BigInteger.valueOf(to));
        boolean consistent = toHash != null && toHash.equals(toHashAfter)
                && (!byBlock.containsKey(to) || toHash.equals(byBlock.get(to).get(0).getBlockHash()));
        if (!consistent) {
            LOG.info("block {} changed while blocks {}..{} were read (a reorganisation): reading them again", to, from, to);
            return false;
        }
        for (Map.Entry<Long, List<Log>> e : byBlock.entrySet()) {
            List<Log> logs = e.getValue();
            logs.sort(java.util.Comparator.comparing(Log::getLogIndex));
            String hash = logs.get(0).getBlockHash();
            prefetch(logs); // every chain read the handlers need, before the transaction: none happens inside it
            uncommitted.clear();
            try {
                store.inTransaction(tx -> {
                    for (Log log : logs) {
                        BiConsumer<Store, Log> h = log.getTopics().isEmpty() ? null : handlers.get(log.getTopics().get(0));
                        if (h != null) h.accept(tx, log);
                    }
                    tx.cursors().advanceCursor(cursorName, e.getKey(), hash);
                });
                uncommitted.forEach(Runnable::run); // committed: count what it stored
            } finally {
                uncommitted.clear();
            }
        }
        // Blocks without our events still move the cursor (one small write per range).
        if (byBlock.isEmpty() || byBlock.lastKey() < to) {
            store.inTransaction(tx -> tx.cursors().advanceCursor(cursorName, to, toHash));
        }
        if (!byBlock.isEmpty()) LOG.debug("indexed blocks {}..{} ({} blocks with events)", from, to, byBlock.size());
        return true;
    }

    private ProverRegistry.ProverInfo proverAt(String prover, BigInteger block) {
        try {
            registryReader.setDefaultBlockParameter(DefaultBlockParameter.valueOf(block));
            return registryReader.getProver(prover).send();
        } catch (Exception e) {
            throw new ChainException("reading prover " + prover + " at block " + block + ": " + e.getMessage(), e);
        }
    }

    /** Reads what the handlers of one block's logs need from the chain (receipts' gas, registry states). */
    private void prefetch(List<Log> logs) {
        Map<String, Long> gas = new java.util.HashMap<>();
        Map<String, BondState> states = new java.util.HashMap<>();
        for (Log log : logs) {
            if (log.getTopics().isEmpty()) continue;
            String topic = log.getTopics().get(0);
            if (PROOF_SUBMITTED_TOPIC.equals(topic)) {
                gas.computeIfAbsent(log.getTransactionHash(), this::gasUsed);
            } else if (bondTopics.contains(topic)) {
                String prover = Numeric.toHexStringWithPrefixZeroPadded(Numeric.toBigInt(log.getTopics().get(1)), 40);
                states.computeIfAbsent(prover + "@" + block(log), k -> bondStateAt(prover, log.getBlockNumber()));
            }
        }
        gasByTx = gas;
        bondStates = states;
    }

    private long gasUsed(String txHash) {
        try {
            return chain.web3j().ethGetTransactionReceipt(txHash).send().getTransactionReceipt()
                    .map(r -> r.getGasUsed().longValueExact()).orElse(0L);
        } catch (IOException e) {
            throw new ChainException("receipt of " + txHash + ": " + e.getMessage(), e);
        }
    }

    /** A prover's registry state as of the end of {@code block} (its latest state on a node without that history). */
    private BondState bondStateAt(String prover, BigInteger block) {
        ProverRegistry.ProverInfo info;
        try {
            info = proverAt(prover, block);
        } catch (ChainException historical) {
            // A pruned (non-archive) node has no state for old blocks: fall back to the latest state
            // rather than stalling the indexer; the next event of this prover corrects it.
            try {
                registryReader.setDefaultBlockParameter(DefaultBlockParameterName.LATEST);
                info = registryReader.getProver(prover).send();
                LOG.warn("prover {}: no state at block {} ({}); stored its latest bond state instead", prover, block,
                        historical.getMessage());
            } catch (Exception e) {
                throw new ChainException("reading prover " + prover + " at block " + block + ": " + e.getMessage(), e);
            }
        }
        return new BondState(prover, info.bond, info.locked, info.pendingUnbond, info.jailed, block.longValueExact());
    }

    private static int logIndex(Log log) {
        return log.getLogIndex().intValueExact();
    }

    private static long block(Log log) {
        return log.getBlockNumber().longValueExact();
    }

    private static String hex(byte[] b) {
        return Numeric.toHexString(b);
    }

    private void onCircuitRegistered(Store tx, Log log) {
        ProcurementMarket.CircuitRegisteredEventResponse ev = ProcurementMarket.getCircuitRegisteredEventFromLog(log);
        tx.circuits().insertCircuit(new CircuitRow(ev.circuitId, ev.verifier, ev.numFixedInputs.intValueExact(),
                ev.numOutputs.intValueExact(), log.getTransactionHash(), logIndex(log), block(log)));
    }

    private void onCircuitTermsSet(Store tx, Log log) {
        ProcurementMarket.CircuitTermsSetEventResponse ev = ProcurementMarket.getCircuitTermsSetEventFromLog(log);
        ProcurementMarket.CircuitTerms t = ev.terms;
        tx.circuits().insertCircuitTerms(new CircuitTermsRow(log.getTransactionHash(), logIndex(log), block(log), ev.circuitId,
                t.minProofPrice, t.minProveWindow.longValueExact(), t.maxProveWindow.longValueExact(),
                t.effectiveAt.longValueExact()));
    }

    private void onSlotOpened(Store tx, Log log) {
        ProcurementMarket.SlotOpenedEventResponse ev = ProcurementMarket.getSlotOpenedEventFromLog(log);
        ProcurementMarket.SlotTerms t = ev.terms;
        if (tx.slots().insertSlotOpened(new SlotOpenedRow(log.getTransactionHash(), logIndex(log), block(log), ev.slotId,
                ev.circuitId, ev.requester, t.eligibleCount.intValueExact(), t.mixingProbability, t.proofPrice, t.escrow,
                t.committeePrize, t.bondAtRisk, ev.proveWindow.longValueExact(), ev.drawBlock.longValueExact(), ev.payload,
                t.fixedInputs))) {
            count(CoordinatorMetrics::slotOpened);
        }
    }

    private void onSlotDrawn(Store tx, Log log) {
        ProcurementMarket.SlotDrawnEventResponse ev = ProcurementMarket.getSlotDrawnEventFromLog(log);
        if (tx.slots().markDrawn(new SlotDrawnRow(log.getTransactionHash(), logIndex(log), block(log), ev.slotId, ev.designate,
                hex(ev.seed), ev.deadline.longValueExact()))) {
            count(CoordinatorMetrics::slotDrawn);
        }
    }

    private void onSlotCancelled(Store tx, Log log) {
        ProcurementMarket.SlotCancelledEventResponse ev = ProcurementMarket.getSlotCancelledEventFromLog(log);
        if (tx.slots().markCancelled(new SlotCancelledRow(log.getTransactionHash(), logIndex(log), block(log), ev.slotId,
                ev.noCandidate, ev.refunded))) {
            count(CoordinatorMetrics::slotCancelled);
        }
    }

    private void onProofSubmitted(Store tx, Log log) {
        ProcurementMarket.ProofSubmittedEventResponse ev = ProcurementMarket.getProofSubmittedEventFromLog(log);
        Long gas = gasByTx.get(log.getTransactionHash());
        if (gas == null) throw new IllegalStateException("gas of " + log.getTransactionHash() + " was not prefetched");
        if (tx.slots().recordDelivery(new DeliveryRow(log.getTransactionHash(), logIndex(log), block(log), ev.slotId, ev.prover,
                ev.designate, ev.outputs, gas))) {
            count(m -> m.delivery(ev.designate));
        }
    }

    private void onPayoutCredited(Store tx, Log log) {
        ProcurementMarket.PayoutCreditedEventResponse ev = ProcurementMarket.getPayoutCreditedEventFromLog(log);
        tx.ledger().insertPayout(new PayoutRow(log.getTransactionHash(), logIndex(log), block(log), ev.slotId, ev.account, ev.amount,
                PayoutKinds.name(ev.kind.intValueExact())));
    }

    private void onSlotSettled(Store tx, Log log) {
        ProcurementMarket.SlotSettledEventResponse ev = ProcurementMarket.getSlotSettledEventFromLog(log);
        if (tx.slots().markSettled(new SlotSettledRow(log.getTransactionHash(), logIndex(log), block(log), ev.slotId,
                ev.designateDelivered, ev.committeeDeliveries.intValueExact(), ev.designatePayout, ev.committeePayoutEach,
                ev.refunded, ev.slashed))) {
            int committee = ev.committeeDeliveries.intValueExact();
            count(m -> m.slotSettled(ev.designateDelivered, committee));
        }
    }

    private void onClaimed(Store tx, Log log) {
        ProcurementMarket.ClaimedEventResponse ev = ProcurementMarket.getClaimedEventFromLog(log);
        tx.ledger().recordClaim(new ClaimRow(log.getTransactionHash(), logIndex(log), block(log), ev.account, ev.amount));
    }

    private void onProverRegistered(Store tx, Log log) {
        ProverRegistry.ProverRegisteredEventResponse ev = ProverRegistry.getProverRegisteredEventFromLog(log);
        tx.provers().upsertProver(new ProverRow(ev.prover, ev.endpoint, hex(ev.vrfPublicKeyHash), block(log)));
        onBondEvent(tx, log, "ProverRegistered");
    }

    private void onOptIn(Store tx, Log log, boolean optedIn) {
        String prover = Numeric.toHexStringWithPrefixZeroPadded(Numeric.toBigInt(log.getTopics().get(1)), 40);
        BigInteger circuitId = Numeric.toBigInt(log.getTopics().get(2));
        tx.provers().recordOptIn(new CircuitOptInRow(log.getTransactionHash(), logIndex(log), block(log), prover, circuitId, optedIn));
    }

    private void onSlashed(Store tx, Log log) {
        ProverRegistry.SlashedEventResponse ev = ProverRegistry.getSlashedEventFromLog(log);
        tx.ledger().insertSlash(new SlashRow(log.getTransactionHash(), logIndex(log), block(log), ev.slotId, ev.prover, ev.amount, ev.to));
        onBondEvent(tx, log, "Slashed");
    }

    /** Records a bond-changing event with the prover's registry state as of the end of that block. */
    private void onBondEvent(Store tx, Log log, String kind) {
        String prover = Numeric.toHexStringWithPrefixZeroPadded(Numeric.toBigInt(log.getTopics().get(1)), 40);
        BigInteger amount = BigInteger.ZERO;
        String data = log.getData();
        if (data != null && data.length() >= 66 && !kind.equals("ProverRegistered")) {
            amount = Numeric.toBigInt(data.substring(2, 66));
        }
        BondState after = bondStates.get(prover + "@" + block(log));
        if (after == null) throw new IllegalStateException("the state of " + prover + " at block " + block(log) + " was not prefetched");
        tx.provers().recordBondEvent(new BondEventRow(log.getTransactionHash(), logIndex(log), block(log), prover, kind, null, amount), after);
    }
}
