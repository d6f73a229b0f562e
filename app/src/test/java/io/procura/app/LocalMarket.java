package io.procura.app;

import io.procura.chain.Binding;
import io.procura.chain.ChainClient;
import io.procura.chain.Deployment;
import io.procura.chain.MarketContracts;
import io.procura.chain.SlotLogs;
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
 * Test fixture: a fresh anvil with the whole marketplace deployed (draw delay {@link #DRAW_DELAY} blocks,
 * the digits circuit's terms notice skipped), a funded requester and bonded provers opted into the digits
 * circuit, the native runtime with the bundled digits keys, and helpers to open, draw and prove slots.
 */
final class LocalMarket implements AutoCloseable {
    static final Path HOME = Path.of("..").toAbsolutePath().normalize();

    final AnvilNode anvil;
    final ChainClient chain;
    final Deployment d;
    final Credentials owner = Credentials.create(AnvilNode.DEV_KEY);
    static final int DRAW_DELAY = 2;
    final Credentials requester = Credentials.create(Keys.createEcKeyPair());
    final List<Credentials> provers = new ArrayList<>();
    final ProvingRuntime runtime = ProvingRuntime.nativeRuntime();
    final ProvingKey pk = ProvingKey.loadBundled("digits");
    final DigitsModel model;
    final DigitsImage image;
    /** Terms of slots by id: as opened until {@link #draw}, then as drawn. */
    private final java.util.Map<BigInteger, ProcurementMarket.SlotTerms> terms = new java.util.HashMap<>();
    private final java.util.Map<BigInteger, ProcurementMarket.SlotOpenedEventResponse> opened = new java.util.HashMap<>();

    /**
     * @param proverCount provers to register, bond and opt into the digits circuit (1000 tokens each; min bond
     *                    100, slot bond 50)
     */
    LocalMarket(int proverCount) throws Exception {
        anvil = AnvilNode.start(FoundryTools.anvilBinary(HOME), 31337);
        chain = ChainClient.connect(anvil.rpcUrl());
        model = DigitsModel.load(HOME.resolve("data/digits-model.json"));
        d = Deployer.deploy(chain, owner, new Deployer.Params(Tokens.parse("100"), 3600, Tokens.parse("50"), 1,
                runtime.commitModel(model), BigInteger.ZERO, DRAW_DELAY, 3600,
                new Deployer.CircuitTerms(Tokens.parse("1"), 5, 1200)));
        Deployer.skipTermsNotice(chain, d);
        MarketContracts asOwner = MarketContracts.load(chain, d, owner);
        chain.sendEther(owner, requester.getAddress(), BigDecimal.TEN);
        asOwner.token().mint(requester.getAddress(), Tokens.parse("10000")).send();
        for (int i = 0; i < proverCount; i++) {
            Credentials c = fundedKey(Tokens.parse("1000"));
            MarketContracts asProver = as(c);
            asProver.token().approve(d.registry(), Tokens.parse("1000")).send();
            asProver.registry().register("test://" + i, new byte[32]).send();
            asProver.registry().bond(Tokens.parse("1000")).send();
            asProver.registry().optIn(d.digitsCircuitId()).send();
            provers.add(c);
        }
        image = DigitsDataset.load(HOME.resolve("data/digits.csv.gz")).get(0);
    }

    /** A new key with 10 ether for gas and {@code tokens} demo tokens (base units). */
    Credentials fundedKey(BigInteger tokens) throws Exception {
        Credentials c = Credentials.create(Keys.createEcKeyPair());
        chain.sendEther(owner, c.getAddress(), BigDecimal.TEN);
        MarketContracts.load(chain, d, owner).token().mint(c.getAddress(), tokens).send();
        return c;
    }

    /**
     * An honest agent "op" for {@code key} on this market (not yet registered nor started), with the test poll
     * interval and a 2 s submit margin.
     *
     * @param key        its key
     * @param bondTokens its bond target, tokens
     * @param circuits   the circuits it opts into (null: every circuit it holds keys for)
     * @param listener   receives its slot outcomes
     */
    io.procura.agent.ProverAgent agent(Credentials key, String bondTokens, java.util.Set<BigInteger> circuits,
                                       io.procura.agent.ProverAgent.Listener listener) {
        io.procura.agent.AgentConfig cfg = new io.procura.agent.AgentConfig("op", key, "test://op", Tokens.parse(bondTokens),
                io.procura.agent.AgentConfig.FaultMode.NONE, java.time.Duration.ofSeconds(2), AnvilNode.pollInterval(), circuits);
        return new io.procura.agent.ProverAgent(cfg, chain, d, runtime, pk, model, listener);
    }

    MarketContracts as(Credentials who) {
        return MarketContracts.load(chain, d, who);
    }

    List<BigInteger> fixedInputs() {
        return List.of(runtime.commitModel(model), runtime.commitImage(image.pixels()));
    }

    /**
     * Opens a slot on the first image with p = 0.5, price 10 tokens, a 600 s window, and draws its designate
     * ({@link #draw}); remembers its terms.
     */
    BigInteger openSlot(List<BigInteger> fixed) throws Exception {
        BigInteger slotId = openUndrawn(fixed);
        draw(slotId);
        return slotId;
    }

    /** Opens a slot like {@link #openSlot} without drawing it; remembers its opened terms. */
    BigInteger openUndrawn(List<BigInteger> fixed) throws Exception {
        return openUndrawn(d.digitsCircuitId(), fixed, image.pixels());
    }

    /** Opens a slot of any circuit (p = 0.5, price 10 tokens, a 600 s window) without drawing it. */
    BigInteger openUndrawn(BigInteger circuitId, List<BigInteger> fixed, byte[] payload) throws Exception {
        MarketContracts asRequester = as(requester);
        asRequester.token().approve(d.market(), Tokens.parse("1000")).send();
        TransactionReceipt r = asRequester.market().openSlot(circuitId, fixed, payload, Tokens.parse("10"),
                new BigInteger("500000000000000000"), BigInteger.valueOf(600), Tokens.parse("1000"), false).send();
        ProcurementMarket.SlotOpenedEventResponse ev = ProcurementMarket.getSlotOpenedEvents(r).get(0);
        terms.put(ev.slotId, ev.terms);
        opened.put(ev.slotId, ev);
        return ev.slotId;
    }

    /**
     * Mines up to the slot's draw block and draws it (as the owner), or takes the draw an agent made first; from now on
     * {@link #terms} are the drawn terms.
     */
    ProcurementMarket.SlotDrawnEventResponse draw(BigInteger slotId) throws Exception {
        ProcurementMarket.SlotOpenedEventResponse ev = opened.get(slotId);
        long missing = ev.drawBlock.subtract(chain.blockNumber()).longValueExact();
        if (missing > 0) chain.mine(missing);
        ProcurementMarket.SlotDrawnEventResponse drawn;
        try {
            TransactionReceipt r = as(owner).market().draw(slotId, ev.terms).send();
            drawn = ProcurementMarket.getSlotDrawnEvents(r).get(0);
        } catch (org.web3j.protocol.exceptions.TransactionException e) {
            // an agent watching the market may draw first (anybody may): take its draw
            drawn = SlotLogs.read(chain, d.market(), slotId, d.deployBlock()).drawn();
            if (drawn == null) throw e;
        }
        terms.put(slotId, SlotLogs.withDraw(ev.terms, drawn.designate, drawn.seed));
        return drawn;
    }

    /** The opening event of a slot opened here. */
    ProcurementMarket.SlotOpenedEventResponse opened(BigInteger slotId) {
        return opened.get(slotId);
    }

    /** The terms of a slot opened here: as opened until it is drawn here, then as drawn. */
    ProcurementMarket.SlotTerms terms(BigInteger slotId) {
        return terms.get(slotId);
    }

    DigitsProof proveFor(BigInteger slotId, Credentials prover) {
        return runtime.proveDigits(pk, model, image.pixels(), Binding.of(chain.chainId(), d.market(), slotId, prover.getAddress()));
    }

    /** Two settled slots: {@code proven} by its designate, {@code silent} whose designate never proved (bond slashed). */
    record ProvenAndSilent(BigInteger proven, BigInteger silent, BigInteger silentBond) {}

    /**
     * Opens two drawn slots, has the first one's designate prove it, leaves the second one's silent, moves anvil's
     * clock past both deadlines and lets the coordinator index them and its keeper settle both.
     */
    ProvenAndSilent provenAndSilent(io.procura.coordinator.Coordinator coordinator) throws Exception {
        BigInteger proven = openSlot(fixedInputs());
        String designate = terms(proven).designate;
        Credentials prover = provers.stream().filter(c -> c.getAddress().equalsIgnoreCase(designate)).findFirst()
                .orElseThrow();
        DigitsProof proof = proveFor(proven, prover);
        submit(prover, proven, BigInteger.valueOf(proof.predictedClass()), proof);
        BigInteger silent = openSlot(fixedInputs());
        BigInteger bond = terms(silent).bondAtRisk;
        chain.increaseTime(601);
        coordinator.syncNow();
        coordinator.syncNow();
        return new ProvenAndSilent(proven, silent, bond);
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
