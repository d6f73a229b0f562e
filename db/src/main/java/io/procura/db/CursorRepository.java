package io.procura.db;

import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The index's place on the chain: which chain and deployment it belongs to ({@code index_binding}), how far each
 * indexer has read ({@code chain_cursor}), the hashes of the blocks it read ({@code indexed_blocks}, what reveals a
 * reorganisation), and the rollback of everything above a block when the chain reorganised.
 *
 * <p>Obtained from {@link Store#cursors()}; thread-safe unless the store is bound to a transaction. Block numbers are
 * {@code long}, hashes lowercase 0x hex (32 bytes). Every failure raises {@link StoreException}.
 */
public final class CursorRepository {

    private static final Logger LOG = LoggerFactory.getLogger(CursorRepository.class);

    /** Every table of the index (what {@link #resetIndex()} empties). */
    private static final String INDEX_TABLES = "chain_cursor, provers, bond_events, bond_state, circuits, slots, "
            + "deliveries, payouts, claims, slashes, circuit_terms, circuit_opt_ins, index_binding, indexed_blocks";

    /** How many blocks behind its cursor an indexer keeps block hashes for (the deepest reorganisation it rolls back
     *  block by block; a deeper one re-indexes from the deployment block). */
    public static final int HASH_WINDOW = 4_096;

    private static final String UPSERT_CURSOR = "INSERT INTO chain_cursor (name, last_block, block_hash, updated_at) "
            + "VALUES (:name, :block, :hash, now()) ON CONFLICT (name) DO UPDATE SET last_block = EXCLUDED.last_block, "
            + "block_hash = EXCLUDED.block_hash, updated_at = now()";

    private final Session session;

    CursorRepository(Session session) {
        this.session = session;
    }

    /**
     * @return the chain and deployment this index belongs to, or empty for an index never bound
     * @throws StoreException on a database failure
     */
    public Optional<IndexBinding> binding() {
        return session.call("reading the index binding", CursorRepository::binding);
    }

    private static Optional<IndexBinding> binding(Handle h) {
        return h.createQuery("SELECT chain_id, market, deploy_block, deploy_block_hash FROM index_binding")
                .map(Rows.BINDING).findOne();
    }

    /**
     * Binds an empty or unbound index to a chain and deployment.
     *
     * @param b the binding
     * @throws StoreException when the index is already bound (to anything), or on a database failure
     */
    public void bind(IndexBinding b) {
        Values.hash32OrNull("deployBlockHash", b.deployBlockHash());
        session.run("binding the index", h -> {
            int n = h.createUpdate("INSERT INTO index_binding (chain_id, market, deploy_block, deploy_block_hash) "
                            + "VALUES (:chainId, :market, :deployBlock, :deployBlockHash) ON CONFLICT DO NOTHING")
                    .bindMethods(b).execute();
            if (n == 0) throw new StoreException("the index is already bound to " + binding(h).orElse(null));
        });
    }

    /**
     * Empties the whole index (every slot, prover, payout, cursor and the binding): what a coordinator pointed at
     * another chain or deployment does when asked for a fresh index.
     *
     * @throws StoreException on a database failure
     */
    public void resetIndex() {
        session.run("resetting the index", h -> h.execute("TRUNCATE " + INDEX_TABLES + " CASCADE"));
    }

    /**
     * @param name the cursor name
     * @return the last block fully stored by that indexer, or empty if it never advanced
     * @throws StoreException on a database failure
     */
    public OptionalLong cursor(String name) {
        return cursorState(name).map(c -> OptionalLong.of(c.lastBlock())).orElse(OptionalLong.empty());
    }

    /**
     * @param name the cursor name
     * @return the cursor with its block hash, or empty if it never advanced
     * @throws StoreException on a database failure
     */
    public Optional<Cursor> cursorState(String name) {
        Values.nonBlank("name", name);
        return session.call("reading cursor " + name, h -> cursorState(h, name));
    }

    private static Optional<Cursor> cursorState(Handle h, String name) {
        return h.createQuery("SELECT last_block, block_hash FROM chain_cursor WHERE name = :name").bind("name", name)
                .map((rs, ctx) -> new Cursor(name, rs.getLong("last_block"), rs.getString("block_hash"))).findOne();
    }

    /**
     * @return the furthest block any indexer has stored, or empty before the first one (what readiness reports)
     * @throws StoreException on a database failure
     */
    public Optional<Long> maxCursorBlock() {
        return session.call("reading the cursors", h -> Optional.ofNullable(
                h.createQuery("SELECT max(last_block) FROM chain_cursor").mapTo(Long.class).one()));
    }

    /**
     * Moves a cursor forward (or creates it). Call it inside {@link Store#inTransaction} together with the block's
     * writes.
     *
     * @param name      the cursor name, non-blank
     * @param block     the last block now fully stored, &gt;= the cursor's current block
     * @param blockHash that block's hash (0x hex 32 bytes), or {@code null}
     * @throws StoreException if the cursor is already past {@code block}, or on a database failure
     */
    public void advanceCursor(String name, long block, String blockHash) {
        Values.nonBlank("name", name);
        Values.nonNegative("block", block);
        String hash = Values.hash32OrNull("blockHash", blockHash);
        session.run("advancing cursor " + name, h -> {
            int n = h.createUpdate(UPSERT_CURSOR + " WHERE chain_cursor.last_block <= EXCLUDED.last_block")
                    .bind("name", name).bind("block", block).bind("hash", hash).execute();
            if (n == 0) {
                long current = cursorState(h, name).map(Cursor::lastBlock).orElse(-1L); // same connection
                throw new StoreException("Cursor " + name + " is at block " + current
                        + "; it cannot move back to block " + block + " (use resetCursor to re-index)");
            }
            if (hash != null) rememberBlock(h, name, block, hash);
        });
    }

    private static void rememberBlock(Handle h, String name, long block, String hash) {
        h.createUpdate("INSERT INTO indexed_blocks (cursor_name, block_number, block_hash) VALUES (:name, :block, :hash) "
                        + "ON CONFLICT (cursor_name, block_number) DO UPDATE SET block_hash = EXCLUDED.block_hash")
                .bind("name", name).bind("block", block).bind("hash", hash).execute();
        h.createUpdate("DELETE FROM indexed_blocks WHERE cursor_name = :name AND block_number < :oldest")
                .bind("name", name).bind("oldest", block - HASH_WINDOW).execute();
    }

    /**
     * @param name  the cursor name
     * @param limit at most this many
     * @return the blocks this indexer stored with their hashes at the time ({@link #advanceCursor} keeps the last
     *         {@link #HASH_WINDOW} blocks), newest first
     * @throws StoreException on a database failure
     */
    public List<IndexedBlock> indexedBlocks(String name, int limit) {
        Values.nonBlank("name", name);
        return session.call("reading the indexed block hashes of " + name, h -> h.createQuery(
                        "SELECT block_number, block_hash FROM indexed_blocks WHERE cursor_name = :name "
                                + "ORDER BY block_number DESC LIMIT :limit")
                .bind("name", name).bind("limit", limit).map(Rows.INDEXED_BLOCK).list());
    }

    /**
     * Rolls the index back to the end of {@code block}, atomically: what an indexer does when the chain reorganised
     * above that block. Every event row of a later block is deleted (deliveries, payouts, claims, slashes, bond events,
     * circuit terms, opt-ins, circuits, provers registered later, slots opened later); slots drawn, cancelled or
     * settled later go back to the state they had at {@code block}; bond states read later are replaced by
     * {@code restored} (the registry's state at {@code block}, read by the caller before this call) or deleted; the
     * cursor moves back to {@code block} and the block hashes above it are forgotten.
     *
     * @param name      the cursor name
     * @param block     the newest block the chain still has as indexed (the common ancestor), &gt;= -1
     * @param blockHash its hash, or {@code null}
     * @param restored  bond states as of the end of {@code block}, one per prover to restore (their
     *                  {@code updatedBlock} must be {@code block}); see {@link ProverRepository#proversWithBondStateAfter}
     * @return the number of event rows deleted
     * @throws StoreException if a restored state is not as of {@code block}, or on a database failure
     */
    public int rollBackTo(String name, long block, String blockHash, List<BondState> restored) {
        Values.nonBlank("name", name);
        String hash = Values.hash32OrNull("blockHash", blockHash);
        for (BondState b : restored) {
            if (b.updatedBlock() != block) throw new StoreException("restored bond state " + b + " is not as of block " + block);
        }
        return session.call("rolling the index back to block " + block, h -> {
            int deleted = 0;
            for (String table : new String[] {"deliveries", "payouts", "slashes", "claims", "bond_events", "circuit_terms",
                    "circuit_opt_ins"}) {
                deleted += above(h, "DELETE FROM " + table + " WHERE block_number > :block", block);
            }
            above(h, "UPDATE slots SET state = 'DRAWN', settled_tx = NULL, settled_log_index = NULL, settled_block = NULL, "
                    + "designate_delivered = NULL, committee_deliveries = NULL, designate_payout = NULL, "
                    + "committee_payout_each = NULL, refunded = NULL, slashed = NULL WHERE settled_block > :block", block);
            above(h, "UPDATE slots SET state = 'OPEN', cancelled_tx = NULL, cancelled_log_index = NULL, "
                    + "cancelled_block = NULL, no_candidate = NULL, cancel_refunded = NULL WHERE cancelled_block > :block",
                    block);
            above(h, "UPDATE slots SET state = 'OPEN', drawn_tx = NULL, drawn_log_index = NULL, drawn_block = NULL, "
                    + "designate = NULL, seed = NULL, deadline = NULL WHERE drawn_block > :block", block);
            deleted += above(h, "DELETE FROM slots WHERE opened_block > :block", block);
            deleted += above(h, "DELETE FROM circuits WHERE block_number > :block", block);
            deleted += above(h, "DELETE FROM provers WHERE registered_block > :block", block);
            above(h, "DELETE FROM bond_state WHERE updated_block > :block", block);
            for (BondState b : restored) {
                h.createUpdate("INSERT INTO bond_state (prover, bond, locked, pending_unbond, jailed, updated_block, "
                                + "updated_log_index) VALUES (:prover, :bond, :locked, :pendingUnbond, :jailed, :block, "
                                + ":logIndex)")
                        .bindMethods(b).bind("block", block)
                        .bind("logIndex", Integer.MAX_VALUE) // the state at the end of the block
                        .execute();
            }
            h.createUpdate("DELETE FROM indexed_blocks WHERE cursor_name = :name AND block_number > :block")
                    .bind("name", name).bind("block", block).execute();
            if (block < 0) {
                h.createUpdate("DELETE FROM chain_cursor WHERE name = :name").bind("name", name).execute();
            } else {
                h.createUpdate(UPSERT_CURSOR).bind("name", name).bind("block", block).bind("hash", hash).execute();
            }
            return deleted;
        });
    }

    private static int above(Handle h, String sql, long block) {
        return h.createUpdate(sql).bind("block", block).execute();
    }

    /**
     * Sets a cursor to any block, backwards included (an operator re-indexing from a block;
     * rows already stored stay, and replaying them is a no-op).
     *
     * @param name      the cursor name, non-blank
     * @param block     the block to resume after, &gt;= 0
     * @param blockHash that block's hash, or {@code null}
     * @throws StoreException on a database failure
     */
    public void resetCursor(String name, long block, String blockHash) {
        Values.nonBlank("name", name);
        Values.nonNegative("block", block);
        String hash = Values.hash32OrNull("blockHash", blockHash);
        session.run("resetting cursor " + name, h -> h.createUpdate(UPSERT_CURSOR)
                .bind("name", name).bind("block", block).bind("hash", hash).execute());
        LOG.info("Cursor {} reset to block {}", name, block);
    }
}
