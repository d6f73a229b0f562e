package io.procura.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.procura.agent.AgentState;
import io.procura.agent.ProverAgent;
import io.procura.agent.SlotOutcome;
import io.procura.chain.SlotLogs;
import io.procura.chain.Tokens;
import io.procura.contracts.generated.ProcurementMarket;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;

/**
 * A restarted agent (one prover, so it is every slot's designate): it resumes from the cursor its last run left and
 * proves the slot drawn while it was down; read from the deployment block again (as `--from-block 0` did), it proves
 * and submits nothing twice; a second agent with the same data directory cannot start while the first runs.
 */
class AgentRestartTest {
    private static LocalMarket m;
    private static Credentials key;
    private static final List<SlotOutcome> outcomes = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void market() throws Exception {
        m = new LocalMarket(0);
        key = m.fundedKey(Tokens.parse("1000"));
    }

    @AfterAll
    static void stop() {
        if (m != null) m.close();
    }

    private static ProverAgent agent() {
        return m.agent(key, "1000", java.util.Set.of(m.d.digitsCircuitId()), outcomes::add);
    }

    private static SlotOutcome await(BigInteger slot, SlotOutcome.Action action) throws InterruptedException {
        long until = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < until) {
            for (SlotOutcome o : outcomes) {
                if (o.slotId().equals(slot) && o.action() == action) return o;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + action + " outcome for slot " + slot + " in " + outcomes);
    }

    private static long proofsOf(String prover) {
        EthFilter f = new EthFilter(DefaultBlockParameter.valueOf(m.d.deployBlock()),
                org.web3j.protocol.core.DefaultBlockParameterName.LATEST, m.d.market());
        f.addSingleTopic(EventEncoder.encode(ProcurementMarket.PROOFSUBMITTED_EVENT));
        return m.chain.logs(f, "proofs").stream()
                .filter(l -> ProcurementMarket.getProofSubmittedEventFromLog(l).prover.equalsIgnoreCase(prover)).count();
    }

    @Test
    void shouldResumeFromItsCursorAndNeverProveTwice(@TempDir Path dir) throws Exception {
        BigInteger first;
        try (AgentState state = AgentState.open(dir); ProverAgent a = agent()) {
            a.registerAndBond();
            a.start(m.chain.blockNumber(), state);
            first = m.openSlot(m.fixedInputs()); // drawn by the test: the only prover is the designate
            await(first, SlotOutcome.Action.SUBMITTED);
            Thread.sleep(3 * AnvilNode.pollInterval().toMillis()); // a poll after the proof saves the cursor
            // a second agent with the same key and data directory cannot start beside it
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> AgentState.open(dir))
                    .hasMessageContaining("another agent with this key and market is running");
        }
        // while the agent is down, a slot is opened and drawn: its designate duty must not be missed
        BigInteger second = m.openSlot(m.fixedInputs());
        assertThat(SlotLogs.read(m.chain, m.d.market(), second, m.d.deployBlock()).drawn().designate)
                .isEqualToIgnoringCase(key.getAddress());
        try (AgentState state = AgentState.open(dir); ProverAgent a = agent()) {
            a.registerAndBond();
            BigInteger cursor = state.cursor().orElseThrow();
            assertThat(cursor).isGreaterThan(m.d.deployBlock());
            a.start(cursor, state);
            await(second, SlotOutcome.Action.SUBMITTED);
        }
        assertThat(outcomes.stream().filter(o -> o.slotId().equals(first)).count()).as("slot %s handled once", first)
                .isEqualTo(1);
        // from the deployment block (the README once said `--from-block 0`): old duties are skipped, not re-proved
        outcomes.clear();
        try (ProverAgent a = agent()) {
            a.start(m.d.deployBlock());
            assertThat(await(first, SlotOutcome.Action.ALREADY_DONE).detail()).contains("already delivered");
            await(second, SlotOutcome.Action.ALREADY_DONE);
        }
        assertThat(proofsOf(key.getAddress())).as("one accepted proof per slot, none re-submitted").isEqualTo(2);
    }
}
