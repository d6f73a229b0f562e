package io.procura.db;

import java.math.BigInteger;
import java.util.List;

/**
 * An accepted proof ({@code ProofSubmitted} event).
 *
 * @param txHash      transaction hash, 0x hex 32 bytes
 * @param logIndex    log index of the event, &gt;= 0
 * @param blockNumber block the proof was accepted in
 * @param slotId      slot id (uint256); the slot must already be stored
 * @param prover      the prover that delivered, 0x address
 * @param designate   whether the prover is the slot's designate (false: committee member)
 * @param outputs     the public outputs the prover supplied (field elements, each uint256)
 * @param gasUsed     gas used by the {@code submitProof} transaction, &gt;= 0
 */
public record DeliveryRow(String txHash, int logIndex, long blockNumber, BigInteger slotId, String prover,
                          boolean designate, List<BigInteger> outputs, long gasUsed) {

    /**
     * Validates and normalises the fields (addresses and hashes to lowercase).
     *
     * @throws StoreException if a field is malformed or out of range
     */
    public DeliveryRow {
        txHash = Values.hash32("txHash", txHash);
        Values.nonNegative("logIndex", logIndex);
        Values.nonNegative("blockNumber", blockNumber);
        Values.uint256("slotId", slotId);
        prover = Values.address("prover", prover);
        outputs = Values.uint256List("outputs", outputs);
        Values.nonNegative("gasUsed", gasUsed);
    }
}
