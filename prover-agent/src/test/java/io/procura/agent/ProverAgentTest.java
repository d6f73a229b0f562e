package io.procura.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.procura.chain.ChainException;
import io.procura.chain.Deployment;
import io.procura.contracts.generated.ProcurementMarket;
import io.procura.runtime.Circuit;
import io.procura.runtime.DigitsDataset;
import io.procura.runtime.DigitsModel;
import io.procura.runtime.ProvingKey;
import io.procura.runtime.ProvingRuntime;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;

/**
 * The agent against a stubbed market ({@link StubMarket}) with real digits proofs: duties proven and submitted once,
 * transient failures retried without ever sending a landed proof or registration again, reverts reported at once,
 * settled and past-window slots left alone, a duty abandoned at shutdown kept behind the saved cursor and delivered by
 * the next run, an in-flight proof let finish at shutdown, owed committee shares credited after a restart, long
 * ranges read in chunks, and a reorganisation below the cursor re-read.
 */
class ProverAgentTest {
    private static final BigInteger DIGITS = BigInteger.ONE;
    private static final String OTHER = "0x" + "22".repeat(20);
    private static final BigInteger P_ONE = new BigInteger("1000000000000000000");
    private static ProvingRuntime runtime;
    private static ProvingKey pk;
    private static DigitsModel model;
    private static byte[] pixels;
    private static List<BigInteger> fixed;
    private static final Deployment D = new Deployment(31337, "0x" + "01".repeat(20), "0x" + "02".repeat(20),
            "0x" + "03".repeat(20), "0x" + "04".repeat(20), DIGITS, BigInteger.ONE, Map.of());

    private final Credentials key = Credentials.create(Keys.createEcKeyPair());
    private final StubMarket market = new StubMarket(key.getAddress());
    private final List<SlotOutcome> outcomes = new CopyOnWriteArrayList<>();
    private long nextSlot = 1;

    ProverAgentTest() throws Exception {
    }

    @BeforeAll
    static void keys() throws Exception {
        runtime = ProvingRuntime.nativeRuntime();
        pk = ProvingKey.loadBundled("digits");
        Path data = Path.of("..", "data");
        model = DigitsModel.load(data.resolve("digits-model.json"));
        pixels = DigitsDataset.load(data.resolve("digits.csv.gz")).get(0).pixels();
        fixed = List.of(runtime.fixedInputs(Circuit.find("digits").orElseThrow(), pixels));
    }

    @AfterAll
    static void close() {
        if (pk != null) pk.close();
    }

    private ProverAgent agent(BigInteger bond) {
        AgentConfig cfg = new AgentConfig("t", key, "test://t", bond, AgentConfig.FaultMode.NONE, Duration.ofSeconds(2),
                Duration.ofMillis(50), Set.of(DIGITS));
        return new ProverAgent(cfg, market, D, runtime, pk, model, outcomes::add);
    }

    private ProverAgent agent() {
        return agent(BigInteger.ZERO);
    }

    /** Opens and draws a slot of the digits circuit (mixing probability 1: every committee member proves). */
    private BigInteger slot(String designate, long deadline) {
        BigInteger id = BigInteger.valueOf(nextSlot++);
        ProcurementMarket.SlotOpenedEventResponse ev = new ProcurementMarket.SlotOpenedEventResponse();
        ev.slotId = id;
        ev.circuitId = DIGITS;
        ev.requester = OTHER;
        ev.terms = new ProcurementMarket.SlotTerms(OTHER, "0x" + "00".repeat(20), DIGITS, D.digitsVerifier(), new byte[4],
                BigInteger.ONE, BigInteger.TWO, BigInteger.ONE, P_ONE, BigInteger.TEN, BigInteger.TEN, BigInteger.ONE,
                BigInteger.TEN, BigInteger.ZERO, new byte[32], new byte[32], fixed);
        ev.proveWindow = BigInteger.valueOf(600);
        ev.drawBlock = BigInteger.valueOf(market.head() + 1);
        ev.payload = pixels;
        market.open(ev);
        market.draw(id, designate, new byte[32], deadline);
        return id;
    }

