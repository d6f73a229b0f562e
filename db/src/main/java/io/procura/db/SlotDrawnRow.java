package io.procura.db;

import java.math.BigInteger;

/**
 * The fields of a {@code SlotDrawn} event: the slot's designate, drawn from the hash of its draw block,
 * and its prove window, which starts at the draw.
 *
 * @param txHash      transaction hash, 0x hex 32 bytes
 * @param logIndex    log index of the event, &gt;= 0
 * @param blockNumber block the slot was drawn in
 * @param slotId      slot id (uint256)
 * @param designate   the drawn designate, 0x address
 * @param seed        slot seed (randomness of the committee's private coins), 0x hex 32 bytes
 * @param deadline    last unix second (inclusive) at which proofs are accepted, &gt;= 0
 */
public record SlotDrawnRow(String txHash, int logIndex, long blockNumber, BigInteger slotId, String designate, String seed,
                           long deadline) {

    /**
     * Validates and normalises the fields (addresses and hashes to lowercase).
     *
     * @throws StoreException if a field is malformed or out of range
     */
    public SlotDrawnRow {
        txHash = Values.hash32("txHash", txHash);
        Values.nonNegative("logIndex", logIndex);
        Values.nonNegative("blockNumber", blockNumber);
        Values.uint256("slotId", slotId);
        designate = Values.address("designate", designate);
        seed = Values.hash32("seed", seed);
        Values.nonNegative("deadline", deadline);
    }
}
