package io.procura.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.procura.agent.ProverAgent;
import io.procura.agent.SlotOutcome;
import io.procura.chain.Tokens;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

/** With a confirmation depth, the agent acts on a slot's draw only once that many blocks are built on it. */
class AgentConfirmationsTest {
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
    void shouldWaitForTheConfirmationsBeforeProving() throws Exception {
        Credentials key = m.fundedKey(Tokens.parse("1000"));
        List<SlotOutcome> outcomes = new CopyOnWriteArrayList<>();
        try (ProverAgent a = m.agent(key, "1000", java.util.Set.of(m.d.digitsCircuitId()), outcomes::add)) {
            a.setConfirmations(3);
            a.registerAndBond();
            a.start(m.chain.blockNumber());
            BigInteger slot = m.openSlot(m.fixedInputs()); // drawn by the test; anvil mines only on transactions
            Thread.sleep(10 * AnvilNode.pollInterval().toMillis() + 500);
            assertThat(outcomes).as("the draw is at the head: not yet buried under 3 blocks").isEmpty();
            m.chain.mine(3);
            long until = System.currentTimeMillis() + 60_000;
            while (outcomes.isEmpty() && System.currentTimeMillis() < until) Thread.sleep(100);
            assertThat(outcomes).singleElement().satisfies(o -> {
                assertThat(o.slotId()).isEqualTo(slot);
                assertThat(o.action()).isEqualTo(SlotOutcome.Action.SUBMITTED);
            });
        }
    }
}
