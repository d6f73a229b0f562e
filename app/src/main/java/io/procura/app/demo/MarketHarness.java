package io.procura.app.demo;

import io.procura.app.Deployer;
import io.procura.chain.ChainClient;
import io.procura.chain.Deployment;
import io.procura.chain.MarketContracts;
import io.procura.chain.SlotLogs;
import io.procura.coordinator.SlotRequester;
import io.procura.db.ClaimRow;
import io.procura.db.PayoutRow;
import io.procura.db.SlotState;
import io.procura.db.SlotView;
import io.procura.db.Store;
import io.procura.mechanism.FailurePolicy;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.web3j.crypto.Credentials;

/**
 * Building blocks that the demo ({@link DemoRunner}) and the load test ({@code io.procura.app.load}) share: the
 * market parameters they deploy, funding keys, waiting for a slot's draw, the demo payloads, and the token audit
 * that checks every token is accounted for to the base unit.
 */
public final class MarketHarness {
    private MarketHarness() {}

    /**
     * The market parameters the demo deploys. On a local chain the unbonding delay (also the terms notice and the
     * jail cool-down) is {@code max(3600, 10 * proveWindow)} seconds and prove windows may be
     * {@code [min(30, proveWindow), max(600, proveWindow)]} seconds; on an external chain the delay is
     * {@code 2 * proveWindow} and the window exactly {@code proveWindow}.
     *
     * @param proofPrice      the digits circuit's least proof price, token base units per proof-cost unit
     * @param minBond         minimum bond for eligibility, token base units
     * @param slotBond        bond locked from a designate per slot, token base units
     * @param policy          the failure policy
     * @param modelCommitment MiMC commitment of the digits model (a BN254 scalar)
     * @param correlatedStake committee-pool stake per slot, token base units (0: off)
     * @param drawDelay       blocks from opening a slot to the block whose hash draws it
     * @param proveWindow     seconds from a draw to the deadline the run asks for
     * @param localChain      whether the chain is a local anvil (whose clock the run advances)
     * @return the parameters
     * @throws IllegalArgumentException as {@link Deployer.Params}
     */
    public static Deployer.Params params(BigInteger proofPrice, BigInteger minBond, BigInteger slotBond, FailurePolicy policy,
                                         BigInteger modelCommitment, BigInteger correlatedStake, int drawDelay,
                                         long proveWindow, boolean localChain) {
        long unbondingDelay = localChain ? Math.max(3600, proveWindow * 10) : proveWindow * 2;
        Deployer.CircuitTerms terms = new Deployer.CircuitTerms(proofPrice, Math.min(30, proveWindow),
                localChain ? Math.max(600, proveWindow) : proveWindow);
        return new Deployer.Params(minBond, unbondingDelay, slotBond, policy == FailurePolicy.PAPER ? 0 : 1, modelCommitment,
                correlatedStake, drawDelay, unbondingDelay, terms);
    }

    /**
     * Sends 10 ether for gas and mints tokens to an account.
     *
     * @param chain    the chain
     * @param owner    the token's owner (the deployer's contracts)
     * @param deployer the deployer's key (pays the ether)
     * @param to       the account
     * @param tokens   tokens to mint, base units
     * @throws Exception if either transaction fails
     */
    public static void fund(ChainClient chain, MarketContracts owner, Credentials deployer, String to, BigInteger tokens)
            throws Exception {
        chain.sendEther(deployer, to, BigDecimal.valueOf(10));
        owner.token().mint(to, tokens).send();
    }

    /**
     * What a run proves with: the native runtime, the digits classifier, the data set, its held-out rows and the
     * bundled (single-party, development-only) Groth16 proving key of the digits circuit.
     *
     * @param runtime the native proving runtime
     * @param model   the digits classifier ({@code data/digits-model.json})
     * @param images  the UCI digits data set ({@code data/digits.csv.gz})
     * @param heldOut the indices of the images the classifier was not trained on
     * @param pk      the digits circuit's proving key; the caller closes it
     */
    public record Inputs(io.procura.runtime.ProvingRuntime runtime, io.procura.runtime.DigitsModel model,
                         List<io.procura.runtime.DigitsImage> images, List<Integer> heldOut, io.procura.runtime.ProvingKey pk) {
        /**
         * Loads them from a Procura home (a checkout, or the image's {@code /opt/procura}).
         *
         * @param home the folder holding {@code data/}
         * @return the inputs, the proving key open
         * @throws java.io.IOException if a data file cannot be read
         * @throws IllegalStateException if the native library or the bundled key cannot be loaded
         */
        public static Inputs load(Path home) throws java.io.IOException {
            io.procura.runtime.ProvingRuntime runtime = io.procura.runtime.ProvingRuntime.nativeRuntime();
            io.procura.runtime.DigitsModel model = io.procura.runtime.DigitsModel.load(home.resolve("data/digits-model.json"));
            List<io.procura.runtime.DigitsImage> images = io.procura.runtime.DigitsDataset.load(home.resolve("data/digits.csv.gz"));
            List<Integer> heldOut = testIndices(home.resolve("data/digits-model.json"));
            return new Inputs(runtime, model, images, heldOut, io.procura.runtime.ProvingKey.loadBundled("digits"));
        }
    }

