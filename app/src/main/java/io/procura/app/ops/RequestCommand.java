package io.procura.app.ops;

import io.procura.app.CircuitCommand;
import io.procura.chain.ChainClient;
import io.procura.chain.Deployment;
import io.procura.chain.Tokens;
import io.procura.coordinator.ProcuraClient;
import io.procura.coordinator.Quote;
import io.procura.coordinator.SlotRequester;
import io.procura.runtime.Circuit;
import io.procura.runtime.DigitsModel;
import io.procura.runtime.ProvingRuntime;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code procura request}: a requester's slot from the command line, on top of {@link ProcuraClient}: computes
 * the circuit's fixed inputs for the payload, quotes, opens, waits for the designate's proof (or the refund),
 * prints the outputs (and, with {@code --keep-result}, the result the market keeps on chain) and claims what the
 * market owes the requester.
 */
@Command(name = "request", mixinStandardHelpOptions = true,
        description = "Open a slot for a circuit and a payload, wait for its proof (or the refund), print the outputs, claim.")
public final class RequestCommand implements Callable<Integer> {
    @Mixin
    MarketConnection market;
    @Option(names = "--circuit", required = true,
            description = "digits, or a plug-in circuit registered in the market (`procura circuit list`)")
    String circuit;
    @Option(names = "--payload", required = true,
            description = "the payload: a binary file, or a file holding 0x-prefixed hex (digits: 64 pixel bytes)")
    Path payloadFile;
    @Option(names = "--liveness-penalty", defaultValue = "100",
            description = "C, what a missing proof costs you, in proof prices [default: ${DEFAULT-VALUE}]")
    double livenessPenalty;
    @Option(names = "--price", description = "tokens per proof [default: the circuit's minimum proof price]")
    String price;
    @Option(names = "--prove-window", defaultValue = "600", description = "seconds from the draw to the deadline [default: ${DEFAULT-VALUE}]")
    long proveWindow;
    @Option(names = "--honest-fraction", defaultValue = "0.67", description = "alpha the quote assumes [default: ${DEFAULT-VALUE}]")
    double honestFraction;
    @Option(names = "--keep-result",
            description = "have the market keep the proof's outputs hash on chain (resultOf), for contracts to read; about 22k gas more")
    boolean keepResult;
    @Option(names = "--timeout", defaultValue = "PT15M", description = "longest wait for the slot to end (ISO-8601) [default: ${DEFAULT-VALUE}]")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        byte[] payload = readPayload(payloadFile); // before the chain: a bad payload file costs no connection
        Deployment d = market.deployment();
        ProvingRuntime runtime = ProvingRuntime.nativeRuntime();
        BigInteger circuitId;
        List<BigInteger> fixed;
        if ("digits".equals(circuit)) {
            DigitsModel model = DigitsModel.load(CircuitCommand.home().resolve("data/digits-model.json"));
            circuitId = d.digitsCircuitId();
            fixed = List.of(runtime.commitModel(model), runtime.commitImage(payload));
        } else {
            Circuit c = Circuit.find(circuit).orElseThrow(() -> new IllegalArgumentException(
                    "unknown circuit " + circuit + " (see `procura circuit list`)"));
            circuitId = d.circuits().get(c.name());
            if (circuitId == null) {
                throw new IllegalArgumentException("circuit " + c.name() + " is not registered in this deployment (it has "
                        + d.circuits().keySet() + " and digits)");
            }
            if (payload.length != c.payloadBytes()) {
                throw new IllegalArgumentException(c.name() + " payloads are " + c.payloadBytes() + " bytes; "
                        + payloadFile + " has " + payload.length);
            }
            fixed = List.of(runtime.fixedInputs(c, payload));
        }
        try (ChainClient chain = ChainClient.connect(market.rpcUrl)) {
            ProcuraClient client = new ProcuraClient(chain, d, market.key.credentials(), honestFraction);
            BigInteger proofPrice = price != null ? Tokens.parse(price)
                    : io.procura.chain.MarketContracts.load(chain, d, market.key.credentials()).market()
                            .circuitTerms(circuitId).send().minProofPrice;
            Quote q = client.quote(circuitId, livenessPenalty, proofPrice);
            SlotRequester.OpenedSlot slot = client.open(q, fixed, payload, proveWindow, keepResult);
            System.out.printf("slot %s opened for circuit %s (%s): n=%d, p=%.4f, escrow %s tokens; designate drawn from block %s%n",
                    slot.slotId(), circuit, circuitId, q.eligibleProvers(), q.mixingProbability(),
                    Tokens.format(slot.escrow(), 4), slot.drawBlock());
            ProcuraClient.Result r = client.await(slot, timeout, Duration.ofMillis(500));
            switch (r.status()) {
                case PROVED -> {
                    System.out.printf("PROVED by %s: outputs %s%n", r.prover(), r.outputs());
                    if (keepResult) {
                        ProcuraClient.KeptResult kept = client.resultOf(r.slotId());
                        System.out.printf("on chain: resultOf(%s) = %s, 0x%s (%s these outputs)%n", r.slotId(), kept.status(),
                                HexFormat.of().formatHex(kept.outputsHash()), kept.matches(r.outputs()) ? "hash of" : "NOT");
                    }
                }
                case FAILED -> System.out.printf("FAILED: the designate %s did not deliver; you are refunded the escrow "
                        + "and its seized bond%n", r.prover());
                case CANCELLED -> System.out.println("CANCELLED: nobody could be drawn; your escrow is refunded");
            }
            BigInteger claimed = client.claim();
            if (claimed.signum() > 0) System.out.printf("claimed %s tokens%n", Tokens.format(claimed, 4));
            return r.status() == ProcuraClient.Status.PROVED ? 0 : 3;
        }
    }

    /** A binary payload, or 0x-prefixed hex text. */
    static byte[] readPayload(Path file) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read the payload file " + file + " (" + e.getClass().getSimpleName()
                    + ")", e);
        }
        String text = new String(raw, java.nio.charset.StandardCharsets.US_ASCII).strip();
        if (text.startsWith("0x") && text.substring(2).matches("[0-9a-fA-F]*") && text.length() % 2 == 0) {
            return HexFormat.of().parseHex(text.substring(2));
        }
        return raw;
    }
}
