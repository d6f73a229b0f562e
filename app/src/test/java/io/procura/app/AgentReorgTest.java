package io.procura.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.procura.agent.ProverAgent;
import io.procura.agent.SlotOutcome;
import io.procura.chain.SlotLogs;
import io.procura.chain.Tokens;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

/**
 * A reorganisation below the agent's cursor (anvil_snapshot, 20 blocks the agent reads, evm_revert, then a new
 * branch whose slot is opened and drawn at heights the agent already passed): the agent notices that the last block
 * it read changed, re-reads, and proves the new branch's slot. Without the parent-hash check it would never see it.
 */
class AgentReorgTest {
    private static LocalMarket m;

    @BeforeAll
    static void market() throws Exception {
        m = new LocalMarket(0);
    }

    @AfterAll
    static void stop() {
        if (m != null) m.close();
    }

    @Test
    void shouldProveASlotThatAReorganisationPutBelowItsCursor() throws Exception {
        Credentials key = m.fundedKey(Tokens.parse("1000"));
        List<SlotOutcome> outcomes = new CopyOnWriteArrayList<>();
        try (ProverAgent a = m.agent(key, "1000", java.util.Set.of(m.d.digitsCircuitId()), outcomes::add)) {
            a.registerAndBond();
            String snapshot = m.chain.snapshot();
            BigInteger forkPoint = m.chain.blockNumber();
            a.start(forkPoint.add(BigInteger.ONE));
            m.chain.mine(20);
            Thread.sleep(8 * AnvilNode.pollInterval().toMillis()); // the agent reads the 20 blocks
            m.chain.revertTo(snapshot);
            assertThat(m.chain.blockNumber()).isEqualTo(forkPoint);
            BigInteger slot = m.openSlot(m.fixedInputs()); // the new branch: opened and drawn below the old head
            BigInteger drawnAt = SlotLogs.read(m.chain, m.d.market(), slot, m.d.deployBlock()).drawn().log.getBlockNumber();
            assertThat(drawnAt).as("drawn at a height the agent already read").isLessThan(forkPoint.add(BigInteger.valueOf(20)));
            long until = System.currentTimeMillis() + 60_000;
            while (outcomes.stream().noneMatch(o -> o.slotId().equals(slot)) && System.currentTimeMillis() < until) {
                Thread.sleep(100);
            }
            assertThat(outcomes).filteredOn(o -> o.slotId().equals(slot)).singleElement()
                    .satisfies(o -> assertThat(o.action()).isEqualTo(SlotOutcome.Action.SUBMITTED));
        }
    }
}
