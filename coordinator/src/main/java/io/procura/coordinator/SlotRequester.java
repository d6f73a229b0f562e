package io.procura.coordinator;

import io.procura.chain.ChainClient;
import io.procura.chain.ChainException;
import io.procura.chain.Deployment;
import io.procura.chain.MarketContracts;
import io.procura.contracts.generated.ProcurementMarket;
import java.math.BigInteger;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Opens slots on behalf of a requester key (docs/DESIGN.md §1 step 2): approves the escrow and calls
 * {@code openSlot} with the quoted mixing probability. The market derives {@code T} and {@code Q}
 * on chain from {@code p} and {@code n}, so a requester can never under-pay a committee; it escrows
 * exactly {@code T * proofPrice} and refuses to open when that is above the requester's
 * {@code maxEscrow} (a prover set that grew between the quote and the transaction).
 *
 * <p>{@code openSlot} does not draw the designate: the slot names a later block whose hash draws it
 * ({@code drawBlock}), and anybody (agents, the keeper) calls {@code draw} once that block exists. The
 * prove window starts at the draw.
 */
public final class SlotRequester {
    /** Default headroom of {@code maxEscrow} over the quoted escrow, basis points (1%). */
    public static final int DEFAULT_ESCROW_MARGIN_BPS = 100;

    private final MarketContracts contracts;
    private final Deployment deployment;

    /**
     * A slot the market opened (its designate is drawn later).
     *
     * @param slotId      the new slot's id
     * @param escrow      tokens escrowed, base units
     * @param proveWindow seconds from the draw to the deadline
     * @param drawBlock   the block whose hash draws the designate; {@code draw} may run from the next block
     * @param openBlock   the block the slot was opened in
     * @param gasUsed     gas used by {@code openSlot}
     */
    public record OpenedSlot(BigInteger slotId, BigInteger escrow, long proveWindow, BigInteger drawBlock,
                             BigInteger openBlock, BigInteger gasUsed) {}

    /**
     * @param chain      the chain
     * @param deployment the marketplace
     * @param requester  the requester's key (holds the tokens for the escrow)
     */
    public SlotRequester(ChainClient chain, Deployment deployment, Credentials requester) {
        this.contracts = MarketContracts.load(chain, deployment, requester);
        this.deployment = deployment;
    }

    /**
     * Approves and opens a slot with {@code maxEscrow} = the quoted escrow plus
     * {@link #DEFAULT_ESCROW_MARGIN_BPS}.
     *
     * @param circuitId   the circuit
     * @param fixedInputs the circuit's fixed public inputs (BN254 scalars)
     * @param payload     the slot's input payload (for the digits circuit: 64 pixel bytes)
     * @param quote       the quoted terms (mixing probability, proof price and escrow are used)
     * @param proveWindow seconds from the draw to the deadline, within the circuit's terms
     * @return the opened slot
     * @throws ChainException if approval or opening fails (e.g. the escrow rose above the margin)
     */
    public OpenedSlot open(BigInteger circuitId, List<BigInteger> fixedInputs, byte[] payload, Quote quote, long proveWindow) {
        return open(circuitId, fixedInputs, payload, quote, proveWindow, defaultMaxEscrow(quote));
    }

    /**
     * The quoted escrow plus {@link #DEFAULT_ESCROW_MARGIN_BPS}, token base units.
     *
     * @param quote the quote
     * @return the {@code maxEscrow} {@link #open(BigInteger, List, byte[], Quote, long)} uses
     */
    public static BigInteger defaultMaxEscrow(Quote quote) {
        return quote.escrow().multiply(BigInteger.valueOf(10_000L + DEFAULT_ESCROW_MARGIN_BPS))
                .divide(BigInteger.valueOf(10_000));
    }

    /**
     * Approves {@code maxEscrow} and opens a slot; the market escrows exactly {@code T * proofPrice}.
     *
     * @param circuitId   the circuit
     * @param fixedInputs the circuit's fixed public inputs (BN254 scalars)
     * @param payload     the slot's input payload (for the digits circuit: 64 pixel bytes)
     * @param quote       the quoted terms (mixing probability and proof price are used)
     * @param proveWindow seconds from the draw to the deadline, within the circuit's terms
     * @param maxEscrow   the most the requester agrees to escrow, token base units
     * @return the opened slot
     * @throws ChainException if approval or opening fails ({@code Market_EscrowAboveMax} among others)
     */
    public OpenedSlot open(BigInteger circuitId, List<BigInteger> fixedInputs, byte[] payload, Quote quote, long proveWindow,
                           BigInteger maxEscrow) {
        return open(circuitId, fixedInputs, payload, quote, proveWindow, maxEscrow, false);
    }

    /**
     * Approves {@code maxEscrow} and opens a slot, optionally one that keeps its result on chain
     * ({@code ProcurementMarket.resultOf}: the outputs hash of the first accepted proof, readable by contracts).
     *
     * @param circuitId   the circuit
     * @param fixedInputs the circuit's fixed public inputs (BN254 scalars)
     * @param payload     the slot's input payload
     * @param quote       the quoted terms (mixing probability and proof price are used)
     * @param proveWindow seconds from the draw to the deadline, within the circuit's terms
     * @param maxEscrow   the most the requester agrees to escrow, token base units
     * @param keepResult  whether the market keeps the result (the requester pays about 22k gas more)
     * @return the opened slot
     * @throws ChainException if approval or opening fails ({@code Market_EscrowAboveMax} among others)
     */
    public OpenedSlot open(BigInteger circuitId, List<BigInteger> fixedInputs, byte[] payload, Quote quote, long proveWindow,
                           BigInteger maxEscrow, boolean keepResult) {
        try {
            contracts.token().approve(deployment.market(), maxEscrow).send();
            TransactionReceipt r = contracts.market().openSlot(circuitId, fixedInputs, payload, quote.proofPrice(),
                    quote.mixingProbabilityWad(), BigInteger.valueOf(proveWindow), maxEscrow, keepResult).send();
            ProcurementMarket.SlotOpenedEventResponse ev = ProcurementMarket.getSlotOpenedEvents(r).get(0);
            return new OpenedSlot(ev.slotId, ev.terms.escrow, ev.proveWindow.longValueExact(), ev.drawBlock,
                    r.getBlockNumber(), r.getGasUsed());
        } catch (ChainException e) {
            throw e;
        } catch (Exception e) {
            throw new ChainException("opening a slot failed: " + e.getMessage(), e);
        }
    }
}
