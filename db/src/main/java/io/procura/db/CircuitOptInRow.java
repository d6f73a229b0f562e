package io.procura.db;

import java.math.BigInteger;

/**
 * An {@code OptedIn} or {@code OptedOut} event of the ProverRegistry: a prover joined or left the set of
 * provers that may be drawn for, and sit in the committees of, one circuit's slots.
 *
 * @param txHash      transaction hash, 0x hex 32 bytes
 * @param logIndex    log index of the event, &gt;= 0
 * @param blockNumber block of the event
 * @param prover      the prover, 0x address
 * @param circuitId   the circuit (uint256)
 * @param optedIn     true for {@code OptedIn}, false for {@code OptedOut}
 */
public record CircuitOptInRow(String txHash, int logIndex, long blockNumber, String prover, BigInteger circuitId,
                              boolean optedIn) {

    /**
     * Validates and normalises the fields (addresses and hashes to lowercase).
     *
     * @throws StoreException if a field is malformed or out of range
     */
    public CircuitOptInRow {
        txHash = Values.hash32("txHash", txHash);
        Values.nonNegative("logIndex", logIndex);
        Values.nonNegative("blockNumber", blockNumber);
        prover = Values.address("prover", prover);
        Values.uint256("circuitId", circuitId);
    }
}
