package io.procura.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.procura.agent.AgentConfig;
import io.procura.agent.ProverAgent;
import io.procura.chain.Tokens;
import io.procura.coordinator.ProcuraClient;
import io.procura.coordinator.Quote;
import io.procura.coordinator.SlotRequester;
import io.procura.runtime.Circuit;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

/**
 * A requester's slots through {@link ProcuraClient} on anvil with one real prover agent (digits and the rollup
 * batch): quote, open with the payload's fixed inputs, draw, wait for the designate's proof and read its outputs.
 */
class ProcuraClientTest {
    private static LocalMarket m;
    private static ProverAgent agent;
    private static ProcuraClient client;

    @BeforeAll
    static void marketWithOneAgent() throws Exception {
        m = new LocalMarket(0);
        Credentials key = m.fundedKey(Tokens.parse("1000"));
        agent = new ProverAgent(new AgentConfig("solo", key, "test://solo", Tokens.parse("1000"), AgentConfig.FaultMode.NONE,
                Duration.ofSeconds(2), AnvilNode.pollInterval(), null), m.chain, m.d, m.runtime, m.pk, m.model, o -> {});
        agent.registerAndBond();
        agent.start(m.chain.blockNumber());
        client = new ProcuraClient(m.chain, m.d, m.requester, 1.0);
    }

    @AfterAll
    static void stop() {
        if (agent != null) agent.close();
        if (m != null) m.close();
    }

    /** Mines blocks in the background (anvil mines on demand) until the slot's draw block exists. */
    private static void mineTo(BigInteger block) {
        long missing = block.subtract(m.chain.blockNumber()).longValueExact() + 1;
        if (missing > 0) m.chain.mine(missing);
    }

    /** The slot keeps its result on chain: {@code resultOf} holds the hash of exactly the proof's outputs. */
    @Test
    void shouldGetARollupBatchProvedAndReadItsRootsOnChain() throws Exception {
        Circuit rollup = Circuit.find(Deployer.ROLLUP_CIRCUIT).orElseThrow();
        BigInteger id = m.d.circuits().get(rollup.name());
        byte[] payload = ByteBuffer.allocate(rollup.payloadBytes()).putLong(500).putLong(0).putLong(0).putLong(7)
                .putInt(0).putInt(3).putLong(200).array();
        Quote q = client.quote(id, 50, Tokens.parse("2"));
        assertThat(q.eligibleProvers()).isEqualTo(1);
        SlotRequester.OpenedSlot slot = client.open(q, List.of(m.runtime.fixedInputs(rollup, payload)), payload, 600, true);
        assertThat(client.resultOf(slot.slotId()).status()).isEqualTo(ProcuraClient.ResultStatus.PENDING);
        mineTo(slot.drawBlock());
        ProcuraClient.Result r = client.await(slot, Duration.ofMinutes(2), Duration.ofMillis(200));
        assertThat(r.status()).isEqualTo(ProcuraClient.Status.PROVED);
        assertThat(r.prover()).isEqualToIgnoringCase(agent.address());
        assertThat(r.outputs()).hasSize(2); // old root, new root
        assertThat(r.outputs().get(0)).isNotEqualTo(r.outputs().get(1)); // 200 moved from account 0 to 3
        ProcuraClient.KeptResult kept = client.resultOf(slot.slotId());
        assertThat(kept.status()).isEqualTo(ProcuraClient.ResultStatus.DELIVERED);
        assertThat(kept.matches(r.outputs())).isTrue();
        assertThat(kept.matches(List.of(r.outputs().get(0), r.outputs().get(1).add(BigInteger.ONE)))).isFalse();
        assertThat(kept.matches(List.of(r.outputs().get(1), r.outputs().get(0)))).isFalse();
    }

    @Test
    void shouldRefuseAPayloadWhoseFixedInputIsWrong() throws Exception {
        Circuit rollup = Circuit.find(Deployer.ROLLUP_CIRCUIT).orElseThrow();
        BigInteger id = m.d.circuits().get(rollup.name());
        Quote q = client.quote(id, 50, Tokens.parse("2"));
        byte[] payload = new byte[rollup.payloadBytes()];
        assertThatThrownBy(() -> client.open(q, List.of(BigInteger.ONE), payload, 600))
                .hasMessageContaining("opening a slot failed").hasMessageContaining("Market_UnprovableSlot(circuitId=" + id);
    }
}
