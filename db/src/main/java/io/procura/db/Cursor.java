package io.procura.db;

/**
 * Where an indexer stands.
 *
 * @param name      the cursor name (one per indexer, e.g. {@code market})
 * @param lastBlock the last block whose events are completely stored
 * @param blockHash hash of that block (0x hex 32 bytes), or {@code null} if not recorded
 */
public record Cursor(String name, long lastBlock, String blockHash) {
}
