package io.procura.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.procura.chain.Binding;
import io.procura.contracts.generated.ProcurementMarket;
import io.procura.runtime.Circuit;
import io.procura.runtime.CircuitProof;
import io.procura.runtime.ProvingKey;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The zkML digits-mlp circuit end to end on anvil, with real gnark proofs, its deployed verifier and the digits
 * payload checker bound to the MLP's model commitment: a slot with the linear model's commitment (or another
 * image's) cannot be opened; the designate's real proof of the MLP's class is accepted; another class is rejected.
 */
class MlpCircuitOnChainTest {
    private static LocalMarket m;
    private static Circuit circuit;
    private static BigInteger circuitId;
    private static ProvingKey pk;

    @BeforeAll
    static void deploy() throws Exception {
        m = new LocalMarket(2);
        circuit = Circuit.find(Deployer.MLP_CIRCUIT).orElseThrow();
        circuitId = m.d.circuits().get(Deployer.MLP_CIRCUIT);
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

    @Test
    void shouldRefuseTheLinearModelsCommitmentOrAnotherImage() {
        byte[] image = m.image.pixels();
        List<BigInteger> linear = m.fixedInputs(); // the linear digits model's commitment
        assertThatThrownBy(() -> m.openUndrawn(circuitId, linear, image)).hasMessageContaining("revert");
        byte[] other = image.clone();
        other[0] ^= 1;
        List<BigInteger> wrongImage = List.of(m.runtime.fixedInputs(circuit, image)[0], m.runtime.fixedInputs(circuit, other)[1]);
        assertThatThrownBy(() -> m.openUndrawn(circuitId, wrongImage, image)).hasMessageContaining("revert");
    }

    @Test
    void shouldAcceptTheDesignatesProofOfTheMlpsClassAndRejectAnother() throws Exception {
        byte[] image = m.image.pixels();
        BigInteger slotId = m.openUndrawn(circuitId, List.of(m.runtime.fixedInputs(circuit, image)), image);
        m.draw(slotId);
        String d = m.terms(slotId).designate;
        Credentials designate = m.provers.stream().filter(p -> p.getAddress().equalsIgnoreCase(d)).findFirst().orElseThrow();
        CircuitProof proof = m.runtime.prove(circuit, pk, image, Binding.of(m.chain.chainId(), m.d.market(), slotId, d));
        BigInteger cls = proof.outputs()[0];
        assertThat(cls.intValueExact()).isBetween(0, 9);
        List<BigInteger> other = List.of(cls.add(BigInteger.ONE).mod(BigInteger.TEN));
        assertThatThrownBy(() -> m.as(designate).market()
                .submitProof(slotId, m.terms(slotId), other, Arrays.asList(proof.proof())).send())
                .hasMessageContaining("revert");
        TransactionReceipt r = m.as(designate).market()
                .submitProof(slotId, m.terms(slotId), List.of(cls), Arrays.asList(proof.proof())).send();
        assertThat(r.isStatusOK()).isTrue();
        ProcurementMarket.ProofSubmittedEventResponse accepted = ProcurementMarket.getProofSubmittedEvents(r).get(0);
        assertThat(accepted.outputs).containsExactly(cls);
        assertThat(cls.intValueExact()).as("image 0 of the data set is a 0").isEqualTo(m.image.label());
    }
}
