package io.procura.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.procura.agent.AgentConfig;
import io.procura.agent.ProverAgent;
import io.procura.agent.SlotOutcome;
import io.procura.chain.SlotLogs;
import io.procura.chain.Tokens;
import io.procura.contracts.generated.ProcurementMarket;
import io.procura.contracts.generated.ProverRegistry;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Two real prover agents on anvil with real proofs: one opted into the digits circuit (the default), one
 * that opted in once and then, restarted with {@code circuits = {}}, opted out again. The second stays
 * registered and bonded but is never drawn for the circuit and never submits for it; the first draws the
 * slots itself once their draw block exists, is drawn, proves, and its slot bond is free again in the very
 * transaction that accepts its proof, long before settlement.
 */
class AgentCircuitOptInTest {
    private static final int SLOTS = 3;
    private static LocalMarket m;
    private static ProverAgent optedIn;
    private static ProverAgent optedOut;
    private static final List<SlotOutcome> outcomes = new CopyOnWriteArrayList<>();
    private static final List<BigInteger> drawn = new ArrayList<>();
    private static final List<BigInteger> cancelled = new ArrayList<>();
    /** lockedOf(optedIn) at the draw block of each drawn slot, and right after its proof was accepted */
    private static final List<BigInteger> lockedAtDraw = new ArrayList<>();
    private static final List<BigInteger> lockedAfterProof = new ArrayList<>();

    private static AgentConfig config(String name, Credentials key, BigInteger bond, Set<BigInteger> circuits) {
        return new AgentConfig(name, key, "test://" + name, bond, AgentConfig.FaultMode.NONE, Duration.ofSeconds(2),
                AnvilNode.pollInterval(), circuits);
    }

    private static ProverAgent agent(AgentConfig cfg) {
        return new ProverAgent(cfg, m.chain, m.d, m.runtime, m.pk, m.model, outcomes::add);
    }

    @BeforeAll
    static void runSlotsWithOneAgentOptedInAndOneOptedOut() throws Exception {
        m = new LocalMarket(0);
        Credentials a = m.fundedKey(Tokens.parse("1000"));
        Credentials b = m.fundedKey(Tokens.parse("1000"));
        optedIn = agent(config("in", a, Tokens.parse("1000"), null));
        optedIn.registerAndBond();
        // b first runs with the default circuits (opts in and joins the circuit's member list) ...
        try (ProverAgent first = agent(config("out", b, Tokens.parse("1000"), null))) {
            first.registerAndBond();
            assertThat(m.as(m.owner).registry().eligibleCount(m.d.digitsCircuitId()).send()).isEqualTo(BigInteger.TWO);
        }
        // ... then restarts opted into no circuit: it opts out, keeps its registration and bond
        optedOut = agent(config("out", b, BigInteger.ZERO, Set.of()));
        optedOut.registerAndBond();

        BigInteger from = m.chain.blockNumber();
        optedIn.start(from);
        optedOut.start(from);
        ProverRegistry registry = m.as(m.owner).registry();
        for (int i = 0; i < SLOTS + 3 && drawn.size() < SLOTS; i++) {
            BigInteger slot = m.openUndrawn(m.fixedInputs());
            m.chain.mine(LocalMarket.DRAW_DELAY); // the draw block; the opted-in agent calls draw
            SlotLogs.Slot s = awaitDrawOrCancel(slot);
            if (s.isCancelled()) {
                // rejection sampling may give up when it keeps hitting the opted-out member: a refund, not a draw
                cancelled.add(slot);
                continue;
            }
            drawn.add(slot);
            registry.setDefaultBlockParameter(DefaultBlockParameter.valueOf(s.drawn().log.getBlockNumber()));
            lockedAtDraw.add(registry.lockedOf(optedIn.address()).send());
            registry.setDefaultBlockParameter(org.web3j.protocol.core.DefaultBlockParameterName.LATEST);
            awaitOutcome(slot, optedIn.address());
            awaitOutcome(slot, optedOut.address());
            lockedAfterProof.add(registry.lockedOf(optedIn.address()).send());
        }
    }

    @AfterAll
    static void stop() {
        if (optedIn != null) optedIn.close();
        if (optedOut != null) optedOut.close();
        if (m != null) m.close();
    }

