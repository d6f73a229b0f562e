package io.procura.db;

import java.math.BigInteger;

/**
 * One bond-changing ProverRegistry event, stored as emitted.
 *
 * @param txHash      transaction hash, 0x hex 32 bytes
 * @param logIndex    index of the log in its block, &gt;= 0
 * @param blockNumber block number, &gt;= 0
 * @param prover      the prover whose bond changed, 0x address
 * @param kind        the event name as emitted by the contract (e.g. {@code Bonded},
 *                    {@code UnbondRequested}, {@code Unbonded}, {@code Locked}, {@code Unlocked},
 *                    {@code Slashed}, {@code Jailed}, {@code Unjailed}, {@code Delegated}); non-blank
 * @param account     the staker or operator who moved funds, or {@code null} when the event names none
 * @param amount      the amount moved, ERC-20 base units (uint256; zero for jail events)
 */
public record BondEventRow(String txHash, int logIndex, long blockNumber, String prover, String kind,
                           String account, BigInteger amount) {

    /**
     * Validates and normalises the fields (addresses and hashes to lowercase).
     *
     * @throws StoreException if a field is malformed or out of range
     */
    public BondEventRow {
        txHash = Values.hash32("txHash", txHash);
        Values.nonNegative("logIndex", logIndex);
        Values.nonNegative("blockNumber", blockNumber);
        prover = Values.address("prover", prover);
        kind = Values.nonBlank("kind", kind);
        account = Values.addressOrNull("account", account);
        Values.uint256("amount", amount);
    }
}
