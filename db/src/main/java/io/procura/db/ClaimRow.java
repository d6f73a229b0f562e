package io.procura.db;

import java.math.BigInteger;

/**
 * A withdrawal of credited payouts ({@code Claimed} event).
 *
 * @param txHash      transaction hash, 0x hex 32 bytes
 * @param logIndex    log index of the event, &gt;= 0
 * @param blockNumber block of the claim
 * @param account     the claiming account, 0x address
 * @param amount      amount withdrawn, ERC-20 base units (uint256)
 */
public record ClaimRow(String txHash, int logIndex, long blockNumber, String account, BigInteger amount) {

    /**
     * Validates and normalises the fields (addresses and hashes to lowercase).
     *
     * @throws StoreException if a field is malformed or out of range
     */
    public ClaimRow {
        txHash = Values.hash32("txHash", txHash);
        Values.nonNegative("logIndex", logIndex);
        Values.nonNegative("blockNumber", blockNumber);
        account = Values.address("account", account);
        Values.uint256("amount", amount);
    }
}