    private static SlotLogs.Slot awaitDrawOrCancel(BigInteger slot) throws InterruptedException {
        long limit = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < limit) {
            SlotLogs.Slot s = SlotLogs.read(m.chain, m.d.market(), slot, m.d.deployBlock());
            if (s.isDrawn() || s.isCancelled()) return s;
            Thread.sleep(100);
        }
        throw new AssertionError("the opted-in agent did not draw slot " + slot + " within 30 s");
    }

    private static SlotOutcome awaitOutcome(BigInteger slot, String prover) throws InterruptedException {
        long limit = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < limit) {
            for (SlotOutcome o : outcomes) {
                if (o.slotId().equals(slot) && o.prover().equalsIgnoreCase(prover)) return o;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no outcome of " + prover + " for slot " + slot + " within 60 s");
    }

    private static List<SlotOutcome> outcomesOf(ProverAgent agent) {
        return outcomes.stream().filter(o -> o.prover().equalsIgnoreCase(agent.address())).toList();
    }

    @Test
    void shouldOptIntoTheConfiguredCircuitsAndOutOfTheOthers() throws Exception {
        ProverRegistry registry = m.as(m.owner).registry();
        BigInteger digits = m.d.digitsCircuitId();
        // by default: every circuit of the deployment it holds keys for (digits and the bundled plug-in circuits)
        assertThat(optedIn.circuits()).containsExactlyInAnyOrder(digits, m.d.circuits().get(Deployer.ROLLUP_CIRCUIT),
                m.d.circuits().get(Deployer.MLP_CIRCUIT));
        assertThat(optedOut.circuits()).isEmpty();
        assertThat(registry.isOptedIn(optedIn.address(), digits).send()).isTrue();
        assertThat(registry.isOptedIn(optedOut.address(), digits).send()).isFalse();
        assertThat(registry.circuitsOf(optedOut.address()).send()).isEmpty();
        assertThat(registry.isEligible(optedOut.address()).send()).as("still bonded and not jailed").isTrue();
        assertThat(registry.isEligibleFor(optedOut.address(), digits).send()).isFalse();
        assertThat(registry.eligibleCount(digits).send()).isEqualTo(BigInteger.ONE);
        assertThat(registry.memberCount(digits).send()).as("it stays in the append-only member list").isEqualTo(BigInteger.TWO);
    }

    @Test
    void shouldRefuseACircuitTheAgentHasNoKeysFor() {
        BigInteger none = BigInteger.valueOf(1_000); // no circuit of the deployment
        AgentConfig unknown = config("x", m.owner, BigInteger.ZERO, Set.of(none));
        assertThatThrownBy(() -> agent(unknown)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot opt into circuit " + none);
    }

    @Test
    void shouldNeverDrawNorHearFromAProverNotOptedIn() throws Exception {
        assertThat(drawn).as("slots drawn (some may be cancelled by rejection sampling)").hasSize(SLOTS);
        for (BigInteger slot : drawn) {
            SlotLogs.Slot s = SlotLogs.read(m.chain, m.d.market(), slot, m.d.deployBlock());
            assertThat(s.drawn().designate).as("designate of slot %s", slot).isEqualToIgnoringCase(optedIn.address());
        }
        for (BigInteger slot : cancelled) {
            assertThat(SlotLogs.read(m.chain, m.d.market(), slot, m.d.deployBlock()).cancelled().noCandidate).isTrue();
        }
        // not one ProofSubmitted from the opted-out prover, for any slot
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(m.d.deployBlock()),
                org.web3j.protocol.core.DefaultBlockParameterName.LATEST, m.d.market());
        filter.addSingleTopic(EventEncoder.encode(ProcurementMarket.PROOFSUBMITTED_EVENT));
        List<String> submitters = new ArrayList<>();
        for (Log log : m.chain.logs(filter, "proofs")) {
            submitters.add(ProcurementMarket.getProofSubmittedEventFromLog(log).prover.toLowerCase());
        }
        assertThat(submitters).hasSize(SLOTS).containsOnly(optedIn.address().toLowerCase());
        assertThat(outcomesOf(optedOut)).hasSize(SLOTS).allSatisfy(o -> {
            assertThat(o.role()).isEqualTo(SlotOutcome.Role.NOT_ELIGIBLE);
            assertThat(o.action()).isEqualTo(SlotOutcome.Action.NOT_ELIGIBLE);
            assertThat(o.detail()).contains("not opted into circuit " + m.d.digitsCircuitId());
        });
        assertThat(outcomesOf(optedIn)).hasSize(SLOTS).allSatisfy(o -> {
            assertThat(o.role()).isEqualTo(SlotOutcome.Role.DESIGNATE);
            assertThat(o.action()).isEqualTo(SlotOutcome.Action.SUBMITTED);
        });
    }

    @Test
    void shouldFreeTheDesignatesBondRightAfterItsProofIsAccepted() throws Exception {
        BigInteger slotBond = m.as(m.owner).market().slotBond().send();
        assertThat(slotBond).isPositive();
        assertThat(lockedAtDraw).as("the draw locks the slot bond").hasSize(SLOTS).containsOnly(slotBond);
        assertThat(lockedAfterProof).as("the accepted proof unlocks it").hasSize(SLOTS).containsOnly(BigInteger.ZERO);
        for (BigInteger slot : drawn) {
            assertThat(m.as(m.owner).market().slotState(slot).send().settled).as("slot %s not settled", slot).isFalse();
        }
        // the BondUnlocked of each slot is in the same transaction as its designate's ProofSubmitted
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(m.d.deployBlock()),
                org.web3j.protocol.core.DefaultBlockParameterName.LATEST, List.of(m.d.market(), m.d.registry()));
        List<Log> logs = m.chain.logs(filter, "all");
        String proofTopic = EventEncoder.encode(ProcurementMarket.PROOFSUBMITTED_EVENT);
        String unlockTopic = EventEncoder.encode(ProverRegistry.BONDUNLOCKED_EVENT);
        for (BigInteger slot : drawn) {
            String slotTopic = org.web3j.utils.Numeric.toHexStringWithPrefixZeroPadded(slot, 64);
            String proofTx = logs.stream().filter(l -> l.getTopics().get(0).equals(proofTopic) && l.getTopics().get(1).equals(slotTopic))
                    .findFirst().orElseThrow().getTransactionHash();
            Log unlock = logs.stream().filter(l -> l.getTopics().get(0).equals(unlockTopic) && l.getTopics().get(2).equals(slotTopic))
                    .findFirst().orElseThrow();
            assertThat(unlock.getTransactionHash()).as("slot %s", slot).isEqualTo(proofTx);
            assertThat(ProverRegistry.getBondUnlockedEventFromLog(unlock).amount).isEqualTo(slotBond);
        }
    }
}
