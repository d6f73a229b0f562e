package io.procura.app.demo;

import io.procura.agent.AgentConfig;
import io.procura.agent.ProverAgent;
import io.procura.agent.SlotOutcome;
import io.procura.app.AnvilNode;
import io.procura.app.Deployer;
import io.procura.chain.ChainClient;
import io.procura.chain.ChainException;
import io.procura.chain.Deployment;
import io.procura.chain.MarketContracts;
import io.procura.chain.SlotLogs;
import io.procura.chain.Tokens;
import io.procura.contracts.FoundryTools;
import io.procura.coordinator.Coordinator;
import io.procura.coordinator.Quote;
import io.procura.coordinator.SlotRequester;
import io.procura.db.Database;
import io.procura.db.DeliveryRow;
import io.procura.db.PayoutRow;
import io.procura.db.SlotState;
import io.procura.db.SlotView;
import io.procura.db.Store;
import io.procura.runtime.Circuit;
import io.procura.runtime.DigitsImage;
import io.procura.runtime.DigitsModel;
import io.procura.runtime.ProvingKey;
import io.procura.runtime.ProvingRuntime;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;

/**
 * The end-to-end demo (docs/DESIGN.md §5 "demo"): a whole marketplace in one process. It starts (or
 * connects to) PostgreSQL and a chain, deploys the contracts, starts a coordinator and a set of
 * prover agents (some silent designates on purpose) that opt into the circuits they can prove (digits, the zkML
 * digits-mlp and the rollup-2^14 batch), opens slots that each ask for a Groth16 proof of a classifier's output on
 * one held-out image (the linear model, or every third slot the MLP) or, every third slot, of a rollup batch's new
 * state root, lets the agents
 * and the keeper draw each slot's designate from the hash of a block {@link #DRAW_DELAY} blocks after it
 * opened (on a local anvil the demo mines those blocks), lets them run to settlement and claims, and
 * checks that every token is accounted for.
 */
public final class DemoRunner {
    /** Blocks from {@code openSlot} to the block whose hash draws the designate, in the demo's market. */
    public static final int DRAW_DELAY = 2;

    private final DemoOptions options;
    private final PrintStream out;
    private final Map<BigInteger, List<SlotOutcome>> outcomes = new ConcurrentHashMap<>();
    /** address (lowercase) → label, for progress lines and the report */
    private final Map<String, String> names = new ConcurrentHashMap<>();
    /** slots whose header is printed; outcomes of other slots wait in {@link #pending} (guarded by {@code out}) */
    private final java.util.Set<BigInteger> announced = new java.util.HashSet<>();
    private final List<SlotOutcome> pending = new ArrayList<>();

