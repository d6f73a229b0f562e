package io.procura.app.load;

import io.procura.agent.AgentConfig;
import io.procura.agent.ProverAgent;
import io.procura.agent.ProvingQueue;
import io.procura.agent.SlotOutcome;
import io.procura.app.AnvilNode;
import io.procura.app.Deployer;
import io.procura.app.demo.DemoRunner;
import io.procura.app.demo.MarketHarness;
import io.procura.chain.ChainClient;
import io.procura.chain.Deployment;
import io.procura.chain.MarketContracts;
import io.procura.chain.SlotDraws;
import io.procura.chain.SlotLogs;
import io.procura.contracts.generated.ProcurementMarket;
import io.procura.chain.Tokens;
import io.procura.contracts.FoundryTools;
import io.procura.coordinator.Coordinator;
import io.procura.coordinator.Quote;
import io.procura.coordinator.SlotRequester;
import io.procura.db.Database;
import io.procura.db.DeliveryRow;
import io.procura.db.SlotState;
import io.procura.db.SlotView;
import io.procura.db.Store;
import io.procura.mechanism.FailurePolicy;
import io.procura.runtime.Circuit;
import io.procura.runtime.DigitsImage;
import io.procura.runtime.DigitsModel;
import io.procura.runtime.ProvingKey;
import io.procura.runtime.ProvingRuntime;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;

/**
 * The load and soak test ({@code procura loadtest}, docs/DESIGN.md §5): a whole marketplace in one process, as in the
 * demo (embedded PostgreSQL, anvil, the contracts, a coordinator with its keeper and API), with many prover agents
 * multiplexed in the process and sharing one {@link ProvingQueue}, a share of them silent designates, and
 * {@code --concurrency} lanes that each open slots one after another with their own requester key (so no two
 * transactions of one key race for a nonce). An open-loop {@link ApiLoad} hits the API meanwhile.
 *
 * <p>Liveness: anvil's clock moves only with real time unless advanced. The run advances it past the earliest
 * deadline of the slots in flight once every agent has acted on every slot whose deadline is within
 * {@link #GROUP_SECONDS} of it (their designates and committees are done), or once {@link #READY_BOUND} of real time
 * has passed since such a slot was drawn (a forced advance, counted). A slot further out keeps more than an agent's
 * submit margin, so a slot still being proven is never cut short. The keeper then settles; a silent designate is
 * slashed and jailed, and stays jailed (the eligible set shrinks by at most the faulty agents; at least one honest agent
 * stays, checked by {@link LoadTestOptions}).
 *
 * <p>At the end the agents, requesters and keeper claim, and the run checks that every slot ended (settled, or
 * cancelled and refunded), every token is conserved to the base unit ({@link MarketHarness#audit}), nothing is left
 * locked in the registry, the market holds only unclaimed credits, and every honest designate delivered.
 */
public final class LoadTestRunner {
    /** Blocks from {@code openSlot} to the block whose hash draws the designate (the demo's). */
    public static final int DRAW_DELAY = DemoRunner.DRAW_DELAY;
    /** Seconds of chain time past a deadline within which other slots must be ready too before the clock moves. */
    static final long GROUP_SECONDS = 60;
    /** Real time after a slot's draw after which the clock is advanced even if some agent has not acted. */
    static final Duration READY_BOUND = Duration.ofMinutes(5);
    /** Real time a slot may take from its opening to its end before the run fails. */
    static final Duration SLOT_BOUND = Duration.ofMinutes(20);
    /** Seconds between agent polls of the chain: 50 agents polling every 200 ms would load anvil for nothing. */
    static final Duration AGENT_POLL = Duration.ofMillis(500);

