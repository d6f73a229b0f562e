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
 * Opens slots on behalf of a requester key (DESIGN.md §1 step 2): approves the escrow and calls
 * {@code openSlot} with the quoted mixing probability. The market derives {@code T} and {@code Q}
 * on chain from {@code p} and {@code n}, so a requester can never under-pay a committee.
 */
public final class SlotRequester {
    private final MarketContracts contracts;
    private final Deployment deployment;

    /**
     * A slot the market opened.
     *
     * @param slotId    the new slot's id
     * @param designate the drawn designate
     * @param escrow    tokens escrowed, base units
     * @param deadline  unix seconds
     * @param gasUsed   gas used by {@code openSlot}
     */
    public record OpenedSlot(BigInteger slotId, String designate, BigInteger escrow, long deadline, BigInteger gasUsed) {}

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
     * Approves the escrow and opens a slot.
     *
     * @param circuitId   the circuit
     * @param fixedInputs the circuit's fixed public inputs (BN254 scalars)
     * @param payload     the slot's input payload (for the digits circuit: 64 pixel bytes)
     * @param quote       the quoted terms (mixing probability and proof price are used)
     * @param proveWindow seconds from opening to the deadline
     * @return the opened slot
     * @throws ChainException if approval or opening fails
     */
    public OpenedSlot open(BigInteger circuitId, List<BigInteger> fixedInputs, byte[] payload, Quote quote, long proveWindow) {
        try {
            contracts.token().approve(deployment.market(), quote.escrow()).send();
            TransactionReceipt r = contracts.market().openSlot(circuitId, fixedInputs, payload, quote.proofPrice(),
                    quote.mixingProbabilityWad(), BigInteger.valueOf(proveWindow)).send();
            ProcurementMarket.SlotOpenedEventResponse ev = ProcurementMarket.getSlotOpenedEvents(r).get(0);
            return new OpenedSlot(ev.slotId, ev.terms.designate, ev.terms.escrow, ev.deadline.longValueExact(), r.getGasUsed());
        } catch (ChainException e) {
            throw e;
        } catch (Exception e) {
            throw new ChainException("opening a slot failed: " + e.getMessage(), e);
        }
    }
}
