package io.procura.chain;

import io.procura.contracts.generated.ProcurementMarket;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/**
 * Reads one slot's events back from the chain. The market stores only the hash of a slot's terms,
 * so whoever draws, settles or cancels a slot, submits a proof or credits a committee share passes the
 * terms back to the contract: until the draw, the terms of its {@code SlotOpened} event; from the draw
 * on, the same terms with {@code designate} and {@code seed} replaced by those of its {@code SlotDrawn}
 * event ({@link #withDraw}).
 */
public final class SlotLogs {
    private static final String SLOT_OPENED = EventEncoder.encode(ProcurementMarket.SLOTOPENED_EVENT);
    private static final String SLOT_DRAWN = EventEncoder.encode(ProcurementMarket.SLOTDRAWN_EVENT);
    private static final String SLOT_CANCELLED = EventEncoder.encode(ProcurementMarket.SLOTCANCELLED_EVENT);
    private static final String PROOF_SUBMITTED = EventEncoder.encode(ProcurementMarket.PROOFSUBMITTED_EVENT);

    private SlotLogs() {}

    /**
     * A slot as its events tell it: opened, then either drawn or cancelled (or neither yet).
     *
     * @param opened    its {@code SlotOpened} event
     * @param drawn     its {@code SlotDrawn} event, or {@code null} while no designate is drawn
     * @param cancelled its {@code SlotCancelled} event, or {@code null} unless it was cancelled before a draw
     */
    public record Slot(ProcurementMarket.SlotOpenedEventResponse opened, ProcurementMarket.SlotDrawnEventResponse drawn,
                       ProcurementMarket.SlotCancelledEventResponse cancelled) {
        /** @return the slot id */
        public BigInteger slotId() {
            return opened.slotId;
        }

        /** @return whether a designate was drawn */
        public boolean isDrawn() {
            return drawn != null;
        }

        /** @return whether the slot was cancelled before a draw (escrow refunded) */
        public boolean isCancelled() {
            return cancelled != null;
        }

        /** @return the block whose hash draws the designate; {@code draw} may run from the next block */
        public BigInteger drawBlock() {
            return opened.drawBlock;
        }

        /** @return the terms {@code draw} and {@code cancel} take (those of {@code SlotOpened}) */
        public ProcurementMarket.SlotTerms openedTerms() {
            return opened.terms;
        }

        /**
         * @return the terms {@code submitProof}, {@code settle} and {@code creditCommittee} take: the
         *     {@code SlotOpened} terms with the drawn designate and seed
         * @throws ChainException if the slot was not drawn
         */
        public ProcurementMarket.SlotTerms drawnTerms() {
            if (drawn == null) throw new ChainException("slot " + opened.slotId + " has no designate yet (not drawn)");
            return withDraw(opened.terms, drawn.designate, drawn.seed);
        }

        /**
         * @return the last unix second (inclusive) at which proofs are accepted
         * @throws ChainException if the slot was not drawn (the prove window starts at the draw)
         */
        public long deadline() {
            if (drawn == null) throw new ChainException("slot " + opened.slotId + " has no deadline yet (not drawn)");
            return drawn.deadline.longValueExact();
        }
    }

    /**
     * Reads a slot's {@code SlotOpened}, {@code SlotDrawn} and {@code SlotCancelled} events (one
     * {@code eth_getLogs} call).
     *
     * @param chain     the chain
     * @param market    the market address
     * @param slotId    the slot
     * @param fromBlock first block to search (the block the slot was opened in, or the deployment block)
     * @return the slot's events
     * @throws ChainException if the RPC call fails or the slot has no {@code SlotOpened} event from that block
     */
    public static Slot read(ChainClient chain, String market, BigInteger slotId, BigInteger fromBlock) {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(fromBlock), DefaultBlockParameterName.LATEST, market);
        filter.addOptionalTopics(SLOT_OPENED, SLOT_DRAWN, SLOT_CANCELLED);
        filter.addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(slotId, 64));
        ProcurementMarket.SlotOpenedEventResponse opened = null;
        ProcurementMarket.SlotDrawnEventResponse drawn = null;
        ProcurementMarket.SlotCancelledEventResponse cancelled = null;
        for (Log log : chain.logs(filter, "slot " + slotId)) {
            String topic = log.getTopics().get(0);
            if (SLOT_OPENED.equals(topic) && opened == null) {
                opened = ProcurementMarket.getSlotOpenedEventFromLog(log);
            } else if (SLOT_DRAWN.equals(topic) && drawn == null) {
                drawn = ProcurementMarket.getSlotDrawnEventFromLog(log);
            } else if (SLOT_CANCELLED.equals(topic) && cancelled == null) {
                cancelled = ProcurementMarket.getSlotCancelledEventFromLog(log);
            }
        }
        if (opened == null) {
            throw new ChainException("no SlotOpened event for slot " + slotId + " of market " + market + " from block " + fromBlock);
        }
        return new Slot(opened, drawn, cancelled);
    }

    /**
     * The {@code SlotOpened} event of a slot.
     *
     * @param chain     the chain
     * @param market    the market address
     * @param slotId    the slot
     * @param fromBlock first block to search (the block the slot was opened in, or the deployment block)
     * @return the event, whose {@code terms} {@code draw} and {@code cancel} take
     * @throws ChainException if the RPC call fails or no such event exists
     */
    public static ProcurementMarket.SlotOpenedEventResponse opened(ChainClient chain, String market, BigInteger slotId,
                                                                  BigInteger fromBlock) {
        return read(chain, market, slotId, fromBlock).opened();
    }

    /**
     * The terms of a drawn slot: its {@code SlotOpened} terms with {@code designate} and {@code seed}
     * replaced by those of its {@code SlotDrawn} event (what the market hashes after {@code draw}).
     *
     * @param opened    the {@code SlotOpened} terms (designate zero, seed zero)
     * @param designate the drawn designate (0x address)
     * @param seed      the drawn seed (32 bytes)
     * @return a new terms object; {@code opened} is not changed
     */
    public static ProcurementMarket.SlotTerms withDraw(ProcurementMarket.SlotTerms opened, String designate, byte[] seed) {
        return new ProcurementMarket.SlotTerms(opened.requester, designate, opened.circuitId, opened.verifier,
                opened.selector, opened.numOutputs, opened.eligibleCount, opened.snapshot, opened.mixingProbability,
                opened.proofPrice, opened.escrow, opened.committeePrize, opened.bondAtRisk, opened.keeperFee,
                opened.payloadHash, seed, opened.fixedInputs);
    }

    /**
     * The committee members that delivered a valid proof for a slot, in delivery order.
     *
     * @param chain     the chain
     * @param market    the market address
     * @param slotId    the slot
     * @param fromBlock first block to search (the block the slot was opened in)
     * @return the deliverers' addresses, lowercase 0x hex, without the designate
     * @throws ChainException if the RPC call fails
     */
    public static List<String> committeeDeliverers(ChainClient chain, String market, BigInteger slotId, BigInteger fromBlock) {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(fromBlock), DefaultBlockParameterName.LATEST, market);
        filter.addSingleTopic(PROOF_SUBMITTED);
        filter.addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(slotId, 64));
        Set<String> out = new LinkedHashSet<>();
        for (Log log : chain.logs(filter, "slot " + slotId)) {
            ProcurementMarket.ProofSubmittedEventResponse ev = ProcurementMarket.getProofSubmittedEventFromLog(log);
            if (!ev.designate) out.add(ev.prover.toLowerCase());
        }
        return new ArrayList<>(out);
    }
}