    private final LoadTestOptions options;
    private final PrintStream out;
    private final Map<BigInteger, List<SlotOutcome>> outcomes = new ConcurrentHashMap<>();
    /** drawn slots not yet ended: id → when drawn (nanoTime) and deadline (unix s, chain time) */
    private final Map<BigInteger, InFlight> inFlight = new ConcurrentHashMap<>();
    private final List<BigInteger> opened = java.util.Collections.synchronizedList(new ArrayList<>());
    /** the highest id of a slot that ended (so indexed) */
    private final AtomicLong lastSlot = new AtomicLong();
    private final AtomicInteger ended = new AtomicInteger();
    private final AtomicInteger cancelled = new AtomicInteger();
    private final AtomicInteger nextSlot = new AtomicInteger();
    private volatile int agentCount;
    private int clockAdvances;
    private int forcedAdvances;

    private record InFlight(BigInteger slotId, long deadline, long drawnNanos) {}

    /**
     * @param options the run's settings
     * @param out     where progress and the summary go
     */
    public LoadTestRunner(LoadTestOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /**
     * Runs the load test.
     *
     * @return the report ({@code ok} says whether every check passed)
     * @throws io.procura.chain.ChainException if the chain cannot be used
     * @throws IllegalStateException for any other failure (a slot that does not end within {@link #SLOT_BOUND}, a
     *                               lane that fails), with a message saying which step failed
     */
    public LoadTestReport run() {
        long t0 = System.nanoTime();
        Path home = options.home();
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            step("loading the model, the data set and the Groth16 keys");
            MarketHarness.Inputs inputs = MarketHarness.Inputs.load(home);
            resources.add(inputs.pk());
            ProvingRuntime runtime = inputs.runtime();
            DigitsModel model = inputs.model();
            List<DigitsImage> images = inputs.images();
            List<Integer> heldOut = inputs.heldOut();
            ProvingKey pk = inputs.pk();
            Circuit circuit = Circuit.find(options.circuit()).orElseThrow(
                    () -> new IllegalStateException("the native runtime has no " + options.circuit() + " circuit"));

            step("starting an embedded PostgreSQL");
            Database db = Database.embedded(null);
            resources.add(db);
            Store store = new Store(db.dataSource());
            step("starting anvil");
            AnvilNode anvil = AnvilNode.start(FoundryTools.anvilBinary(home), 31337);
            resources.add(anvil);
            ChainClient chain = ChainClient.connect(anvil.rpcUrl());
            resources.add(chain);
            Credentials deployer = Credentials.create(AnvilNode.DEV_KEY);

            step("deploying the market (digits, digits-mlp and rollup-2^14 circuits)");
            Deployer.Params params = MarketHarness.params(options.proofPrice(), options.minBond(), options.slotBond(),
                    FailurePolicy.COMPENSATE_COMMITTEE, runtime.commitModel(model), BigInteger.ZERO, DRAW_DELAY,
                    options.proveWindow(), true);
            Deployment d = Deployer.deploy(chain, deployer, params);
            Deployer.skipTermsNotice(chain, d);
            BigInteger circuitId = options.circuit().equals("digits") ? d.digitsCircuitId() : d.circuits().get(options.circuit());
            if (circuitId == null) throw new IllegalStateException("the deployment has no " + options.circuit() + " circuit");
            out.printf("  market %s, registry %s; slots ask for circuit %s (%s), prove window %d s%n", d.market(), d.registry(),
                    circuitId, options.circuit(), options.proveWindow());
            MarketContracts owner = MarketContracts.load(chain, d, deployer);

            int faultyCount = options.faulty();
            step("funding " + options.concurrency() + " requester keys (one per lane) and " + options.agents()
                    + " prover keys (" + faultyCount + " silent designates on purpose)");
            List<Credentials> requesters = new ArrayList<>();
            for (int i = 0; i < options.concurrency(); i++) {
                Credentials r = Credentials.create(Keys.createEcKeyPair());
                MarketHarness.fund(chain, owner, deployer, r.getAddress(), Tokens.parse("100000000"));
                requesters.add(r);
            }
            ProvingQueue queue = new ProvingQueue(options.proveThreads());
            List<ProverAgent> agents = new ArrayList<>();
            Set<String> faulty = new java.util.HashSet<>();
            BigInteger fromBlock = chain.blockNumber();
            for (int i = 1; i <= options.agents(); i++) {
                Credentials key = Credentials.create(Keys.createEcKeyPair());
                boolean isFaulty = i > options.agents() - faultyCount;
                MarketHarness.fund(chain, owner, deployer, key.getAddress(), options.bond());
                AgentConfig cfg = new AgentConfig("prover-" + i, key, "local://prover-" + i, options.bond(),
                        isFaulty ? AgentConfig.FaultMode.SILENT_DESIGNATE : AgentConfig.FaultMode.NONE,
                        Duration.ofSeconds(2), AGENT_POLL);
                ProverAgent agent = new ProverAgent(cfg, chain, d, runtime, pk, model, this::record, queue);
                agent.setShutdownGrace(Duration.ofSeconds(5));
                resources.add(agent);
                agents.add(agent);
                if (isFaulty) faulty.add(key.getAddress().toLowerCase());
            }
            agentCount = agents.size();

            step("starting the coordinator (indexer, settlement keeper, HTTP API)");
            Coordinator coordinator = new Coordinator(chain, d, store, deployer,
                    new Coordinator.Settings(options.honestFraction(), 0, AnvilNode.pollInterval(), 0));
            resources.add(coordinator);
            coordinator.start();
            out.printf("  API: http://127.0.0.1:%d/v1/slots%n", coordinator.apiPort());

            step("agents register, bond " + Tokens.format(options.bond()) + " tokens each and opt into their circuits");
            for (ProverAgent a : agents) a.registerAndBond();
            for (ProverAgent a : agents) a.start(fromBlock);

            ApiLoad api = null;
            if (options.apiRate() > 0) {
                api = new ApiLoad(coordinator.apiPort(), options.apiRate(), circuitId, options.proofPrice(), lastSlot::get);
                resources.add(api);
                out.printf("  API load: %.0f requests/s on /v1/quote, /v1/slots, /v1/slots/{id}, /v1/provers%n", options.apiRate());
            }

            step(String.format("running %d slots, %d in flight at once, %d proofs at once through the shared proving queue",
                    options.slots(), options.concurrency(), options.proveThreads()));
            long loadStart = System.nanoTime();
            ExecutorService lanes = Executors.newFixedThreadPool(options.concurrency(), r -> {
                Thread t = new Thread(r, "lane");
                t.setDaemon(true);
                return t;
            });
            List<Future<?>> laneDone = new ArrayList<>();
            List<DigitsImage> pool = heldOut.stream().map(images::get).toList();
            for (int lane = 0; lane < options.concurrency(); lane++) {
                int k = lane;
                SlotRequester opener = new SlotRequester(chain, d, requesters.get(lane));
                java.util.Random rng = new java.util.Random(20261202L + lane);
                laneDone.add(lanes.submit(() -> {
                    lane(chain, d, coordinator, store, runtime, circuit, circuitId, opener,
                            MarketContracts.load(chain, d, requesters.get(k)).market(), pool, rng);
                    return null;
                }));
            }
            lanes.shutdown();
            drive(chain, queue, laneDone, t0);
            long loadEnd = System.nanoTime();
            if (laneDone.stream().anyMatch(LoadTestRunner::failed)) lanes.shutdownNow(); // stop the other lanes too
            for (Future<?> f : laneDone) {
                try {
                    f.get(); // a lane's failure, if any
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("load test failed: " + e.getCause().getMessage(), e.getCause());
                } catch (java.util.concurrent.CancellationException e) {
                    // stopped because another lane failed: that lane's failure is reported
                }
            }

            ApiLoad.Summary apiSummary = null;
            if (api != null) {
                api.close();
                apiSummary = api.summary(options.apiRate());
            }

            step("claims: agents claim their payouts, requesters their refunds, the keeper its fees");
            for (ProverAgent a : agents) a.drain(Duration.ofSeconds(30));
            for (ProverAgent a : agents) a.claimNow(Duration.ofSeconds(30));
            for (Credentials r : requesters) claim(chain, d, r);
            claim(chain, d, deployer);
            coordinator.syncNow();

            return report(t0, loadStart, loadEnd, chain, d, owner, store, agents, faulty, requesters, deployer, queue, apiSummary);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("load test failed: " + e.getMessage(), e);
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

    /** One lane: opens slots one after another with its own requester key until the run's slots are taken. */
    private void lane(ChainClient chain, Deployment d, Coordinator coordinator, Store store, ProvingRuntime runtime,
                      Circuit circuit, BigInteger circuitId, SlotRequester opener, ProcurementMarket laneMarket,
                      List<DigitsImage> images, java.util.Random rng) throws Exception {
        while (true) {
            int i = nextSlot.getAndIncrement();
            if (i >= options.slots()) return;
            byte[] payload = circuit.name().startsWith("rollup") ? MarketHarness.rollupPayload(rng)
                    : images.get(i % images.size()).pixels();
            List<BigInteger> fixed = List.of(runtime.fixedInputs(circuit, payload));
            Quote q = coordinator.quotes().quote(circuitId, options.livenessPenalty(), options.proofPrice());
            SlotRequester.OpenedSlot slot = opener.open(circuitId, fixed, payload, q, options.proveWindow());
            long openedAt = System.nanoTime();
            opened.add(slot.slotId());
            // the requester draws its own slot (anybody may): the keeper and the agents do too, but with fifty agents
            // and a busy keeper the 256 blocks within which the draw block's hash is readable can pass first
            SlotLogs.Slot drawn = MarketHarness.awaitDraw(chain, s -> drawOwn(chain, laneMarket, s), d, slot, true);
            SlotState want;
            if (drawn.isCancelled()) {
                cancelled.incrementAndGet();
                want = SlotState.CANCELLED;
            } else {
                inFlight.put(slot.slotId(), new InFlight(slot.slotId(), drawn.deadline(), System.nanoTime()));
                want = SlotState.SETTLED;
            }
            MarketHarness.awaitState(store, slot.slotId(), want, openedAt, SLOT_BOUND, () -> { }, Duration.ofMillis(250));
            inFlight.remove(slot.slotId());
            lastSlot.accumulateAndGet(slot.slotId().longValueExact(), Math::max); // indexed: the API load may ask for it
            ended.incrementAndGet();
        }
    }

    /**
     * The run's clock and progress: advances anvil's clock past the earliest deadline in flight once the slots due by
     * then are done (or the real-time bound passed), prints progress, until every lane is done.
     */
    private void drive(ChainClient chain, ProvingQueue queue, List<Future<?>> lanes, long t0) throws InterruptedException {
        long lastPrint = System.nanoTime();
        int lastPrinted = 0;
        while (lanes.stream().anyMatch(f -> !f.isDone())) {
            if (lanes.stream().anyMatch(LoadTestRunner::failed)) return; // a lane failed: stop driving, report it
            long now = chain.latestTimestamp();
            List<InFlight> due = inFlight.values().stream().filter(s -> s.deadline() >= now)
                    .sorted(Comparator.comparingLong(InFlight::deadline)).toList();
            if (!due.isEmpty()) {
                long first = due.get(0).deadline();
                List<InFlight> group = due.stream().filter(s -> s.deadline() <= first + GROUP_SECONDS).toList();
                boolean ready = group.stream().allMatch(s -> outcomes.getOrDefault(s.slotId(), List.of()).size() >= agentCount);
                boolean bound = group.stream().anyMatch(s -> System.nanoTime() - s.drawnNanos() > READY_BOUND.toNanos());
                if (ready || bound) {
                    long target = group.get(group.size() - 1).deadline() + 1;
                    chain.increaseTime(Math.max(1, target - now));
                    clockAdvances++;
                    if (!ready) {
                        forcedAdvances++;
                        out.printf("  (advancing the clock past %d deadline(s) before every agent acted: %s of real time "
                                + "passed)%n", group.size(), READY_BOUND);
                    }
                }
            }
            int done = ended.get();
            if (done - lastPrinted >= options.progressEvery() || System.nanoTime() - lastPrint > 30_000_000_000L) {
                double secs = (System.nanoTime() - t0) / 1e9;
                out.printf("[progress] %d/%d slots ended (%d cancelled), %d in flight, %d proofs waiting for the queue, "
                                + "elapsed %d:%02d%n", done, options.slots(), cancelled.get(), inFlight.size(), queue.waiting(),
                        (long) secs / 60, (long) secs % 60);
                lastPrint = System.nanoTime();
                lastPrinted = done;
            }
            Thread.sleep(100);
        }
    }

    /** One attempt to draw a slot with the lane's key; a failure is left to the next attempt (or the keeper). */
    private static void drawOwn(ChainClient chain, ProcurementMarket market, SlotLogs.Slot s) {
        try {
            SlotDraws.draw(chain, market, s.slotId(), s.openedTerms(), s.drawBlock());
        } catch (io.procura.chain.ChainException e) {
            // someone else's draw won the race, or the node hiccuped: read again
        }
    }

    /** Whether a finished lane ended with an exception (false for one still running or done normally). */
    private static boolean failed(Future<?> f) {
        if (!f.isDone()) return false;
        try {
            f.get(0, TimeUnit.MILLISECONDS);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return true;
        }
    }

    private static void claim(ChainClient chain, Deployment d, Credentials who) throws Exception {
        MarketContracts c = MarketContracts.load(chain, d, who);
        if (c.market().claimable(who.getAddress()).send().signum() > 0) c.market().claim().send();
    }

    private void record(SlotOutcome o) {
        outcomes.computeIfAbsent(o.slotId(), k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(o);
    }

    private void step(String what) {
        out.println("==> " + what);
    }

    /** The process's peak resident set from /proc/self/status (VmHWM), bytes; -1 where there is none. */
    static long peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }

    private LoadTestReport report(long t0, long loadStart, long loadEnd, ChainClient chain, Deployment d,
                                  MarketContracts owner, Store store, List<ProverAgent> agents, Set<String> faulty,
                                  List<Credentials> requesters, Credentials keeper, ProvingQueue queue,
                                  ApiLoad.Summary api) throws Exception {
        List<String> failures = new ArrayList<>();
        List<SlotView> views = new ArrayList<>();
        int settled = 0;
        int cancelledSlots = 0;
        int faultyDesignated = 0;
        int honestMissed = 0;
        long designateProofs = 0;
        long committeeProofs = 0;
        List<Long> gas = new ArrayList<>();
        List<BigInteger> ids;
        synchronized (opened) {
            ids = new ArrayList<>(opened);
        }
        for (BigInteger id : ids) {
            SlotView v = store.slots().findSlot(id).orElse(null);
            if (v == null) {
                failures.add("slot " + id + " is not indexed");
                continue;
            }
            views.add(v);
            if (v.state() == SlotState.CANCELLED) {
                cancelledSlots++;
                continue;
            }
            if (v.state() != SlotState.SETTLED) {
                failures.add("slot " + id + " ended " + v.state() + ", not settled or cancelled");
                continue;
            }
            settled++;
            String designate = v.drawn().designate().toLowerCase();
            boolean isFaulty = faulty.contains(designate);
            if (isFaulty) faultyDesignated++;
            if (!v.settlement().designateDelivered() && !isFaulty) {
                honestMissed++;
                failures.add("slot " + id + ": the honest designate " + designate + " did not deliver");
            }
            if (isFaulty && v.settlement().slashed().signum() == 0) {
                failures.add("slot " + id + ": the silent designate " + designate + " was not slashed");
            }
            for (DeliveryRow del : v.deliveries()) {
                if (del.designate()) designateProofs++;
                else committeeProofs++;
                gas.add(del.gasUsed());
            }
        }
        if (ids.size() != options.slots()) failures.add(ids.size() + " slots opened, not " + options.slots());
        long indexed = store.slots().countSlots();
        if (indexed != ids.size()) failures.add("the index holds " + indexed + " slots, the run opened " + ids.size());
        List<String> provers = agents.stream().map(ProverAgent::address).toList();
        BigInteger bondsIn = options.bond().multiply(BigInteger.valueOf(agents.size()));
        List<String> others = new ArrayList<>();
        for (Credentials r : requesters) others.add(r.getAddress());
        others.add(keeper.getAddress());
        MarketHarness.Totals totals = MarketHarness.audit(owner, d, store, views, provers, bondsIn, others);
        if (!totals.slotsBalanced()) failures.add("some slot's payouts differ from its escrow + slash");
        if (!totals.ok()) {
            failures.add("tokens not conserved: in " + totals.tokensIn() + " - claimed " + totals.tokensOut() + " vs held "
                    + totals.held() + " vs bonds + unclaimed " + totals.bonds().add(totals.unclaimed()));
        }
        if (totals.locked().signum() != 0) failures.add(totals.locked() + " base units of stake still locked in the registry");
        if (!totals.marketBalance().equals(totals.unclaimed())) {
            failures.add("the market holds " + totals.marketBalance() + " base units but only " + totals.unclaimed()
                    + " are unclaimed credits (escrow left in a slot?)");
        }
        int jailed = 0;
        for (ProverAgent a : agents) {
            if (owner.registry().isJailed(a.address()).send()) jailed++;
        }
        long proofs = designateProofs + committeeProofs;
        if (settled - faultyDesignated > designateProofs) {
            failures.add("only " + designateProofs + " designate proofs for " + (settled - faultyDesignated) + " honest slots");
        }
        if (api != null && api.requests() == 0) failures.add("the API load sent no request");
        double loadSeconds = (loadEnd - loadStart) / 1e9;
        double minutes = loadSeconds / 60;
        long gasMin = gas.stream().mapToLong(Long::longValue).min().orElse(0);
        long gasMax = gas.stream().mapToLong(Long::longValue).max().orElse(0);
        long gasMean = gas.isEmpty() ? 0 : Math.round(gas.stream().mapToLong(Long::longValue).average().orElse(0));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("slots", options.slots());
        settings.put("agents", options.agents());
        settings.put("faulty", options.faulty());
        settings.put("faultyFraction", options.faultyFraction());
        settings.put("concurrency", options.concurrency());
        settings.put("circuit", options.circuit());
        settings.put("proveThreads", options.proveThreads());
        settings.put("apiRate", options.apiRate());
        settings.put("proveWindowSeconds", options.proveWindow());
        settings.put("livenessPenalty", options.livenessPenalty());
        settings.put("proofPrice", options.proofPrice());
        settings.put("bond", options.bond());
        settings.put("minBond", options.minBond());
        settings.put("slotBond", options.slotBond());
        settings.put("honestFraction", options.honestFraction());
        settings.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        settings.put("chainId", chain.chainId());
        settings.put("amountsIn", "token base units (1 token = 10^18)");
        LoadTestReport r = new LoadTestReport(failures.isEmpty(), failures, settings, ids.size(), settled, cancelledSlots,
                faultyDesignated, honestMissed, proofs, designateProofs, committeeProofs, (System.nanoTime() - t0) / 1e9,
                loadSeconds, minutes > 0 ? (settled + cancelledSlots) / minutes : 0, minutes > 0 ? proofs / minutes : 0,
                gasMin, gasMean, gasMax, api, peakRss(), queue.permits(), queue.peakRunning(),
                queue.granted(ProvingQueue.Priority.DESIGNATE), queue.granted(ProvingQueue.Priority.COMMITTEE),
                clockAdvances, forcedAdvances, jailed, totals);
        r.print(out);
        return r;
    }
}