    /**
     * @param options the run's settings
     * @param out     where progress and the report go
     */
    public DemoRunner(DemoOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /**
     * Runs the demo.
     *
     * @return the report (its {@code ok} says whether every check passed)
     * @throws ChainException if the chain cannot be used
     * @throws RuntimeException for any other failure, with a message saying which step failed
     */
    public DemoReport run() {
        long t0 = System.nanoTime();
        Path home = options.home();
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            step("loading the digits model, data set and Groth16 keys");
            MarketHarness.Inputs inputs = MarketHarness.Inputs.load(home);
            resources.add(inputs.pk());
            ProvingRuntime runtime = inputs.runtime();
            DigitsModel model = inputs.model();
            List<DigitsImage> images = inputs.images();
            List<Integer> heldOut = inputs.heldOut();
            ProvingKey pk = inputs.pk();
            out.println("  Groth16 keys: bundled single-party setup of the digits circuit (UNSAFE for production: "
                    + "regenerate with an MPC ceremony)");

            step(options.jdbcUrl() == null ? "starting an embedded PostgreSQL" : "connecting to PostgreSQL " + options.jdbcUrl());
            Database db = options.jdbcUrl() == null ? Database.embedded(null) : Database.external(options.jdbcUrl(), null, null);
            resources.add(db);
            Store store = new Store(db.dataSource());

            String rpcUrl = options.rpcUrl();
            boolean localChain = rpcUrl == null;
            if (localChain) {
                step("starting anvil");
                AnvilNode anvil = AnvilNode.start(FoundryTools.anvilBinary(home), 31337);
                resources.add(anvil);
                rpcUrl = anvil.rpcUrl();
            } else {
                step("connecting to the chain at " + rpcUrl);
            }
            ChainClient chain = ChainClient.connect(rpcUrl);
            resources.add(chain);
            Credentials deployer = Credentials.create(options.deployerKey() == null ? AnvilNode.DEV_KEY : options.deployerKey());

            step("deploying DemoToken, ProverRegistry, ProcurementMarket and the digits Groth16 verifier");
            // The unbonding delay is also the notice before the circuit's terms apply: skipped on anvil, waited out
            // on an external chain, where it is kept short (twice the prove window).
            Deployer.Params params = MarketHarness.params(options.proofPrice(), options.minBond(), options.slotBond(),
                    options.policy(), runtime.commitModel(model), options.correlatedStake(), DRAW_DELAY, options.proveWindow(),
                    localChain);
            Deployer.CircuitTerms terms = params.digitsTerms();
            Deployment d = Deployer.deploy(chain, deployer, params);
            out.printf("  market %s, registry %s, token %s, verifier %s%n", d.market(), d.registry(), d.token(), d.digitsVerifier());
            out.printf("  digits circuit %s: proof price >= %s tokens, prove window %d..%d s; designates drawn from the hash "
                    + "of the block %d blocks after opening%n", d.digitsCircuitId(), Tokens.format(terms.minProofPrice()),
                    terms.minProveWindow(), terms.maxProveWindow(), DRAW_DELAY);
            if (localChain) {
                long skipped = Deployer.skipTermsNotice(chain, d);
                out.printf("  advanced anvil's clock %d s past the circuit's terms notice: it takes slots now%n", skipped);
            }
            MarketContracts owner = MarketContracts.load(chain, d, deployer);

            step("funding a requester and " + options.provers() + " prover keys");
            Credentials requester = Credentials.create(Keys.createEcKeyPair());
            BigInteger requesterFunds = Tokens.parse("100000");
            MarketHarness.fund(chain, owner, deployer, requester.getAddress(), requesterFunds);
            List<ProverAgent> agents = new ArrayList<>();
            Map<String, Boolean> faulty = new LinkedHashMap<>();
            BigInteger fromBlock = chain.blockNumber();
            for (int i = 1; i <= options.provers(); i++) {
                Credentials key = Credentials.create(Keys.createEcKeyPair());
                boolean isFaulty = i > options.provers() - options.faulty();
                MarketHarness.fund(chain, owner, deployer, key.getAddress(), options.bond().add(options.correlatedStake()));
                AgentConfig cfg = new AgentConfig("prover-" + i, key, "local://prover-" + i, options.bond(),
                        isFaulty ? AgentConfig.FaultMode.SILENT_DESIGNATE : AgentConfig.FaultMode.NONE,
                        Duration.ofSeconds(2), AnvilNode.pollInterval());
                ProverAgent agent = new ProverAgent(cfg, chain, d, runtime, pk, model, this::record);
                resources.add(agent);
                agents.add(agent);
                names.put(key.getAddress().toLowerCase(), cfg.name());
                faulty.put(key.getAddress().toLowerCase(), isFaulty);
            }
            names.put(requester.getAddress().toLowerCase(), "requester");
            names.put(deployer.getAddress().toLowerCase(), "keeper");

            step("starting the coordinator (indexer, settlement keeper, HTTP API)");
            Coordinator coordinator = new Coordinator(chain, d, store, deployer,
                    new Coordinator.Settings(options.honestFraction(), 0, AnvilNode.pollInterval(), options.apiPort()));
            resources.add(coordinator);
            coordinator.start();
            out.printf("  API: http://127.0.0.1:%d/v1/slots%n", coordinator.apiPort());

            step("agents register, bond " + Tokens.format(options.bond()) + " tokens each and opt into the circuits they hold keys for"
                    + (options.faulty() > 0 ? " (" + options.faulty() + " of them silent designates on purpose)" : ""));
            for (ProverAgent a : agents) {
                a.registerAndBond();
                out.printf("  %s %s bonded, circuits %s%s%n", a.config().name(), a.address(), new java.util.TreeSet<>(a.circuits()),
                        a.config().faultMode() == AgentConfig.FaultMode.NONE ? "" : "  [faulty: silent designate]");
            }
            for (ProverAgent a : agents) a.start(fromBlock);
            if (!localChain) awaitCircuitActive(chain, d);

            SlotRequester opener = new SlotRequester(chain, d, requester);
            List<SlotRun> runs = new ArrayList<>();
            int total = options.slots();
            boolean faultySeen = options.faulty() == 0;
            // a mix of circuits: the linear digits classifier, the zkML MLP on the same images (digits-mlp), and
            // every third slot a rollup batch (rollup-2^14): the deployment's plug-in circuits
            BigInteger rollupId = d.circuits().get(Deployer.ROLLUP_CIRCUIT);
            Circuit rollup = rollupId == null ? null : Circuit.find(Deployer.ROLLUP_CIRCUIT).orElse(null);
            BigInteger mlpId = d.circuits().get(Deployer.MLP_CIRCUIT);
            Circuit mlp = mlpId == null ? null : Circuit.find(Deployer.MLP_CIRCUIT).orElse(null);
            java.util.Random batches = new java.util.Random(20261201);
            for (int i = 0; i < total; i++) {
                boolean batch = rollup != null && i % 3 == 2;
                boolean zkml = !batch && mlp != null && i % 3 == 1;
                DigitsImage image = batch ? null : images.get(heldOut.get(i % heldOut.size()));
                BigInteger circuitId = batch ? rollupId : zkml ? mlpId : d.digitsCircuitId();
                Quote q = coordinator.quotes().quote(circuitId, options.livenessPenalty(), options.proofPrice());
                SlotRequester.OpenedSlot slot;
                String what;
                if (batch) {
                    byte[] payload = MarketHarness.rollupPayload(batches);
                    List<BigInteger> fixed = List.of(runtime.fixedInputs(rollup, payload));
                    slot = opener.open(rollupId, fixed, payload, q, options.proveWindow());
                    what = "rollup batch (" + rollup.name() + ")";
                } else if (zkml) {
                    List<BigInteger> fixed = List.of(runtime.fixedInputs(mlp, image.pixels()));
                    slot = opener.open(mlpId, fixed, image.pixels(), q, options.proveWindow());
                    what = String.format("image #%d (label %d) through the MLP (%s)", image.index(), image.label(), mlp.name());
                } else {
                    List<BigInteger> fixed = List.of(runtime.commitModel(model), runtime.commitImage(image.pixels()));
                    slot = opener.open(d.digitsCircuitId(), fixed, image.pixels(), q, options.proveWindow());
                    what = String.format("image #%d (label %d)", image.index(), image.label());
                }
                SlotLogs.Slot drawn = MarketHarness.awaitDraw(chain, s -> coordinator.syncNow(), d, slot, localChain);
                String head = String.format("%n[slot %s] %s, n=%d, p=%.4f, escrow %s tokens, Q=%s tokens, ",
                        slot.slotId(), what, q.eligibleProvers(), q.mixingProbability(),
                        Tokens.format(slot.escrow(), 4), Tokens.format(q.committeePrizeTokens(), 4));
                if (drawn.isCancelled()) {
                    // nobody could be drawn: the market refunded the escrow at once
                    synchronized (out) {
                        out.printf("%scancelled before a draw (%s): escrow refunded%n", head,
                                drawn.cancelled().noCandidate ? "no candidate" : "not drawn in time");
                    }
                    awaitState(coordinator, store, slot.slotId(), SlotState.CANCELLED);
                } else {
                    String designate = drawn.drawn().designate.toLowerCase();
                    synchronized (out) {
                        out.printf("%sdrawn from block %s (opened in %s): designate %s%s%n", head, slot.drawBlock(),
                                slot.openBlock(), names.getOrDefault(designate, designate),
                                faulty.getOrDefault(designate, false) ? " (faulty)" : "");
                        announced.add(slot.slotId());
                        pending.stream().filter(o -> o.slotId().equals(slot.slotId())).forEach(this::printOutcome);
                        pending.removeIf(o -> o.slotId().equals(slot.slotId()));
                    }
                    faultySeen |= faulty.getOrDefault(designate, false);
                    awaitOutcomes(slot.slotId(), agents.size(), drawn.deadline(), chain);
                    advancePast(chain, drawn.deadline(), localChain);
                    awaitState(coordinator, store, slot.slotId(), SlotState.SETTLED);
                }
                runs.add(new SlotRun(slot, image, q, batch ? rollup.name() : zkml ? mlp.name() : "digits"));
                if (i == total - 1 && !faultySeen && total < options.slots() + options.maxExtraSlots()) {
                    total++;
                    out.println("  (no faulty designate drawn yet: opening one more slot so a slash is visible)");
                }
            }

            step("claims: agents claim their payouts, the requester its refunds");
            for (ProverAgent a : agents) a.drain(Duration.ofSeconds(30));
            for (ProverAgent a : agents) a.claimNow(Duration.ofSeconds(30));
            MarketContracts asRequester = MarketContracts.load(chain, d, requester);
            if (asRequester.market().claimable(requester.getAddress()).send().signum() > 0) {
                asRequester.market().claim().send();
            }
            if (owner.market().claimable(deployer.getAddress()).send().signum() > 0) {
                owner.market().claim().send(); // keeper fees
            }
            coordinator.syncNow();

            DemoReport report = report(t0, chain, d, owner, store, runs, agents, names, faulty, requester, deployer);
            new DemoPrinter(out).print(report);
            return report;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("demo failed: " + e.getMessage(), e);
        } finally {
            for (int i = resources.size() - 1; i >= 0; i--) {
                try {
                    resources.get(i).close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
        }
    }

    /** A slot the demo opened: a digits image (for digits or digits-mlp), or a rollup batch ({@code image} null). */
    private record SlotRun(SlotRequester.OpenedSlot opened, DigitsImage image, Quote quote, String circuit) {}

    /** Called on each agent's worker thread as soon as it has acted on a slot: prints one progress line. */
    private void record(SlotOutcome o) {
        synchronized (out) {
            if (!announced.contains(o.slotId())) {
                pending.add(o);
            } else {
                printOutcome(o);
            }
        }
        outcomes.computeIfAbsent(o.slotId(), k -> new CopyOnWriteArrayList<>()).add(o);
    }

    private void printOutcome(SlotOutcome o) {
        synchronized (out) {
            out.printf("  %-9s %-10s %-16s %s%n", names.getOrDefault(o.prover().toLowerCase(), o.prover()), o.role(), o.action(),
                    o.action() == SlotOutcome.Action.SUBMITTED
                            ? (o.predictedClass() < 0 ? "" : "class " + o.predictedClass() + ", ")
                            + String.format("proved in %d ms, submitProof %s gas", o.proveTime().toMillis(), o.gasUsed())
                            : o.detail());
        }
    }

    private void step(String what) {
        out.println("==> " + what);
    }

    private void awaitOutcomes(BigInteger slotId, int agents, long deadline, ChainClient chain) throws InterruptedException {
        long limit = System.currentTimeMillis() + (options.proveWindow() + 60) * 1000;
        while (outcomes.getOrDefault(slotId, List.of()).size() < agents) {
            if (System.currentTimeMillis() > limit) {
                out.println("  (not every agent answered before the window; settling anyway)");
                return;
            }
            Thread.sleep(100);
        }
    }

    private void advancePast(ChainClient chain, long deadline, boolean localChain) throws InterruptedException {
        long now = chain.latestTimestamp();
        if (now > deadline) return;
        if (localChain) {
            chain.increaseTime(deadline - now + 1);
            out.printf("  every agent has acted: advancing anvil's clock %d s past the deadline%n", deadline - now + 1);
        } else {
            // An external chain: wait for real time to pass the deadline (the keeper then settles).
            out.printf("  waiting for the deadline (%d s)%n", Math.max(0, deadline - java.time.Instant.now().getEpochSecond()));
            while (Math.max(chain.latestTimestamp(), java.time.Instant.now().getEpochSecond() - 2) <= deadline) Thread.sleep(500);
        }
    }

    /** Waits until the indexed slot reaches a final state (settled or cancelled), driving the coordinator. */
    private static void awaitState(Coordinator coordinator, Store store, BigInteger slotId, SlotState state)
            throws InterruptedException {
        MarketHarness.awaitState(store, slotId, state, System.nanoTime(), Duration.ofSeconds(60), coordinator::syncNow,
                Duration.ofMillis(200));
    }

    /** External chain: waits until the digits circuit's terms are in force (the notice after deployment). */
    private void awaitCircuitActive(ChainClient chain, Deployment d) throws InterruptedException {
        long from = Deployer.circuitActiveFrom(chain, d);
        long wait = from - chain.latestTimestamp();
        if (wait > 0) out.printf("  waiting %d s for the circuit's terms notice to pass%n", wait);
        while (Math.max(chain.latestTimestamp(), java.time.Instant.now().getEpochSecond() - 2) < from) Thread.sleep(1000);
    }

    private DemoReport report(long t0, ChainClient chain, Deployment d, MarketContracts owner, Store store, List<SlotRun> runs,
                              List<ProverAgent> agents, Map<String, String> names, Map<String, Boolean> faulty,
                              Credentials requester, Credentials keeper) throws Exception {
        List<DemoReport.Slot> slots = new ArrayList<>();
        List<SlotView> views = new ArrayList<>();
        boolean honestDesignateFailed = false;
        for (SlotRun run : runs) {
            SlotView v = store.slots().findSlot(run.opened().slotId()).orElseThrow();
            views.add(v);
            Map<String, BigInteger> payouts = new LinkedHashMap<>();
            BigInteger refunded = BigInteger.ZERO;
            for (PayoutRow p : v.payouts()) {
                payouts.merge(p.account(), p.amount(), BigInteger::add);
                if (p.account().equalsIgnoreCase(requester.getAddress())) refunded = refunded.add(p.amount());
            }
            List<String> deliveries = new ArrayList<>();
            List<Long> gas = new ArrayList<>();
            int predicted = -1;
            for (DeliveryRow del : v.deliveries().stream().sorted((a, b) -> Boolean.compare(b.designate(), a.designate())).toList()) {
                deliveries.add(del.prover());
                gas.add(del.gasUsed());
                if (run.image() != null) predicted = del.outputs().get(0).intValueExact(); // digits and digits-mlp: the class
            }
            List<Long> prove = outcomes.getOrDefault(v.opened().slotId(), List.of()).stream()
                    .filter(o -> o.action() == SlotOutcome.Action.SUBMITTED).map(o -> o.proveTime().toMillis()).toList();
            boolean cancelled = v.state() == SlotState.CANCELLED;
            BigInteger slashed = MarketHarness.slashed(v);
            boolean balanced = MarketHarness.balanced(v);
            String designate = cancelled ? null : v.drawn().designate();
            boolean delivered = !cancelled && v.settlement().designateDelivered();
            // An honest designate that failed (a proving or submission error) is a failed demo, even if
            // every token is accounted for: only the agents that are faulty on purpose may be slashed.
            if (!cancelled && !delivered && !faulty.getOrDefault(designate, false)) {
                honestDesignateFailed = true;
                out.printf("  ERROR: slot %s: the honest designate %s did not deliver%n", v.opened().slotId(),
                        names.getOrDefault(designate, designate));
            }
            slots.add(new DemoReport.Slot(v.opened().slotId(), run.circuit(),
                    run.image() == null ? -1 : run.image().index(), run.image() == null ? -1 : run.image().label(), predicted,
                    v.opened().eligibleCount(), run.quote().mixingProbability(), v.opened().escrow(), v.opened().committeePrize(),
                    designate, cancelled ? "-" : names.getOrDefault(designate, designate), delivered, cancelled,
                    v.opened().drawBlock(), deliveries, payouts, slashed, refunded, gas, prove,
                    run.opened().gasUsed().longValueExact(), balanced));
        }
        BigInteger bondsIn = BigInteger.ZERO;
        List<DemoReport.Prover> provers = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        for (ProverAgent a : agents) {
            bondsIn = bondsIn.add(a.config().bond()).add(options.correlatedStake());
            addresses.add(a.address());
            provers.add(new DemoReport.Prover(a.config().name(), a.address(), faulty.get(a.address().toLowerCase()),
                    owner.registry().bondOf(a.address()).send(), owner.registry().isJailed(a.address()).send()));
        }
        // the requester's refunds and the keeper's (the deployer's key) fees
        MarketHarness.Totals totals = MarketHarness.audit(owner, d, store, views, addresses, bondsIn,
                List.of(requester.getAddress(), keeper.getAddress()));
        boolean ok = totals.ok();
        DemoReport.Conservation cons = totals.conservation();
        Map<String, String> contracts = new LinkedHashMap<>();
        contracts.put("token", d.token());
        contracts.put("registry", d.registry());
        contracts.put("market", d.market());
        contracts.put("digitsVerifier", d.digitsVerifier());
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("provers", options.provers());
        settings.put("faulty", options.faulty());
        settings.put("slots", runs.size());
        settings.put("livenessPenalty", options.livenessPenalty());
        settings.put("proofPrice", options.proofPrice());
        settings.put("bond", options.bond());
        settings.put("minBond", options.minBond());
        settings.put("slotBond", options.slotBond());
        settings.put("honestFraction", options.honestFraction());
        settings.put("policy", options.policy().name());
        settings.put("proveWindowSeconds", options.proveWindow());
        settings.put("drawDelayBlocks", DRAW_DELAY);
        settings.put("correlatedStake", options.correlatedStake());
        settings.put("amountsIn", "token base units (1 token = 10^18)");
        double wall = (System.nanoTime() - t0) / 1e9;
        return new DemoReport(ok && !honestDesignateFailed, wall, chain.chainId(), contracts, settings,
                new java.util.TreeMap<>(names), provers, slots, cons);
    }
}