    private long inTenMinutes() {
        return java.time.Instant.now().getEpochSecond() + 600;
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long until = System.currentTimeMillis() + 30_000;
        while (!done.getAsBoolean()) {
            if (System.currentTimeMillis() > until) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    private SlotOutcome outcome(BigInteger slot) throws InterruptedException {
        await("an outcome for slot " + slot, () -> outcomes.stream().anyMatch(o -> o.slotId().equals(slot)));
        return outcomes.stream().filter(o -> o.slotId().equals(slot)).findFirst().orElseThrow();
    }

    @Test
    void shouldProveItsDesignateDutyOnceAndNeverAgainWhenReadTwice() throws Exception {
        io.micrometer.core.instrument.simple.SimpleMeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        io.micrometer.core.instrument.Metrics.addRegistry(meters);
        BigInteger s = slot(key.getAddress(), inTenMinutes());
        try (ProverAgent a = agent()) {
            a.start(BigInteger.ONE);
            SlotOutcome o = outcome(s);
            assertThat(o.action()).isEqualTo(SlotOutcome.Action.SUBMITTED);
            assertThat(o.role()).isEqualTo(SlotOutcome.Role.DESIGNATE);
            assertThat(o.gasUsed()).isEqualTo(238_535);
            assertThat(o.predictedClass()).isBetween(0, 9);
        }
        outcomes.clear();
        try (ProverAgent again = agent()) {
            again.start(BigInteger.ONE); // from the start again, as `--from-block` with an early block does
            assertThat(outcome(s).action()).isEqualTo(SlotOutcome.Action.ALREADY_DONE);
        }
        assertThat(market.submissions).hasSize(1);
        assertThat(market.submissions.get(0).proof()).hasSize(8);
        // the metrics an operator scrapes: one duty, one proof on the CPU, its gas, then the re-read as already done
        try {
            String agent = key.getAddress().toLowerCase();
            assertThat(meters.get("procura.agent.duties").tag("agent", agent).counter().count()).isEqualTo(1);
            assertThat(meters.get("procura.agent.slots").tags("agent", agent, "role", "designate", "action", "submitted")
                    .counter().count()).isEqualTo(1);
            assertThat(meters.get("procura.agent.slots").tags("agent", agent, "role", "designate", "action", "already_done")
                    .counter().count()).isEqualTo(1);
            assertThat(meters.get("procura.agent.prove").tags("agent", agent, "circuit", "digits", "backend", "cpu")
                    .timer().count()).isEqualTo(1);
            assertThat(meters.get("procura.agent.submit.gas").tags("agent", agent, "circuit", "digits").summary().totalAmount())
                    .isEqualTo(238_535);
        } finally {
            io.micrometer.core.instrument.Metrics.removeRegistry(meters);
        }
    }

    @Test
    void shouldRetryTransientSubmitFailuresAndNeverResendAProofThatLanded() throws Exception {
        market.submitFailures.set(2);
        BigInteger s = slot(key.getAddress(), inTenMinutes());
        try (ProverAgent a = agent()) {
            a.start(BigInteger.ONE);
            assertThat(outcome(s).action()).isEqualTo(SlotOutcome.Action.SUBMITTED);
            assertThat(market.submitCalls).hasValue(3);
            assertThat(market.submissions).hasSize(1);

            // the proof lands but its receipt is lost: the retry asks the market first and sends nothing more
            market.submitAcceptsBeforeFailing = true;
            market.submitFailures.set(1);
            BigInteger lost = slot(key.getAddress(), inTenMinutes());
            assertThat(outcome(lost).action()).isEqualTo(SlotOutcome.Action.SUBMITTED);
            assertThat(market.submitCalls).hasValue(4);
            assertThat(market.submissions).extracting(StubMarket.Submission::slotId).containsExactly(s, lost);
        }
    }

    @Test
    void shouldReportARevertAtOnceWithoutRetrying() throws Exception {
        market.submitReverts = true;
        BigInteger s = slot(key.getAddress(), inTenMinutes());
        try (ProverAgent a = agent()) {
            a.start(BigInteger.ONE);
            SlotOutcome o = outcome(s);
            assertThat(o.action()).isEqualTo(SlotOutcome.Action.FAILED);
            assertThat(o.detail()).contains("reverted");
            assertThat(market.submitCalls).hasValue(1);
        }
    }

    @Test
    void shouldLeaveSettledAndPastWindowSlotsAlone() throws Exception {
        BigInteger settled = slot(key.getAddress(), inTenMinutes());
        market.status.put(settled, new MarketClient.SlotStatus(true, false));
        BigInteger past = slot(key.getAddress(), java.time.Instant.now().getEpochSecond() - 5);
        BigInteger live = slot(key.getAddress(), inTenMinutes());
        try (ProverAgent a = agent()) {
            a.start(BigInteger.ONE);
            assertThat(outcome(settled).action()).isEqualTo(SlotOutcome.Action.ALREADY_DONE);
            assertThat(outcome(live).action()).isEqualTo(SlotOutcome.Action.SUBMITTED);
        }
        assertThat(outcomes).noneMatch(o -> o.slotId().equals(past));
        assertThat(market.submissions).extracting(StubMarket.Submission::slotId).containsExactly(live);
    }

    @Test
    void shouldKeepAnAbandonedDutyBehindItsCursorAndDeliverItAfterARestart(@TempDir Path dir) throws Exception {
        market.submitGate = new CountDownLatch(1); // the node hangs: the proof is made, its submission never returns
        BigInteger s = slot(key.getAddress(), inTenMinutes());
        long drawnAt = market.head();
        try (AgentState state = AgentState.open(dir)) {
            ProverAgent a = agent();
            a.setShutdownGrace(Duration.ZERO);
            a.start(BigInteger.ONE, state);
            await("the submission to start", () -> market.submitCalls.get() == 1);
            market.mine(50);
            await("the cursor to be saved past the draw", () -> market.ranges.stream().anyMatch(r -> r.endsWith(".." + market.head())));
            Thread.sleep(200);
            a.close(); // abandons the in-flight duty; the job has reported by the time close returns
            assertThat(outcomes).singleElement().satisfies(o -> {
                assertThat(o.slotId()).isEqualTo(s);
                assertThat(o.action()).isEqualTo(SlotOutcome.Action.FAILED);
                assertThat(o.detail()).startsWith("abandoned at shutdown");
            });
            assertThat(state.cursor()).as("the saved cursor stays at the pending duty's draw").contains(BigInteger.valueOf(drawnAt));
            assertThat(state.lastReadHash()).contains(market.blockHash(BigInteger.valueOf(drawnAt - 1)));
        }
        assertThat(market.submissions).isEmpty();
        market.submitGate = null;
        outcomes.clear();
        try (AgentState state = AgentState.open(dir); ProverAgent b = agent()) {
            b.start(state.cursor().orElseThrow(), state);
            assertThat(outcome(s).action()).isEqualTo(SlotOutcome.Action.SUBMITTED);
            await("the cursor to move past the delivered duty", () -> state.cursor().orElseThrow().longValueExact() > drawnAt);
        }
        try (AgentState state = AgentState.open(dir)) {
            assertThat(state.cursor().orElseThrow().longValueExact()).as("saved at close").isEqualTo(market.head() + 1);
        }
        assertThat(market.submissions).hasSize(1);
    }

    @Test
    void shouldLetAnInFlightDesignateProofFinishAtShutdown() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        market.submitGate = gate;
        BigInteger s = slot(key.getAddress(), inTenMinutes());
        ProverAgent a = agent();
        a.setShutdownGrace(Duration.ofSeconds(30));
        a.start(BigInteger.ONE);
        await("the submission to start", () -> market.submitCalls.get() == 1);
        Thread closer = new Thread(a::close);
        closer.start();
        Thread.sleep(300);
        assertThat(closer.isAlive()).as("close waits for the in-flight designate proof").isTrue();
        gate.countDown();
        closer.join(10_000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(market.submissions).extracting(StubMarket.Submission::slotId).containsExactly(s);
        assertThat(outcome(s).action()).isEqualTo(SlotOutcome.Action.SUBMITTED);
    }

    @Test
    void shouldCreditAndClaimOwedCommitteeSharesAfterARestart(@TempDir Path dir) throws Exception {
        BigInteger s = slot(OTHER, inTenMinutes()); // another prover is the designate; the coin (p = 1) says prove
        try (AgentState state = AgentState.open(dir); ProverAgent a = agent()) {
            a.start(BigInteger.ONE, state);
            SlotOutcome o = outcome(s);
            assertThat(o.role()).isEqualTo(SlotOutcome.Role.COMMITTEE);
            assertThat(o.action()).isEqualTo(SlotOutcome.Action.SUBMITTED);
            assertThat(state.committeeOwed()).containsExactly(s);
        }
        market.status.put(s, new MarketClient.SlotStatus(true, true)); // settled while the agent was down
        try (AgentState state = AgentState.open(dir); ProverAgent b = agent()) {
            b.start(BigInteger.valueOf(market.head() + 1), state);
            await("the share to be credited and claimed", () -> market.claims.get() == 1);
            assertThat(market.credited).containsExactly(s);
            await("the owed list to be emptied", () -> state.committeeOwed().isEmpty());
        }
    }

    @Test
    void shouldRegisterAndBondOnceWhenAReceiptIsLost() {
        market.balance = BigInteger.valueOf(1_000);
        market.registerFailures.set(1);
        try (ProverAgent a = agent(BigInteger.valueOf(600))) {
            a.registerAndBond();
            a.registerAndBond(); // a restart with the same bond target
        }
        assertThat(market.registerCalls).hasValue(1);
        assertThat(market.ownStake).isEqualTo(600);
        assertThat(market.balance).isEqualTo(400);
        assertThat(market.optedInCircuits()).containsExactly(DIGITS);
        try (ProverAgent greedy = agent(BigInteger.valueOf(1_100))) {
            assertThatThrownBy(greedy::registerAndBond).isInstanceOf(ChainException.class).hasMessageContaining("needs")
                    .hasMessageContaining("holds");
        }
        assertThat(market.ownStake).isEqualTo(600);
    }

    @Test
    void shouldReadALongRangeInChunks() throws Exception {
        market.mine(4_999);
        try (ProverAgent a = agent()) {
            a.start(BigInteger.ONE);
            await("the whole range to be read", () -> market.ranges.size() >= 3);
        }
        assertThat(market.ranges.subList(0, 3)).containsExactly("1..2000", "2001..4000", "4001..5000");
    }

    @Test
    void shouldReReadAfterAReorganisationBelowItsCursor() throws Exception {
        market.mine(20);
        try (ProverAgent a = agent()) {
            a.start(BigInteger.ONE);
            await("the 21 blocks to be read", () -> market.ranges.stream().anyMatch(r -> r.endsWith("..21")));
            market.rewindTo(10); // a new branch from block 10 on
            BigInteger s = slot(key.getAddress(), inTenMinutes()); // opened and drawn at blocks 11 and 12
            assertThat(market.head()).isLessThan(21);
            assertThat(outcome(s).action()).isEqualTo(SlotOutcome.Action.SUBMITTED);
        }
    }
}
