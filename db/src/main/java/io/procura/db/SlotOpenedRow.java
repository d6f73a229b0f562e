package io.procura.db;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The fields of a {@code SlotOpened} event (plus the payload it carries). The designate, seed and
 * deadline come later, with the slot's {@code SlotDrawn} event ({@link SlotDrawnRow}).
 *
 * @param txHash            transaction hash, 0x hex 32 bytes
 * @param logIndex          log index of the event, &gt;= 0
 * @param blockNumber       block the slot was opened in
 * @param slotId            slot id (uint256)
 * @param circuitId         circuit id (uint256)
 * @param requester         the requester, 0x address
 * @param eligibleCount     {@code n}: provers eligible for the circuit when the slot opened (the designate is
 *                          drawn among them), &gt;= 1
 * @param mixingProbability {@code p} scaled by 1e18, in [0, 1e18]
 * @param proofPrice        price of one proof, ERC-20 base units (uint256)
 * @param escrow            escrowed prize {@code T * proofPrice}, base units (uint256)
 * @param committeePrize    committee prize {@code Q}, base units (uint256)
 * @param bondAtRisk        designate bond locked for the slot at the draw {@code B}, base units (uint256)
 * @param proveWindow       seconds from the draw to the deadline, &gt;= 0 (0 for a slot indexed before
 *                          schema V2, from a market that drew inside {@code openSlot})
 * @param drawBlock         block whose hash draws the designate; {@code draw} may run from the next block
 * @param payload           input payload bytes, or {@code null} when not known; defensively copied
 * @param fixedInputs       the slot's fixed public inputs (field elements, each uint256)
 */
public record SlotOpenedRow(String txHash, int logIndex, long blockNumber, BigInteger slotId, BigInteger circuitId,
                            String requester, int eligibleCount, BigInteger mixingProbability, BigInteger proofPrice,
                            BigInteger escrow, BigInteger committeePrize, BigInteger bondAtRisk, long proveWindow,
                            long drawBlock, byte[] payload, List<BigInteger> fixedInputs) {

    /**
     * Validates and normalises the fields (addresses and hashes to lowercase).
     *
     * @throws StoreException if a field is malformed or out of range
     */
    public SlotOpenedRow {
        txHash = Values.hash32("txHash", txHash);
        Values.nonNegative("logIndex", logIndex);
        Values.nonNegative("blockNumber", blockNumber);
        Values.uint256("slotId", slotId);
        Values.uint256("circuitId", circuitId);
        requester = Values.address("requester", requester);
        if (eligibleCount < 1) {
            throw new StoreException("eligibleCount must be >= 1, got " + eligibleCount);
        }
        Values.probability("mixingProbability", mixingProbability);
        Values.uint256("proofPrice", proofPrice);
        Values.uint256("escrow", escrow);
        Values.uint256("committeePrize", committeePrize);
        Values.uint256("bondAtRisk", bondAtRisk);
        Values.nonNegative("proveWindow", proveWindow);
        Values.nonNegative("drawBlock", drawBlock);
        payload = payload == null ? null : payload.clone();
        fixedInputs = Values.uint256List("fixedInputs", fixedInputs);
    }

    /** @return a copy of the payload bytes, or {@code null} when not known */
    @Override
    public byte[] payload() {
        return payload == null ? null : payload.clone();
    }

    /** Value equality, comparing the payload by content. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SlotOpenedRow r
                && logIndex == r.logIndex && blockNumber == r.blockNumber && eligibleCount == r.eligibleCount
                && proveWindow == r.proveWindow && drawBlock == r.drawBlock && txHash.equals(r.txHash)
                && slotId.equals(r.slotId) && circuitId.equals(r.circuitId) && requester.equals(r.requester)
                && mixingProbability.equals(r.mixingProbability) && proofPrice.equals(r.proofPrice)
                && escrow.equals(r.escrow) && committeePrize.equals(r.committeePrize)
                && bondAtRisk.equals(r.bondAtRisk) && Arrays.equals(payload, r.payload)
                && fixedInputs.equals(r.fixedInputs);
    }

    /** Hash consistent with {@link #equals}. */
    @Override
    public int hashCode() {
        return Objects.hash(txHash, logIndex, blockNumber, slotId, circuitId, requester, eligibleCount,
                mixingProbability, proofPrice, escrow, committeePrize, bondAtRisk, proveWindow, drawBlock,
                Arrays.hashCode(payload), fixedInputs);
    }

    /** Readable form with the payload in hex. */
    @Override
    public String toString() {
        return "SlotOpenedRow[slotId=" + slotId + ", circuitId=" + circuitId + ", requester=" + requester
                + ", n=" + eligibleCount + ", p=" + mixingProbability
                + ", proofPrice=" + proofPrice + ", escrow=" + escrow + ", committeePrize=" + committeePrize
                + ", bondAtRisk=" + bondAtRisk + ", proveWindow=" + proveWindow + ", drawBlock=" + drawBlock
                + ", payload=" + (payload == null ? "null" : "0x" + HexFormat.of().formatHex(payload))
                + ", fixedInputs=" + fixedInputs + ", tx=" + txHash + "#" + logIndex + ", block=" + blockNumber + "]";
    }
}
