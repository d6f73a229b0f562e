package io.procura.db;

import java.math.BigInteger;

/**
 * The fields of a {@code CircuitTermsSet} event: what every slot of a circuit must offer from
 * {@code effectiveAt} on (set at registration and by later changes, each after a notice).
 *
 * @param txHash         transaction hash, 0x hex 32 bytes
 * @param logIndex       log index of the event, &gt;= 0
 * @param blockNumber    block the terms were set in
 * @param circuitId      circuit id (uint256)
 * @param minProofPrice  least proof price of a slot, ERC-20 base units (uint256)
 * @param minProveWindow shortest prove window of a slot, seconds, &gt;= 0
 * @param maxProveWindow longest prove window of a slot, seconds, &gt;= {@code minProveWindow}
 * @param effectiveAt    unix time (s) from which the terms apply, &gt;= 0
 */
public record CircuitTermsRow(String txHash, int logIndex, long blockNumber, BigInteger circuitId, BigInteger minProofPrice,
                              long minProveWindow, long maxProveWindow, long effectiveAt) {

    /**
     * Validates and normalises the fields.
     *
     * @throws StoreException if a field is malformed or out of range
     */
    public CircuitTermsRow {
        txHash = Values.hash32("txHash", txHash);
        Values.nonNegative("logIndex", logIndex);
        Values.nonNegative("blockNumber", blockNumber);
        Values.uint256("circuitId", circuitId);
        Values.uint256("minProofPrice", minProofPrice);
        Values.nonNegative("minProveWindow", minProveWindow);
        if (maxProveWindow < minProveWindow) {
            throw new StoreException("maxProveWindow must be >= minProveWindow " + minProveWindow + ", got " + maxProveWindow);
        }
        Values.nonNegative("effectiveAt", effectiveAt);
    }
}
