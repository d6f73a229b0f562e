package io.procura.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.procura.chain.Binding;
import io.procura.chain.SlotLogs;
import io.procura.chain.Tokens;
import io.procura.contracts.generated.ProcurementMarket;
import io.procura.contracts.generated.ProverRegistry;
import io.procura.runtime.DigitsProof;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Real gnark proofs against the real market and verifier on anvil: a proof is bound to one prover
 * on one slot (docs/DESIGN.md §3 binding), a public input outside the BN254 scalar field is rejected, no proof
 * is taken before the draw, the drawn terms Java rebuilds are the ones the market hashes, and the
 * designate's bond is released by its accepted proof.
 */
class ProofBindingOnChainTest {
    private static LocalMarket m;
    private static List<Credentials> provers;

    @BeforeAll
    static void deployMarketWithTwoProvers() throws Exception {
        m = new LocalMarket(2);
        provers = m.provers;
    }

    @AfterAll
    static void stop() {
        if (m != null) m.close();
    }

    private static BigInteger openSlot(List<BigInteger> fixed) throws Exception {
        return m.openSlot(fixed);
    }

    private static List<BigInteger> fixedInputs() {
        return m.fixedInputs();
    }

    private static DigitsProof proveFor(BigInteger slotId, Credentials prover) {
        return m.proveFor(slotId, prover);
    }

    private static TransactionReceipt submit(Credentials from, BigInteger slotId, BigInteger output, DigitsProof proof) throws Exception {
        return m.submit(from, slotId, output, proof);
    }

    private static void isRevert(Throwable e) {
        assertThat(String.valueOf(e.getMessage()).toLowerCase()).containsAnyOf("revert", "status: 0x0");
    }

    @Test
    void shouldDeriveTheSamePrizesOnChainAsPaymentRules() throws Exception {
        // the market inlines PaymentMath; PaymentRecipe exposes the same library functions (EIP-170 leaves the
        // market no room for these views)
        io.procura.contracts.generated.PaymentRecipe market = io.procura.contracts.generated.PaymentRecipe.deploy(
                m.chain.web3j(), m.chain.transactionManager(m.requester), m.chain.gasProvider()).send();
        java.util.Random rnd = new java.util.Random(7);
        for (int i = 0; i < 40; i++) {
            int m = i < 5 ? i : 1 + rnd.nextInt(200);
            BigInteger p = i % 7 == 0 ? BigInteger.ZERO
                    : new BigInteger(60, rnd).mod(io.procura.mechanism.PaymentRule.WAD.add(BigInteger.ONE));
            assertThat(market.totalPrizeWad(BigInteger.valueOf(m), p).send())
                    .as("T_wad(m=%d, p=%s)", m, p).isEqualTo(io.procura.mechanism.PaymentRule.totalPrizeWad(m, p));
            assertThat(market.committeePrizeWad(BigInteger.valueOf(m), p).send())
                    .as("Q_wad(m=%d, p=%s)", m, p).isEqualTo(io.procura.mechanism.PaymentRule.committeePrizeWad(m, p));
        }
    }

    @Test
    void shouldComputeTheSameBindingAsTheMarket() throws Exception {
        BigInteger slot = openSlot(fixedInputs());
        for (Credentials p : provers) {
            BigInteger onChain = m.as(p).market().bindingOf(slot, p.getAddress()).send();
            assertThat(Binding.of(m.chain.chainId(), m.d.market(), slot, p.getAddress())).isEqualTo(onChain);
        }
    }

    @Test
    void shouldAcceptAProofFromTheProverItIsBoundTo() throws Exception {
        BigInteger slot = openSlot(fixedInputs());
        DigitsProof proof = proveFor(slot, provers.get(0));
        TransactionReceipt r = submit(provers.get(0), slot, BigInteger.valueOf(proof.predictedClass()), proof);
        assertThat(r.isStatusOK()).isTrue();
        assertThat(ProcurementMarket.getProofSubmittedEvents(r)).hasSize(1);
    }

