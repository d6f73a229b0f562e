package io.procura.app;

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
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Test fixture: a fresh anvil with the whole marketplace deployed, a funded requester and bonded
 * provers, the native runtime with the bundled digits keys, and helpers to open slots and prove.
 */
final class LocalMarket implements AutoCloseable {
    static final Path HOME = Path.of("..").toAbsolutePath().normalize();

    final AnvilNode anvil;
    final ChainClient chain;
    final Deployment d;
    final Credentials owner = Credentials.create(AnvilNode.DEV_KEY);
    final Credentials requester = Credentials.create(Keys.createEcKeyPair());
    final List<Credentials> provers = new ArrayList<>();
    final ProvingRuntime runtime = ProvingRuntime.nativeRuntime();
    final ProvingKey pk = ProvingKey.loadBundled("digits");
    final DigitsModel model;
    final DigitsImage image;
    private final java.util.Map<BigInteger, ProcurementMarket.SlotTerms> terms = new java.util.HashMap<>();

    /**
     * @param proverCount provers to register and bond (1000 tokens each; min bond 100, slot bond 50)
     */
    LocalMarket(int proverCount) throws Exception {
        anvil = AnvilNode.start(FoundryTools.anvilBinary(HOME), 31337);
        chain = ChainClient.connect(anvil.rpcUrl());
        model = DigitsModel.load(HOME.resolve("data/digits-model.json"));
        d = Deployer.deploy(chain, owner, new Deployer.Params(Tokens.parse("100"), 3600, Tokens.parse("50"), 1,
                runtime.commitModel(model)));
        MarketContracts asOwner = MarketContracts.load(chain, d, owner);
        chain.sendEther(owner, requester.getAddress(), BigDecimal.TEN);
        asOwner.token().mint(requester.getAddress(), Tokens.parse("10000")).send();
        for (int i = 0; i < proverCount; i++) {
            Credentials c = Credentials.create(Keys.createEcKeyPair());
            chain.sendEther(owner, c.getAddress(), BigDecimal.TEN);
            asOwner.token().mint(c.getAddress(), Tokens.parse("1000")).send();
            MarketContracts asProver = as(c);
            asProver.token().approve(d.registry(), Tokens.parse("1000")).send();
            asProver.registry().register("test://" + i, new byte[32]).send();
            asProver.registry().bond(Tokens.parse("1000")).send();
            provers.add(c);
        }
        image = DigitsDataset.load(HOME.resolve("data/digits.csv.gz")).get(0);
    }

    MarketContracts as(Credentials who) {
        return MarketContracts.load(chain, d, who);
    }

    List<BigInteger> fixedInputs() {
        return List.of(runtime.commitModel(model), runtime.commitImage(image.pixels()));
    }

    /** Opens a slot on the first image with p = 0.5, price 10 tokens, a 600 s window; remembers its terms. */
    BigInteger openSlot(List<BigInteger> fixed) throws Exception {
        MarketContracts asRequester = as(requester);
        asRequester.token().approve(d.market(), Tokens.parse("1000")).send();
        TransactionReceipt r = asRequester.market().openSlot(d.digitsCircuitId(), fixed, image.pixels(), Tokens.parse("10"),
                new BigInteger("500000000000000000"), BigInteger.valueOf(600)).send();
        ProcurementMarket.SlotOpenedEventResponse ev = ProcurementMarket.getSlotOpenedEvents(r).get(0);
        terms.put(ev.slotId, ev.terms);
        return ev.slotId;
    }

    /** The terms of a slot opened by {@link #openSlot}. */
    ProcurementMarket.SlotTerms terms(BigInteger slotId) {
        return terms.get(slotId);
    }

    DigitsProof proveFor(BigInteger slotId, Credentials prover) {
        return runtime.proveDigits(pk, model, image.pixels(), Binding.of(chain.chainId(), d.market(), slotId, prover.getAddress()));
    }

    TransactionReceipt submit(Credentials from, BigInteger slotId, BigInteger output, DigitsProof proof) throws Exception {
        return as(from).market().submitProof(slotId, terms(slotId), List.of(output), Arrays.asList(proof.proof())).send();
    }

    @Override
    public void close() {
        pk.close();
        chain.close();
        anvil.close();
    }
}