    /**
     * Waits until the coordinator's index shows a slot in a state.
     *
     * @param store  the coordinator's store
     * @param slotId the slot
     * @param state  the state to wait for
     * @param since  {@link System#nanoTime()} from which {@code bound} counts
     * @param bound  the longest wait from {@code since}
     * @param sync   run before each read (e.g. the coordinator's {@code syncNow}; a no-op when it polls by itself)
     * @param poll   the pause between reads
     * @throws IllegalStateException if the slot is not in {@code state} within {@code bound}, saying what it is
     * @throws InterruptedException  if interrupted while waiting
     */
    public static void awaitState(Store store, BigInteger slotId, SlotState state, long since, java.time.Duration bound,
                                  Runnable sync, java.time.Duration poll) throws InterruptedException {
        while (true) {
            sync.run();
            SlotView v = store.slots().findSlot(slotId).orElse(null);
            if (v != null && v.state() == state) return;
            if (System.nanoTime() - since > bound.toNanos()) {
                throw new IllegalStateException("slot " + slotId + " did not reach " + state + " within "
                        + bound.toSeconds() + " s (it is " + (v == null ? "not indexed" : v.state()) + ")");
            }
            Thread.sleep(poll.toMillis());
        }
    }

    /**
     * The held-out rows of the data set, as recorded by scripts/train_digits.py in the model file.
     *
     * @param modelJson data/digits-model.json
     * @return row indices of data/digits.csv.gz
     * @throws java.io.IOException if the file cannot be read
     * @throws IllegalStateException if it lists no test rows
     */
    public static List<Integer> testIndices(Path modelJson) throws java.io.IOException {
        List<Integer> out = new ArrayList<>();
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(modelJson.toFile()).path("testIndices")
                .forEach(n -> out.add(n.asInt()));
        if (out.isEmpty()) throw new IllegalStateException(modelJson + " lists no testIndices");
        return out;
    }

