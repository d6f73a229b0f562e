package io.procura.db;

import java.math.BigInteger;

/**
 * A circuit registered with the ProcurementMarket.
 *
 * @param id             circuit id (uint256)
 * @param verifier       address of its Groth16 verifier contract
 * @param numFixedInputs number of public inputs fixed by the slot, &gt;= 0
 * @param numOutputs     number of public outputs the prover supplies, &gt;= 0
 * @param txHash         transaction hash of the registration event
 * @param logIndex       log index of the registration event
 * @param blockNumber    block number of the registration event
 */
public record CircuitRow(BigInteger id, String verifier, int numFixedInputs, int numOutputs,
                         String txHash, int logIndex, long blockNumber) {

    /**
     * Validates and normalises the fields (addresses and hashes to lowercase).
     *
     * @throws StoreException if a field is malformed or out of range
     */
    public CircuitRow {
        Values.uint256("id", id);
        verifier = Values.address("verifier", verifier);
        Values.nonNegative("numFixedInputs", numFixedInputs);
        Values.nonNegative("numOutputs", numOutputs);
        txHash = Values.hash32("txHash", txHash);
        Values.nonNegative("logIndex", logIndex);
        Values.nonNegative("blockNumber", blockNumber);
    }
}
