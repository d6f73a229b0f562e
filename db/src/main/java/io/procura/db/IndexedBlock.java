package io.procura.db;

/**
 * A block an indexer stored, with the hash it had then: what a reorganisation check compares with the chain.
 *
 * @param number the block number
 * @param hash   its hash when it was indexed (0x hex, 32 bytes)
 */
public record IndexedBlock(long number, String hash) {
}
