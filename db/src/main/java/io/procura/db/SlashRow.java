package io.procura.db;

import java.math.BigInteger;

/**
 * A bond seized from a designate that failed its slot.
 *
 * @param txHash      transaction hash, 0x hex 32 bytes
 * @param logIndex    log index of the event, &gt;= 0
 * @param blockNumber block of the slash
 * @param slotId      slot id (uint256); the slot must already be stored
 * @param prover      the slashed prover, 0x address
 * @param amount      amount slashed, ERC-20 base units (uint256)
 * @param recipient   who received the slashed amount (requester, or the market for compensation), 0x address
 */
public record SlashRow(String txHash, int logIndex, long blockNumber, BigInteger slotId, String prover,
                       BigInteger amount, String recipient) {

    /**
     * Validates and normalises the fields (addresses and hashes to lowercase).
     *
     * @throws StoreException if a field is malformed or out of range
     */
    public SlashRow {
        txHash = Values.hash32("txHash", txHash);
        Values.nonNegative("logIndex", logIndex);
        Values.nonNegative("blockNumber", blockNumber);
        Values.uint256("slotId", slotId);
        prover = Values.address("prover", prover);
        Values.uint256("amount", amount);
        recipient = Values.address("recipient", recipient);
    }
}
