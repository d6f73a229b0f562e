package io.procura.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.procura.chain.Binding;
import io.procura.chain.ChainClient;
import io.procura.chain.Deployment;
import io.procura.chain.MarketContracts;
import io.procura.chain.Tokens;
import io.procura.contracts.FoundryTools;
import io.procura.contracts.generated.ProcurementMarket;
import io.procura.runtime.DigitsDataset;
import io.procura.runtime.DigitsImage;
import io.procura.runtime.DigitsModel;
import io.procura.runtime.DigitsProof;
import io.procura.runtime.ProvingKey;
import io.procura.runtime.ProvingRuntime;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Real gnark proofs against the real market and verifier on anvil: a proof is bound to one prover
 * on one slot (DESIGN.md §3 binding), and a public input outside the BN254 scalar field is rejected.
 */
class ProofBindingOnChainTest {
    private static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    private static AnvilNode anvil;
    private static ChainClient chain;
    private static Deployment d;
    private static ProvingRuntime runtime;
    private static ProvingKey pk;
    private static DigitsModel model;
    private static DigitsImage image;
    private static final List<Credentials> provers = new ArrayList<>();
    private static Credentials requester;

    @BeforeAll
    static void deployMarketWithTwoProvers() throws Exception {
        anvil = AnvilNode.start(FoundryTools.anvilBinary(HOME), 31337);
        chain = ChainClient.connect(anvil.rpcUrl());
        Credentials owner = Credentials.create(AnvilNode.DEV_KEY);
        d = Deployer.deploy(chain, owner, new Deployer.Params(Tokens.parse("100"), 3600, Tokens.parse("50"), 1));
        MarketContracts asOwner = MarketContracts.load(chain, d, owner);
        requester = Credentials.create(Keys.createEcKeyPair());
        chain.sendEther(owner, requester.getAddress(), BigDecimal.TEN);
        asOwner.token().mint(requester.getAddress(), Tokens.parse("10000")).send();
        for (int i = 0; i < 2; i++) {
            Credentials c = Credentials.create(Keys.createEcKeyPair());
            chain.sendEther(owner, c.getAddress(), BigDecimal.TEN);
            asOwner.token().mint(c.getAddress(), Tokens.parse("1000")).send();
            MarketContracts asProver = MarketContracts.load(chain, d, c);
            asProver.token().approve(d.registry(), Tokens.parse("1000")).send();
            asProver.registry().register("test://" + i, new byte[32]).send();
            asProver.registry().bond(Tokens.parse("1000")).send();
            provers.add(c);
        }
        runtime = ProvingRuntime.nativeRuntime();
        pk = ProvingKey.loadBundled("digits");
        model = DigitsModel.load(HOME.resolve("data/digits-model.json"));
        image = DigitsDataset.load(HOME.resolve("data/digits.csv.gz")).get(0);
    }

    @AfterAll
    static void stop() {
        if (pk != null) pk.close();
        if (chain != null) chain.close();
        if (anvil != null) anvil.close();
    }

    private static BigInteger openSlot(List<BigInteger> fixed) throws Exception {
        MarketContracts asRequester = MarketContracts.load(chain, d, requester);
        asRequester.token().approve(d.market(), Tokens.parse("1000")).send();
        TransactionReceipt r = asRequester.market().openSlot(d.digitsCircuitId(), fixed, image.pixels(), Tokens.parse("10"),
                new BigInteger("500000000000000000"), BigInteger.valueOf(600)).send();
        return ProcurementMarket.getSlotOpenedEvents(r).get(0).slotId;
    }

    private static List<BigInteger> fixedInputs() {
        return List.of(runtime.commitModel(model), runtime.commitImage(image.pixels()));
    }

    private static DigitsProof proveFor(BigInteger slotId, Credentials prover) {
        return runtime.proveDigits(pk, model, image.pixels(), Binding.of(chain.chainId(), d.market(), slotId, prover.getAddress()));
    }

    private static TransactionReceipt submit(Credentials from, BigInteger slotId, BigInteger output, DigitsProof proof) throws Exception {
        return MarketContracts.load(chain, d, from).market().submitProof(slotId, List.of(output), Arrays.asList(proof.proof())).send();
    }

    private static void isRevert(Throwable e) {
        assertThat(String.valueOf(e.getMessage()).toLowerCase()).containsAnyOf("revert", "status: 0x0");
    }

    @Test
    void shouldDeriveTheSamePrizesOnChainAsPaymentRules() throws Exception {
        ProcurementMarket market = MarketContracts.load(chain, d, requester).market();
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
            BigInteger onChain = MarketContracts.load(chain, d, p).market().bindingOf(slot, p.getAddress()).send();
            assertThat(Binding.of(chain.chainId(), d.market(), slot, p.getAddress())).isEqualTo(onChain);
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
    void shouldRefuseToOpenASlotWithAFixedInputOutsideTheField() {
        List<BigInteger> fixed = List.of(runtime.commitModel(model).add(Binding.BN254_SCALAR_FIELD), runtime.commitImage(image.pixels()));
        assertThatThrownBy(() -> openSlot(fixed)).satisfies(ProofBindingOnChainTest::isRevert);
    }
}
