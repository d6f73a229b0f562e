package io.procura.db;

/**
 * A registered prover (ProverRegistry registration).
 *
 * @param address         the operator address, lowercase 0x hex (normalised on construction)
 * @param endpoint        the agent endpoint the operator announced (URL or host:port); may be empty, since the
 *                        registry accepts any string and the indexer must store whatever the chain holds
 * @param vrfKeyHash      hash of the prover's VRF public key, 0x hex 32 bytes
 * @param registeredBlock block number of the first registration; on an upsert of an existing
 *                        prover this is the block of the update, and the stored first block is kept
 */
public record ProverRow(String address, String endpoint, String vrfKeyHash, long registeredBlock) {

    /**
     * Validates and normalises the fields (addresses and hashes to lowercase).
     *
     * @throws StoreException if a field is malformed or out of range
     */
    public ProverRow {
        address = Values.address("address", address);
        endpoint = java.util.Objects.requireNonNull(endpoint, "endpoint");
        vrfKeyHash = Values.hash32("vrfKeyHash", vrfKeyHash);
        Values.nonNegative("registeredBlock", registeredBlock);
    }
}