    /**
     * A rollup-2^14 payload: 4 random balances below 1,000 tokens' base units and one transfer between two random
     * accounts (sometimes overdrawing: a no-op the circuit proves as well).
     *
     * @param rng the source of randomness
     * @return 48 bytes
     */
    public static byte[] rollupPayload(java.util.Random rng) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * 8 + 16);
        for (int k = 0; k < 4; k++) {
            b.putLong(rng.nextInt(1000));
        }
        b.putInt(rng.nextInt(4)).putInt(rng.nextInt(4)).putLong(rng.nextInt(1200));
        return b.array();
    }

    /**
     * Waits for a slot's draw (or cancellation). On anvil, which mines only on transactions, it first mines the blocks
     * up to the slot's draw block; the agents and the keeper then call {@code draw}.
     *
     * @param chain      the chain
     * @param nudge      run with each read while the slot is still open (the demo drives its coordinator with it; the
     *                   load test draws the slot itself)
     * @param d          the deployment
     * @param slot       the opened slot
     * @param localChain whether the chain is a local anvil
     * @return the slot as its logs say, drawn or cancelled
     * @throws IllegalStateException if nobody drew it within 60 s (local) or 600 s (external chain)
     * @throws InterruptedException if interrupted
     */
    public static SlotLogs.Slot awaitDraw(ChainClient chain, java.util.function.Consumer<SlotLogs.Slot> nudge, Deployment d,
                                          SlotRequester.OpenedSlot slot,
                                          boolean localChain) throws InterruptedException {
        if (localChain) {
            long missing = slot.drawBlock().subtract(chain.blockNumber()).longValueExact();
            if (missing > 0) chain.mine(missing);
        }
        // on an external chain the draw block comes with real blocks; allow for slow ones
        long limit = System.currentTimeMillis() + (localChain ? 60_000 : 600_000);
        while (true) {
            SlotLogs.Slot s = SlotLogs.read(chain, d.market(), slot.slotId(), slot.openBlock());
            if (s.isDrawn() || s.isCancelled()) return s;
            if (System.currentTimeMillis() > limit) throw new IllegalStateException("nobody drew slot " + slot.slotId() + " in time");
            nudge.accept(s);
            Thread.sleep(100);
        }
    }

    /**
     * @param v an indexed slot
     * @return the tokens its settlement (or cancellation) credited, base units
     */
    public static BigInteger paid(SlotView v) {
        BigInteger paid = BigInteger.ZERO;
        for (PayoutRow p : v.payouts()) paid = paid.add(p.amount());
        return paid;
    }

    /**
     * @param v an indexed slot, settled or cancelled
     * @return the bond seized from its designate, base units (0 for a cancelled slot)
     */
    public static BigInteger slashed(SlotView v) {
        return v.state() == SlotState.CANCELLED || v.settlement() == null ? BigInteger.ZERO : v.settlement().slashed();
    }

    /**
     * @param v an indexed slot, settled or cancelled
     * @return whether escrow + slashed == the sum of its payouts, to the base unit
     */
    public static boolean balanced(SlotView v) {
        return v.opened().escrow().add(slashed(v)).equals(paid(v));
    }

    /**
     * Token totals at the end of a run, base units (1 token = 10^18).
     *
     * @param tokensIn      bonds posted + escrows paid into the contracts
     * @param tokensOut     claims paid out of the market
     * @param held          balance of registry + market
     * @param bonds         the provers' bonds (and the committee pool's) in the registry
     * @param unclaimed     claimable balances of every account given
     * @param locked        stake still locked in the registry (provers and the committee pool): 0 once every slot ended
     * @param marketBalance the market's token balance (only unclaimed credits once every slot ended)
     * @param slotsBalanced every slot: escrow + slashed == sum of its payouts
     * @param ok            held == tokensIn - tokensOut == bonds + unclaimed, and slotsBalanced
     */
    public record Totals(BigInteger tokensIn, BigInteger tokensOut, BigInteger held, BigInteger bonds, BigInteger unclaimed,
                         BigInteger locked, BigInteger marketBalance, boolean slotsBalanced, boolean ok) {
        /** @return the demo report's view of these totals */
        public DemoReport.Conservation conservation() {
            return new DemoReport.Conservation(tokensIn, tokensOut, held, bonds, unclaimed, slotsBalanced, ok);
        }
    }

    /**
     * Checks that every token is accounted for: what came into the registry and the market (bonds, escrows), less
     * what was claimed out, is what they hold, and that equals the bonds plus everybody's unclaimed credits.
     *
     * @param owner    contracts bound to any key (reads only)
     * @param d        the deployment
     * @param store    the coordinator's index (slots, claims)
     * @param slots    every slot of the run, indexed
     * @param provers  the provers' addresses
     * @param bondsIn  tokens the provers posted (bonds and committee-pool stakes), base units
     * @param accounts every other account that may hold credits or have claimed (requesters, the keeper)
     * @return the totals
     * @throws Exception if a chain read fails
     */
    public static Totals audit(MarketContracts owner, Deployment d, Store store, List<SlotView> slots, List<String> provers,
                               BigInteger bondsIn, Collection<String> accounts) throws Exception {
        BigInteger escrowIn = BigInteger.ZERO;
        boolean balanced = true;
        for (SlotView v : slots) {
            escrowIn = escrowIn.add(v.opened().escrow());
            balanced &= balanced(v);
        }
        String pool = owner.registry().COMMITTEE_POOL().send();
        BigInteger bonds = owner.registry().bondOf(pool).send(); // committee slices (correlated slashing), if any
        BigInteger locked = owner.registry().lockedOf(pool).send();
        BigInteger unclaimed = BigInteger.ZERO;
        BigInteger claimsOut = BigInteger.ZERO;
        for (String p : provers) {
            bonds = bonds.add(owner.registry().bondOf(p).send());
            locked = locked.add(owner.registry().lockedOf(p).send());
            unclaimed = unclaimed.add(owner.market().claimable(p).send());
            for (ClaimRow c : store.ledger().claimsOf(p.toLowerCase())) claimsOut = claimsOut.add(c.amount());
        }
        for (String a : accounts) {
            unclaimed = unclaimed.add(owner.market().claimable(a).send());
            for (ClaimRow c : store.ledger().claimsOf(a.toLowerCase())) claimsOut = claimsOut.add(c.amount());
        }
        BigInteger market = owner.token().balanceOf(d.market()).send();
        BigInteger held = owner.token().balanceOf(d.registry()).send().add(market);
        BigInteger in = bondsIn.add(escrowIn);
        boolean ok = held.equals(in.subtract(claimsOut)) && held.equals(bonds.add(unclaimed)) && balanced;
        return new Totals(in, claimsOut, held, bonds, unclaimed, locked, market, balanced, ok);
    }
}
