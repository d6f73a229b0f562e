package io.procura.db;

import java.math.BigInteger;

/**
 * An amount credited to an account by a slot's settlement (pull payment).
 *
 * @param txHash      transaction hash, 0x hex 32 bytes
 * @param logIndex    log index of the event, &gt;= 0
 * @param blockNumber block of the credit
 * @param slotId      slot id (uint256); the slot must already be stored
 * @param account     the credited account, 0x address
 * @param amount      amount credited, ERC-20 base units (uint256)
 * @param kind        why it was credited, non-blank, e.g. {@code DESIGNATE}, {@code COMMITTEE},
 *                    {@code REFUND}, {@code COMPENSATION}
 */
public record PayoutRow(String txHash, int logIndex, long blockNumber, BigInteger slotId, String account,
                        BigInteger amount, String kind) {

    /**
     * Validates and normalises the fields (addresses and hashes to lowercase).
     *
     * @throws StoreException if a field is malformed or out of range
     */
    public PayoutRow {
        txHash = Values.hash32("txHash", txHash);
        Values.nonNegative("logIndex", logIndex);
        Values.nonNegative("blockNumber", blockNumber);
        Values.uint256("slotId", slotId);
        account = Values.address("account", account);
        Values.uint256("amount", amount);
        kind = Values.nonBlank("kind", kind);
    }
}
