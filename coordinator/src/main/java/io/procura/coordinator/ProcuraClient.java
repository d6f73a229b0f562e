package io.procura.coordinator;

import io.procura.chain.ChainClient;
import io.procura.chain.ChainException;
import io.procura.chain.Deployment;
import io.procura.chain.MarketContracts;
import io.procura.chain.SlotDraws;
import io.procura.chain.SlotLogs;
import io.procura.contracts.generated.ProcurementMarket;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/**
 * What a requester (a protocol that needs proofs) calls: quote a slot of a circuit, open it with its payload,
 * draw it when nobody else does, wait for the designate's accepted proof (its public outputs) or for the
 * refund, and claim what the market owes it. Everything is read from and sent to the chain; no coordinator
 * is needed (one, if running, draws and settles too).
 *
 * <p>The fixed public inputs of a slot are the requester's to compute (for a plug-in circuit,
 * {@code ProvingRuntime.fixedInputs(circuit, payload)}; for the digits circuit the model and image
 * commitments): the market's payload checker refuses a slot whose fixed inputs do not match its payload.
 */
public final class ProcuraClient {
    private static final String PROOF_SUBMITTED = EventEncoder.encode(ProcurementMarket.PROOFSUBMITTED_EVENT);
    private static final String SLOT_SETTLED = EventEncoder.encode(ProcurementMarket.SLOTSETTLED_EVENT);

    private final ChainClient chain;
    private final Deployment deployment;
    private final MarketContracts contracts;
    private final String address;
    private final QuoteService quotes;
    private final SlotRequester requester;

    /**
     * How a slot ended for its requester.
     *
     * @param slotId   the slot
     * @param status   {@code PROVED}: the designate's proof was accepted; {@code FAILED}: the designate did not
     *                 deliver and the slot settled (the requester is refunded its escrow and the seized bond);
     *                 {@code CANCELLED}: nobody could be drawn (escrow refunded)
     * @param outputs  the public outputs of the accepted designate proof (empty unless {@code PROVED})
     * @param prover   the designate's address ({@code null} when cancelled)
     */
    public record Result(BigInteger slotId, Status status, List<BigInteger> outputs, String prover) {}

    /** How a slot ended. */
    public enum Status { PROVED, FAILED, CANCELLED }

    /**
     * The market's kept result of a slot ({@code ProcurementMarket.resultOf}, Solidity {@code ResultStatus}).
     * {@code NOT_KEPT}: opened without keeping its result; {@code PENDING}: no proof accepted yet, one may still
     * come; {@code DELIVERED}: {@code outputsHash} is the first accepted proof's; {@code FAILED}: no proof was
     * accepted and none can be any more.
     */
    public enum ResultStatus { NOT_KEPT, PENDING, DELIVERED, FAILED }

    /**
     * A slot's result as the market keeps it on chain.
     *
     * @param status      see {@link ResultStatus}
     * @param outputsHash {@code keccak256(abi.encodePacked(outputs))} of the first accepted proof (32 bytes; all zero
     *                    unless {@code DELIVERED})
     */
    public record KeptResult(ResultStatus status, byte[] outputsHash) {
        /**
         * @param outputs claimed public outputs, in the circuit's order
         * @return whether the market delivered exactly these outputs
         */
        public boolean matches(List<BigInteger> outputs) {
            return status == ResultStatus.DELIVERED && java.util.Arrays.equals(outputsHash, ProcuraClient.outputsHash(outputs));
        }
    }

    /**
     * @param chain          the chain
     * @param deployment     the marketplace
     * @param requester      the requester's key (holds tokens for the escrow and ether for gas)
     * @param honestFraction {@code alpha = h / n} the quotes assume, in (0, 1]
     */
    public ProcuraClient(ChainClient chain, Deployment deployment, Credentials requester, double honestFraction) {
        this.chain = Objects.requireNonNull(chain, "chain");
        this.deployment = Objects.requireNonNull(deployment, "deployment");
        this.contracts = MarketContracts.load(chain, deployment, requester);
        this.address = requester.getAddress();
        this.quotes = new QuoteService(chain, deployment, honestFraction);
        this.requester = new SlotRequester(chain, deployment, requester);
    }

    /**
     * Quotes a slot: the optimal mixing probability for the circuit's eligible set and the escrow.
     *
     * @param circuitId       the circuit's id in the market
     * @param livenessPenalty {@code C} in proof-cost units, {@code >= 1}
     * @param proofPrice      tokens per proof, base units, at least the circuit's {@code minProofPrice}
     * @return the quote
     * @throws IllegalArgumentException for arguments out of range
     * @throws ChainException if the chain cannot be read or no prover is eligible
     */
    public Quote quote(BigInteger circuitId, double livenessPenalty, BigInteger proofPrice) {
        return quotes.quote(circuitId, livenessPenalty, proofPrice);
    }

    /**
     * Approves and opens a slot ({@code maxEscrow} = the quoted escrow plus 1%).
     *
     * @param quote       a quote for the circuit
     * @param fixedInputs the circuit's fixed public inputs for this payload
     * @param payload     the payload the provers prove about
     * @param proveWindow seconds from the draw to the deadline, within the circuit's terms
     * @return the opened slot (its designate is drawn {@code drawDelay} blocks later)
     * @throws ChainException if the market refuses it (for example an unprovable slot, terms outside the circuit's)
     */
    public SlotRequester.OpenedSlot open(Quote quote, List<BigInteger> fixedInputs, byte[] payload, long proveWindow) {
        return open(quote, fixedInputs, payload, proveWindow, false);
    }

