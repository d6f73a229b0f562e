package io.procura.db;

import java.math.BigInteger;

/**
 * The fields of a {@code SlotSettled} event.
 *
 * @param txHash              transaction hash, 0x hex 32 bytes
 * @param logIndex            log index of the event, &gt;= 0
 * @param blockNumber         block the slot was settled in
 * @param slotId              slot id (uint256)
 * @param designateDelivered  whether the designate delivered a valid proof in time
 * @param committeeDeliveries number of committee members that delivered, &gt;= 0
 * @param designatePayout     amount credited to the designate, ERC-20 base units (uint256)
 * @param committeePayoutEach amount credited to each delivering committee member, base units (uint256)
 * @param refunded            amount refunded to the requester, base units (uint256)
 * @param slashed             designate bond slashed, base units (uint256)
 */
public record SlotSettledRow(String txHash, int logIndex, long blockNumber, BigInteger slotId,
                             boolean designateDelivered, int committeeDeliveries, BigInteger designatePayout,
                             BigInteger committeePayoutEach, BigInteger refunded, BigInteger slashed) {

    /**
     * Validates and normalises the fields (addresses and hashes to lowercase).
     *
     * @throws StoreException if a field is malformed or out of range
     */
    public SlotSettledRow {
        txHash = Values.hash32("txHash", txHash);
        Values.nonNegative("logIndex", logIndex);
        Values.nonNegative("blockNumber", blockNumber);
        Values.uint256("slotId", slotId);
        Values.nonNegative("committeeDeliveries", committeeDeliveries);
        Values.uint256("designatePayout", designatePayout);
        Values.uint256("committeePayoutEach", committeePayoutEach);
        Values.uint256("refunded", refunded);
        Values.uint256("slashed", slashed);
    }
}
