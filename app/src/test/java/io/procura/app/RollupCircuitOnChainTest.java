package io.procura.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.procura.chain.Binding;
import io.procura.contracts.generated.ProcurementMarket;
import io.procura.runtime.Circuit;
import io.procura.runtime.CircuitProof;
import io.procura.runtime.ProvingKey;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The rollup-2^14 plug-in circuit end to end on anvil, with real gnark proofs and its deployed verifier and
 * payload checker: a slot whose fixed input is not its payload's commitment (or whose payload has another length)
 * cannot be opened; the designate's real proof is accepted with the batch's old and new roots; the same proof with
 * another new root is rejected.
 */
class RollupCircuitOnChainTest {
    private static LocalMarket m;
    private static Circuit circuit;
    private static BigInteger circuitId;
    private static ProvingKey pk;

    @BeforeAll
    static void deploy() throws Exception {
        m = new LocalMarket(2);
        circuit = Circuit.find(Deployer.ROLLUP_CIRCUIT).orElseThrow();
        circuitId = m.d.circuits().get(Deployer.ROLLUP_CIRCUIT);
        assertThat(circuitId).isNotNull().isNotEqualTo(m.d.digitsCircuitId());
        for (Credentials p : m.provers) {
            m.as(p).registry().optIn(circuitId).send();
        }
        pk = ProvingKey.loadBundled(circuit.keyName());
    }

    @AfterAll
    static void stop() {
        if (pk != null) pk.close();
        if (m != null) m.close();
    }

    /** 4 balances 100..400, a transfer of 150 from account 1 to 2. */
    private static byte[] payload() {
        ByteBuffer b = ByteBuffer.allocate(circuit.payloadBytes());
        for (int i = 1; i <= 4; i++) {
            b.putLong(100L * i);
        }
        return b.putInt(1).putInt(2).putLong(150).array();
    }

    private static Credentials designateOf(BigInteger slotId) {
        String d = m.terms(slotId).designate;
        return m.provers.stream().filter(p -> p.getAddress().equalsIgnoreCase(d)).findFirst().orElseThrow();
    }

    @Test
    void shouldRefuseASlotWhoseFixedInputIsNotItsPayloadsCommitment() {
        byte[] other = payload();
        other[other.length - 1] ^= 1;
        List<BigInteger> wrong = List.of(m.runtime.fixedInputs(circuit, other));
        assertThatThrownBy(() -> m.openUndrawn(circuitId, wrong, payload())).hasMessageContaining("revert");
        byte[] longer = Arrays.copyOf(payload(), circuit.payloadBytes() + 1);
        assertThatThrownBy(() -> m.openUndrawn(circuitId, List.of(m.runtime.fixedInputs(circuit, payload())), longer))
                .hasMessageContaining("revert");
    }

    @Test
    void shouldAcceptTheDesignatesRealProofAndRejectAnotherNewRoot() throws Exception {
        byte[] payload = payload();
        BigInteger slotId = m.openUndrawn(circuitId, List.of(m.runtime.fixedInputs(circuit, payload)), payload);
        m.draw(slotId);
        Credentials designate = designateOf(slotId);
        CircuitProof proof = m.runtime.prove(circuit, pk, payload,
                Binding.of(m.chain.chainId(), m.d.market(), slotId, designate.getAddress()));
        List<BigInteger> outputs = List.of(proof.outputs());
        List<BigInteger> forged = List.of(outputs.get(0), outputs.get(1).add(BigInteger.ONE));
        assertThatThrownBy(() -> m.as(designate).market()
                .submitProof(slotId, m.terms(slotId), forged, Arrays.asList(proof.proof())).send())
                .hasMessageContaining("revert");
        TransactionReceipt r = m.as(designate).market()
                .submitProof(slotId, m.terms(slotId), outputs, Arrays.asList(proof.proof())).send();
        assertThat(r.isStatusOK()).isTrue();
        assertThat(m.as(designate).market().slotState(slotId).send().designateDelivered).isTrue();
        ProcurementMarket.ProofSubmittedEventResponse accepted = ProcurementMarket.getProofSubmittedEvents(r).get(0);
        assertThat(accepted.outputs).containsExactlyElementsOf(outputs);
        assertThat(outputs.get(0)).isNotEqualTo(outputs.get(1)); // the batch moved 150 from account 1 to 2
    }
}
