package io.procura.chain;

import io.procura.contracts.generated.ProcurementMarket;
import java.math.BigInteger;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Draws and cancels slots ({@code ProcurementMarket.draw} / {@code cancel}), as agents and keepers do.
 *
 * <p>A slot opened in block {@code b} names a draw block {@code d = b + drawDelay}; {@code draw} runs in a
 * block {@code B} with {@code d < B <= d + 256} (the hash of block {@code d} must exist and still be
 * readable), {@code cancel} from block {@code d + 257} on if nobody drew. Anybody may draw; when several
 * parties try at once one wins and the others find the slot drawn, which is normal, not an error: both
 * methods here read the slot's state before and, after a revert, again, and report what happened.
 */
public final class SlotDraws {
    /** Blocks whose hash the EVM's {@code BLOCKHASH} can still read (the market's {@code BLOCKHASH_HORIZON}). */
    public static final long BLOCKHASH_HORIZON = 256;

    /** What a draw or cancel attempt found or did. */
    public enum Result {
        /** this call drew the designate ({@code SlotDrawn}) */
        DRAWN,
        /** this call's draw found no candidate able to lock its bond: the market cancelled the slot (refund) */
        NO_CANDIDATE,
        /** this call cancelled the slot nobody drew in time (refund) */
        CANCELLED,
        /** somebody else drew the slot first */
        ALREADY_DRAWN,
        /** the slot was already cancelled (or settled) */
        ALREADY_ENDED,
        /** the draw block does not exist yet (draw), or the slot is still drawable (cancel) */
        TOO_EARLY,
        /** the draw block's hash is out of reach: the slot can only be cancelled */
        EXPIRED
    }

    private SlotDraws() {}

    /**
     * Whether a transaction sent now lands in a block that may draw: the next block {@code latest + 1}
     * is in {@code (drawBlock, drawBlock + 256]}.
     *
     * @param drawBlock the slot's draw block ({@code SlotOpened.drawBlock})
     * @param latest    the latest block number
     * @return true when {@code drawBlock <= latest < drawBlock + 256}
     */
    public static boolean drawable(BigInteger drawBlock, BigInteger latest) {
        return latest.compareTo(drawBlock) >= 0 && latest.compareTo(drawBlock.add(BigInteger.valueOf(BLOCKHASH_HORIZON))) < 0;
    }

    /**
     * Whether a transaction sent now lands in a block that may cancel an undrawn slot: the next block
     * {@code latest + 1} is at least {@code drawBlock + 257}.
     *
     * @param drawBlock the slot's draw block
     * @param latest    the latest block number
     * @return true when {@code latest >= drawBlock + 256}
     */
    public static boolean cancellable(BigInteger drawBlock, BigInteger latest) {
        return latest.compareTo(drawBlock.add(BigInteger.valueOf(BLOCKHASH_HORIZON))) >= 0;
    }

    /**
     * Draws a slot's designate unless it is drawn or ended already or not drawable now.
     *
     * @param chain     the chain (for the block number)
     * @param market    the market, loaded with the key that pays for the draw
     * @param slotId    the slot
     * @param opened    the slot's {@code SlotOpened} terms
     * @param drawBlock the slot's draw block
     * @return what happened
     * @throws ChainException if the call fails for another reason than a concurrent draw or cancel
     */
    public static Result draw(ChainClient chain, ProcurementMarket market, BigInteger slotId, ProcurementMarket.SlotTerms opened,
                              BigInteger drawBlock) {
        Result before = ended(market, slotId);
        if (before != null) return before;
        BigInteger latest = chain.blockNumber();
        if (latest.compareTo(drawBlock) < 0) return Result.TOO_EARLY;
        if (!drawable(drawBlock, latest)) return Result.EXPIRED;
        try {
            TransactionReceipt r = market.draw(slotId, opened).send();
            return ProcurementMarket.getSlotDrawnEvents(r).isEmpty() ? Result.NO_CANDIDATE : Result.DRAWN;
        } catch (Exception e) {
            Result after = ended(market, slotId);
            if (after != null) return after;
            throw new ChainException("draw of slot " + slotId + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Cancels a slot nobody drew while its draw block's hash was readable (its escrow is credited back to
     * the requester), unless it is drawn or ended already or not cancellable yet.
     *
     * @param chain     the chain (for the block number)
     * @param market    the market, loaded with the key that pays for the call
     * @param slotId    the slot
     * @param opened    the slot's {@code SlotOpened} terms
     * @param drawBlock the slot's draw block
     * @return what happened
     * @throws ChainException if the call fails for another reason than a concurrent draw or cancel
     */
    public static Result cancel(ChainClient chain, ProcurementMarket market, BigInteger slotId, ProcurementMarket.SlotTerms opened,
                                BigInteger drawBlock) {
        Result before = ended(market, slotId);
        if (before != null) return before;
        if (!cancellable(drawBlock, chain.blockNumber())) return Result.TOO_EARLY;
        try {
            market.cancel(slotId, opened).send();
            return Result.CANCELLED;
        } catch (Exception e) {
            Result after = ended(market, slotId);
            if (after != null) return after;
            throw new ChainException("cancel of slot " + slotId + " failed: " + e.getMessage(), e);
        }
    }

    /** ALREADY_DRAWN / ALREADY_ENDED from the slot's state, or null while it waits for a draw. */
    private static Result ended(ProcurementMarket market, BigInteger slotId) {
        ProcurementMarket.SlotState s;
        try {
            s = market.slotState(slotId).send();
        } catch (Exception e) {
            throw new ChainException("reading the state of slot " + slotId + " failed: " + e.getMessage(), e);
        }
        if (s.drawn) return Result.ALREADY_DRAWN;
        if (s.settled) return Result.ALREADY_ENDED;
        return null;
    }
}