    /**
     * Approves and opens a slot ({@code maxEscrow} = the quoted escrow plus 1%), optionally keeping its result on
     * chain for contracts to read ({@link #resultOf}).
     *
     * @param quote       a quote for the circuit
     * @param fixedInputs the circuit's fixed public inputs for this payload
     * @param payload     the payload the provers prove about
     * @param proveWindow seconds from the draw to the deadline, within the circuit's terms
     * @param keepResult  whether the market keeps the outputs hash of the first accepted proof (about 22k gas more)
     * @return the opened slot (its designate is drawn {@code drawDelay} blocks later)
     * @throws ChainException if the market refuses it (for example an unprovable slot, terms outside the circuit's)
     */
    public SlotRequester.OpenedSlot open(Quote quote, List<BigInteger> fixedInputs, byte[] payload, long proveWindow,
                                         boolean keepResult) {
        return requester.open(quote.circuitId(), fixedInputs, payload, quote, proveWindow,
                SlotRequester.defaultMaxEscrow(quote), keepResult);
    }

    /**
     * Reads the result the market keeps for a slot ({@code ProcurementMarket.resultOf}).
     *
     * @param slotId the slot
     * @return its kept result
     * @throws ChainException if the chain cannot be read or the slot does not exist ({@code Market_UnknownSlot})
     */
    public KeptResult resultOf(BigInteger slotId) {
        try {
            var r = contracts.market().resultOf(slotId).send();
            return new KeptResult(ResultStatus.values()[r.component1().intValueExact()], r.component2());
        } catch (Exception e) {
            throw new ChainException("reading the result of slot " + slotId + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The hash the market keeps for a proof's outputs: {@code keccak256(abi.encodePacked(outputs))}, each output a
     * 32-byte big-endian word (Solidity {@code IResultMarket}).
     *
     * @param outputs public outputs (BN254 scalars), in the circuit's order
     * @return the 32-byte hash
     */
    public static byte[] outputsHash(List<BigInteger> outputs) {
        byte[] packed = new byte[32 * outputs.size()];
        for (int k = 0; k < outputs.size(); k++) {
            byte[] word = Numeric.toBytesPadded(outputs.get(k), 32);
            System.arraycopy(word, 0, packed, 32 * k, 32);
        }
        return org.web3j.crypto.Hash.sha3(packed);
    }

    /**
     * Waits until the slot ends for the requester: the designate's proof is accepted, the slot settles without it,
     * or it is cancelled. Draws the slot itself once its draw block exists if nobody has (agents and keepers
     * usually do), and cancels it once the draw block's hash is out of reach.
     *
     * @param slot    the opened slot
     * @param timeout the longest to wait
     * @param poll    how often to read the chain
     * @return how the slot ended
     * @throws ChainException if the chain cannot be read, or the slot has not ended within {@code timeout}
     * @throws InterruptedException if interrupted while waiting
     */
    public Result await(SlotRequester.OpenedSlot slot, Duration timeout, Duration poll) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        BigInteger slotId = slot.slotId();
        ProcurementMarket.SlotTerms opened = SlotLogs.opened(chain, deployment.market(), slotId, slot.openBlock()).terms;
        while (true) {
            SlotLogs.Slot s = SlotLogs.read(chain, deployment.market(), slotId, slot.openBlock());
            if (s.isCancelled()) return new Result(slotId, Status.CANCELLED, List.of(), null);
            if (!s.isDrawn()) {
                BigInteger latest = chain.blockNumber();
                if (SlotDraws.cancellable(slot.drawBlock(), latest)) {
                    SlotDraws.cancel(chain, contracts.market(), slotId, opened, slot.drawBlock());
                } else if (latest.compareTo(slot.drawBlock()) >= 0) {
                    SlotDraws.draw(chain, contracts.market(), slotId, opened, slot.drawBlock());
                }
            } else {
                String designate = s.drawn().designate;
                List<BigInteger> outputs = designateOutputs(slotId, designate, slot.openBlock());
                if (outputs != null) return new Result(slotId, Status.PROVED, outputs, designate);
                if (settled(slotId, slot.openBlock())) return new Result(slotId, Status.FAILED, List.of(), designate);
            }
            if (System.nanoTime() > until) {
                throw new ChainException("slot " + slotId + " has not ended after " + timeout.toSeconds() + " s");
            }
            Thread.sleep(poll.toMillis());
        }
    }

    /** The outputs of the designate's accepted proof of the slot, or null while there is none. */
    private List<BigInteger> designateOutputs(BigInteger slotId, String designate, BigInteger fromBlock) {
        for (Log log : logs(PROOF_SUBMITTED, slotId, fromBlock)) {
            ProcurementMarket.ProofSubmittedEventResponse ev = ProcurementMarket.getProofSubmittedEventFromLog(log);
            if (ev.designate && ev.prover.equalsIgnoreCase(designate)) return List.copyOf(ev.outputs);
        }
        return null;
    }

    private boolean settled(BigInteger slotId, BigInteger fromBlock) {
        return !logs(SLOT_SETTLED, slotId, fromBlock).isEmpty();
    }

    private List<Log> logs(String topic, BigInteger slotId, BigInteger fromBlock) {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(fromBlock), DefaultBlockParameterName.LATEST,
                deployment.market());
        filter.addSingleTopic(topic);
        filter.addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(slotId, 64));
        return chain.logs(filter, "slot " + slotId);
    }

    /**
     * Claims everything the market owes the requester (refunds of failed or cancelled slots, rounding dust).
     *
     * @return the amount claimed, token base units (zero when nothing was owed)
     * @throws ChainException if the claim fails
     */
    public BigInteger claim() {
        try {
            BigInteger owed = contracts.market().claimable(address).send();
            if (owed.signum() > 0) contracts.market().claim().send();
            return owed;
        } catch (Exception e) {
            throw new ChainException("claiming failed: " + e.getMessage(), e);
        }
    }
}