    @Test
    void shouldRejectAProofCopiedByAnotherProver() throws Exception {
        BigInteger slot = openSlot(fixedInputs());
        DigitsProof proofOfFirst = proveFor(slot, provers.get(0));
        assertThatThrownBy(() -> submit(provers.get(1), slot, BigInteger.valueOf(proofOfFirst.predictedClass()), proofOfFirst))
                .satisfies(ProofBindingOnChainTest::isRevert);
    }

    @Test
    void shouldRejectAProofReplayedOnAnotherSlot() throws Exception {
        BigInteger first = openSlot(fixedInputs());
        BigInteger second = openSlot(fixedInputs());
        DigitsProof proof = proveFor(first, provers.get(0));
        assertThatThrownBy(() -> submit(provers.get(0), second, BigInteger.valueOf(proof.predictedClass()), proof))
                .satisfies(ProofBindingOnChainTest::isRevert);
        // the same proof still works where it belongs
        assertThat(submit(provers.get(0), first, BigInteger.valueOf(proof.predictedClass()), proof).isStatusOK()).isTrue();
    }

    @Test
    void shouldRejectAPublicInputAtOrAboveTheScalarFieldModulus() throws Exception {
        BigInteger slot = openSlot(fixedInputs());
        DigitsProof proof = proveFor(slot, provers.get(1));
        BigInteger aliased = BigInteger.valueOf(proof.predictedClass()).add(Binding.BN254_SCALAR_FIELD);
        assertThatThrownBy(() -> submit(provers.get(1), slot, aliased, proof)).satisfies(ProofBindingOnChainTest::isRevert);
    }

    @Test
    void shouldRefuseAProofBeforeTheDrawAndTakeItAfter() throws Exception {
        BigInteger slot = m.openUndrawn(fixedInputs());
        DigitsProof proof = proveFor(slot, provers.get(0));
        BigInteger output = BigInteger.valueOf(proof.predictedClass());
        // Market_NotDrawn: the opened terms are the slot's terms until the draw, but no proof counts yet
        assertThatThrownBy(() -> submit(provers.get(0), slot, output, proof)).satisfies(ProofBindingOnChainTest::isRevert);
        assertThat(m.as(m.requester).market().slotState(slot).send().drawn).isFalse();
        m.draw(slot);
        assertThat(submit(provers.get(0), slot, output, proof).isStatusOK()).isTrue();
    }

    @Test
    void shouldRebuildTheDrawnTermsTheMarketHashes() throws Exception {
        BigInteger slot = m.openUndrawn(fixedInputs());
        ProcurementMarket market = m.as(m.requester).market();
        ProcurementMarket.SlotTerms opened = SlotLogs.read(m.chain, m.d.market(), slot, m.d.deployBlock()).openedTerms();
        assertThat(market.hashTerms(opened).send()).isEqualTo(market.slotState(slot).send().termsHash);
        ProcurementMarket.SlotDrawnEventResponse drawn = m.draw(slot);
        SlotLogs.Slot logs = SlotLogs.read(m.chain, m.d.market(), slot, m.d.deployBlock());
        assertThat(logs.isDrawn()).isTrue();
        assertThat(logs.drawBlock()).isEqualTo(drawn.drawBlock);
        assertThat(logs.deadline()).isEqualTo(drawn.deadline.longValueExact());
        assertThat(logs.drawnTerms().designate).isEqualToIgnoringCase(drawn.designate);
        byte[] stored = market.slotState(slot).send().termsHash;
        assertThat(market.hashTerms(logs.drawnTerms()).send()).isEqualTo(stored);
        assertThat(market.hashTerms(logs.openedTerms()).send()).as("the draw changed the stored hash").isNotEqualTo(stored);
        // the prove window starts at the draw
        long drawTime = m.chain.web3j().ethGetBlockByNumber(org.web3j.protocol.core.DefaultBlockParameter.valueOf(
                drawn.log.getBlockNumber()), false).send().getBlock().getTimestamp().longValueExact();
        assertThat(logs.deadline()).isEqualTo(drawTime + 600);
    }

