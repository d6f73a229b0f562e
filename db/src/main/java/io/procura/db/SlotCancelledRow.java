package io.procura.db;

import java.math.BigInteger;

/**
 * The fields of a {@code SlotCancelled} event: the slot ended before a designate was drawn and its
 * escrow was credited back to the requester (nothing locked, nothing slashed).
 *
 * @param txHash      transaction hash, 0x hex 32 bytes
 * @param logIndex    log index of the event, &gt;= 0
 * @param blockNumber block the slot was cancelled in
 * @param slotId      slot id (uint256)
 * @param noCandidate true when the draw found no eligible prover able to lock its bond; false when nobody
 *                    drew the slot while its draw block's hash was readable
 * @param refunded    escrow credited back to the requester, ERC-20 base units (uint256)
 */
public record SlotCancelledRow(String txHash, int logIndex, long blockNumber, BigInteger slotId, boolean noCandidate,
                               BigInteger refunded) {

    /**
     * Validates and normalises the fields.
     *
     * @throws StoreException if a field is malformed or out of range
     */
    public SlotCancelledRow {
        txHash = Values.hash32("txHash", txHash);
        Values.nonNegative("logIndex", logIndex);
        Values.nonNegative("blockNumber", blockNumber);
        Values.uint256("slotId", slotId);
        Values.uint256("refunded", refunded);
    }
}