    @Test
    void shouldReleaseTheDesignatesBondAsSoonAsItsProofIsAccepted() throws Exception {
        BigInteger slot = openSlot(fixedInputs());
        String designate = m.terms(slot).designate;
        Credentials key = provers.stream().filter(c -> c.getAddress().equalsIgnoreCase(designate)).findFirst().orElseThrow();
        ProverRegistry registry = m.as(m.requester).registry();
        BigInteger slotBond = m.as(m.requester).market().slotBond().send();
        BigInteger lockedBefore = registry.lockedOf(designate).send();
        assertThat(slotBond).isEqualTo(Tokens.parse("50"));
        assertThat(lockedBefore).as("the draw locked the slot bond").isGreaterThanOrEqualTo(slotBond);
        DigitsProof proof = proveFor(slot, key);
        TransactionReceipt r = submit(key, slot, BigInteger.valueOf(proof.predictedClass()), proof);
        assertThat(registry.lockedOf(designate).send()).isEqualTo(lockedBefore.subtract(slotBond));
        assertThat(ProverRegistry.getBondUnlockedEvents(r)).singleElement()
                .satisfies(e -> {
                    assertThat(e.prover).isEqualToIgnoringCase(designate);
                    assertThat(e.slotId).isEqualTo(slot);
                    assertThat(e.amount).isEqualTo(slotBond);
                });
        assertThat(m.as(m.requester).market().slotState(slot).send().settled).as("long before settlement").isFalse();
    }

    @Test
    void shouldRefuseToOpenASlotWithAFixedInputOutsideTheField() {
        List<BigInteger> fixed = List.of(m.fixedInputs().get(0).add(Binding.BN254_SCALAR_FIELD), m.fixedInputs().get(1));
        assertThatThrownBy(() -> openSlot(fixed)).satisfies(ProofBindingOnChainTest::isRevert);
    }

    /** BN254 base field modulus q (point coordinates). */
    private static final BigInteger BASE_FIELD =
            new BigInteger("21888242871839275222246405745257275088696311157297823662689037894645226208583");

    /** (A, B, C) to (-A, -B, C) in gnark's layout [A.x, A.y, B.x1, B.x0, B.y1, B.y0, C.x, C.y]: another valid proof. */
    private static DigitsProof rerandomised(DigitsProof p) {
        BigInteger[] w = p.proof().clone();
        for (int i : new int[] {1, 4, 5}) {
            w[i] = w[i].signum() == 0 ? w[i] : BASE_FIELD.subtract(w[i]);
        }
        return new DigitsProof(p.predictedClass(), w, p.publicInputs(), p.proveTime());
    }

    @Test
    void shouldAcceptARerandomisedProofOnceFromItsOwnProverAndNeverFromAnotherOrTwice() throws Exception {
        BigInteger slot = openSlot(fixedInputs());
        DigitsProof proof = proveFor(slot, provers.get(0));
        DigitsProof negated = rerandomised(proof);
        BigInteger output = BigInteger.valueOf(proof.predictedClass());
        assertThat(negated.proof()).isNotEqualTo(proof.proof());
        // Groth16 malleability is real: the re-randomised proof verifies for the same statement ...
        assertThat(submit(provers.get(0), slot, output, negated).isStatusOK()).isTrue();
        // ... so what stops resubmission is one delivery per prover per slot ...
        assertThatThrownBy(() -> submit(provers.get(0), slot, output, proof)).satisfies(ProofBindingOnChainTest::isRevert);
        // ... and the binding: another prover cannot deliver either version.
        assertThatThrownBy(() -> submit(provers.get(1), slot, output, negated)).satisfies(ProofBindingOnChainTest::isRevert);
        assertThatThrownBy(() -> submit(provers.get(1), slot, output, proof)).satisfies(ProofBindingOnChainTest::isRevert);
        assertThat(m.as(m.requester).market().slotState(slot).send().committeeDeliveries).isIn(BigInteger.ZERO, BigInteger.ONE);
    }
}
