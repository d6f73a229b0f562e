package io.procura.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Plain-JDBC access to the Procura schema (see {@code db/migration/V1__procura_schema.sql} and
 * {@code V2__draw_cancel_circuit_terms_opt_in.sql}).
 *
 * <p>Writes mirror contract events. Every event row is keyed by its (transaction hash, log index),
 * and every insert is {@code ON CONFLICT DO NOTHING}: replaying a block stores nothing twice, and
 * the write methods return {@code true} only when they stored something new.
 *
 * <p>A {@code Store} built on a {@link DataSource} runs each call in its own transaction
 * (auto-commit). {@link #inTransaction(Consumer)} hands the work a {@code Store} bound to one
 * connection and one transaction: an indexer writes one block's events and
 * {@link #advanceCursor(String, long, String)} there, so a crash never leaves half a block
 * stored. Such a bound store must not be used after the work returns.
 *
 * <p>Values: token amounts are {@link BigInteger} ERC-20 base units (uint256), the mixing
 * probability is a 1e18-scaled {@link BigInteger}, addresses and hashes are lowercase 0x hex
 * strings (the row records normalise them), block numbers are {@code long}, deadlines unix seconds.
 * Every failure raises {@link StoreException}. Instances are thread-safe except bound ones.
 */
public final class Store {

    private static final Logger LOG = LoggerFactory.getLogger(Store.class);

    private final DataSource dataSource;
    /** Non-null when this store is bound to one transaction. */
    private final Connection bound;
    private boolean finished;

    /**
     * Creates a store on a connection pool (normally {@link Database#dataSource()}).
     *
     * @param dataSource a data source on a migrated Procura schema
     */
    public Store(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.bound = null;
    }

    private Store(Connection connection) {
        this.dataSource = null;
        this.bound = connection;
    }

    // ============================================================================================
    // transactions

    /**
     * Runs {@code work} in one database transaction: commits if it returns, rolls back everything
     * it wrote if it throws (and rethrows). Called on a store that is already bound to a
     * transaction, it simply joins that transaction.
     *
     * @param work the writes (and reads) to run on a store bound to the transaction
     * @throws StoreException if a statement or the commit fails; exceptions thrown by {@code work}
     *                        itself are rethrown unchanged after the rollback
     */
    public void inTransaction(Consumer<Store> work) {
        callInTransaction(s -> {
            work.accept(s);
            return null;
        });
    }

    /**
     * Like {@link #inTransaction(Consumer)}, returning the work's result.
     *
     * @param work the work to run on a store bound to the transaction
     * @param <T>  the result type
     * @return what {@code work} returned, after the commit
     * @throws StoreException if a statement or the commit fails
     */
    public <T> T callInTransaction(Function<Store, T> work) {
        Objects.requireNonNull(work, "work");
        if (bound != null) {
            checkActive();
            return work.apply(this);
        }
        Connection c;
        try {
            c = dataSource.getConnection();
        } catch (SQLException e) {
            throw new StoreException("Could not get a database connection: " + e.getMessage(), e);
        }
        Store tx = new Store(c);
        try (c) {
            c.setAutoCommit(false);
            T result;
            try {
                result = work.apply(tx);
                c.commit();
            } catch (RuntimeException | Error e) {
                rollbackQuietly(c, e);
                throw e;
            } catch (SQLException e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                tx.finished = true;
                c.setAutoCommit(true);
            }
            return result;
        } catch (SQLException e) {
            throw new StoreException("Transaction failed: " + e.getMessage(), e);
        }
    }

    private static void rollbackQuietly(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private void checkActive() {
        if (finished) {
            throw new StoreException("This Store was bound to a transaction that has already ended");
        }
    }

    @FunctionalInterface
    private interface Sql<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs one unit of SQL: on the bound connection, or atomically on a pooled one. */
    private <T> T sql(String what, Sql<T> work) {
        if (bound != null) {
            checkActive();
            try {
                return work.run(bound);
            } catch (SQLException e) {
                throw failure(what, e);
            }
        }
        return callInTransaction(s -> s.sql(what, work));
    }

    private static StoreException failure(String what, SQLException e) {
        String state = e.getSQLState();
        String hint = "";
        if ("23503".equals(state)) {
            hint = " (a referenced row is missing: is the slot stored?)";
        } else if ("23514".equals(state) || "23502".equals(state)) {
            hint = " (a value violates a schema constraint)";
        }
        return new StoreException(what + " failed" + hint + ": " + e.getMessage(), e);
    }

    // ============================================================================================
    // index binding

    /** Every table of the index (what {@link #resetIndex()} empties). */
    private static final String INDEX_TABLES = "chain_cursor, provers, bond_events, bond_state, circuits, slots, "
            + "deliveries, payouts, claims, slashes, circuit_terms, circuit_opt_ins, index_binding, indexed_blocks";

    /** How many blocks behind its cursor an indexer keeps block hashes for (the deepest reorganisation it rolls back
     *  block by block; a deeper one re-indexes from the deployment block). */
    public static final int HASH_WINDOW = 4_096;

    /**
     * @return the chain and deployment this index belongs to, or empty for an index never bound
     * @throws StoreException on a database failure
     */
    public Optional<IndexBinding> binding() {
        return sql("reading the index binding", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT chain_id, market, deploy_block, deploy_block_hash FROM index_binding");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new IndexBinding(rs.getLong(1), rs.getString(2), rs.getLong(3),
                        rs.getString(4))) : Optional.empty();
            }
        });
    }

    /**
     * Binds an empty or unbound index to a chain and deployment.
     *
     * @param b the binding
     * @throws StoreException when the index is already bound (to anything), or on a database failure
     */
    public void bind(IndexBinding b) {
        Values.hash32OrNull("deployBlockHash", b.deployBlockHash());
        sql("binding the index", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO index_binding "
                    + "(chain_id, market, deploy_block, deploy_block_hash) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setLong(1, b.chainId());
                ps.setString(2, b.market());
                ps.setLong(3, b.deployBlock());
                ps.setString(4, b.deployBlockHash());
                if (ps.executeUpdate() == 0) throw new StoreException("the index is already bound to " + binding().orElse(null));
            }
            return null;
        });
    }

    /**
     * Empties the whole index (every slot, prover, payout, cursor and the binding): what a coordinator pointed at
     * another chain or deployment does when asked for a fresh index.
     *
     * @throws StoreException on a database failure
     */
    public void resetIndex() {
        sql("resetting the index", c -> {
            try (java.sql.Statement st = c.createStatement()) {
                st.execute("TRUNCATE " + INDEX_TABLES + " CASCADE");
            }
            return null;
        });
    }

    // ============================================================================================
    // chain cursor

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
        return sql("reading cursor " + name, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT last_block, block_hash FROM chain_cursor WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Cursor(name, rs.getLong(1), rs.getString(2))) : Optional.empty();
                }
            }
        });
    }

    /**
     * @return the furthest block any indexer has stored, or empty before the first one (what readiness reports)
     * @throws StoreException on a database failure
     */
    public Optional<Long> maxCursorBlock() {
        return sql("reading the cursors", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT max(last_block) FROM chain_cursor");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                return rs.wasNull() ? Optional.<Long>empty() : Optional.of(v);
            }
        });
    }

    /**
     * Moves a cursor forward (or creates it). Call it inside {@link #inTransaction(Consumer)}
     * together with the block's writes.
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
        sql("advancing cursor " + name, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO chain_cursor (name, last_block, block_hash, updated_at) VALUES (?, ?, ?, now()) "
                            + "ON CONFLICT (name) DO UPDATE SET last_block = EXCLUDED.last_block, "
                            + "block_hash = EXCLUDED.block_hash, updated_at = now() "
                            + "WHERE chain_cursor.last_block <= EXCLUDED.last_block")) {
                ps.setString(1, name);
                ps.setLong(2, block);
                ps.setString(3, hash);
                if (ps.executeUpdate() == 0) {
                    long current = cursorState(name).map(Cursor::lastBlock).orElse(-1L);
                    throw new StoreException("Cursor " + name + " is at block " + current
                            + "; it cannot move back to block " + block + " (use resetCursor to re-index)");
                }
            }
            if (hash != null) rememberBlock(c, name, block, hash);
            return null;
        });
    }

    private static void rememberBlock(Connection c, String name, long block, String hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO indexed_blocks (cursor_name, block_number, block_hash) "
                + "VALUES (?, ?, ?) ON CONFLICT (cursor_name, block_number) DO UPDATE SET block_hash = EXCLUDED.block_hash")) {
            ps.setString(1, name);
            ps.setLong(2, block);
            ps.setString(3, hash);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM indexed_blocks WHERE cursor_name = ? AND block_number < ?")) {
            ps.setString(1, name);
            ps.setLong(2, block - HASH_WINDOW);
            ps.executeUpdate();
        }
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
        return sql("reading the indexed block hashes of " + name, c -> {
            List<IndexedBlock> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT block_number, block_hash FROM indexed_blocks "
                    + "WHERE cursor_name = ? ORDER BY block_number DESC LIMIT ?")) {
                ps.setString(1, name);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(new IndexedBlock(rs.getLong(1), rs.getString(2)));
                }
            }
            return out;
        });
    }

    /**
     * @param block a block number
     * @return the provers whose stored bond state was read after {@code block} (what a rollback to it must restore)
     * @throws StoreException on a database failure
     */
    public List<String> proversWithBondStateAfter(long block) {
        return sql("listing bond states after block " + block, c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT prover FROM bond_state WHERE updated_block > ? ORDER BY prover")) {
                ps.setLong(1, block);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(rs.getString(1));
                }
            }
            return out;
        });
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
     *                  {@code updatedBlock} must be {@code block})
     * @return the number of event rows deleted
     * @throws StoreException if a restored state is not as of {@code block}, or on a database failure
     */
    public int rollBackTo(String name, long block, String blockHash, List<BondState> restored) {
        Values.nonBlank("name", name);
        String hash = Values.hash32OrNull("blockHash", blockHash);
        for (BondState b : restored) {
            if (b.updatedBlock() != block) throw new StoreException("restored bond state " + b + " is not as of block " + block);
        }
        return sql("rolling the index back to block " + block, c -> {
            int deleted = 0;
            for (String table : new String[] {"deliveries", "payouts", "slashes", "claims", "bond_events", "circuit_terms",
                    "circuit_opt_ins"}) {
                deleted += update(c, "DELETE FROM " + table + " WHERE block_number > ?", block);
            }
            update(c, "UPDATE slots SET state = 'DRAWN', settled_tx = NULL, settled_log_index = NULL, settled_block = NULL, "
                    + "designate_delivered = NULL, committee_deliveries = NULL, designate_payout = NULL, "
                    + "committee_payout_each = NULL, refunded = NULL, slashed = NULL WHERE settled_block > ?", block);
            update(c, "UPDATE slots SET state = 'OPEN', cancelled_tx = NULL, cancelled_log_index = NULL, "
                    + "cancelled_block = NULL, no_candidate = NULL, cancel_refunded = NULL WHERE cancelled_block > ?", block);
            update(c, "UPDATE slots SET state = 'OPEN', drawn_tx = NULL, drawn_log_index = NULL, drawn_block = NULL, "
                    + "designate = NULL, seed = NULL, deadline = NULL WHERE drawn_block > ?", block);
            deleted += update(c, "DELETE FROM slots WHERE opened_block > ?", block);
            deleted += update(c, "DELETE FROM circuits WHERE block_number > ?", block);
            deleted += update(c, "DELETE FROM provers WHERE registered_block > ?", block);
            update(c, "DELETE FROM bond_state WHERE updated_block > ?", block);
            for (BondState b : restored) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO bond_state (prover, bond, locked, pending_unbond, "
                        + "jailed, updated_block, updated_log_index) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, b.prover());
                    ps.setBigDecimal(2, dec(b.bond()));
                    ps.setBigDecimal(3, dec(b.locked()));
                    ps.setBigDecimal(4, dec(b.pendingUnbond()));
                    ps.setBoolean(5, b.jailed());
                    ps.setLong(6, block);
                    ps.setInt(7, Integer.MAX_VALUE); // the state at the end of the block
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM indexed_blocks WHERE cursor_name = ? AND block_number > ?")) {
                ps.setString(1, name);
                ps.setLong(2, block);
                ps.executeUpdate();
            }
            if (block < 0) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM chain_cursor WHERE name = ?")) {
                    ps.setString(1, name);
                    ps.executeUpdate();
                }
                return deleted;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO chain_cursor (name, last_block, block_hash, updated_at) "
                    + "VALUES (?, ?, ?, now()) ON CONFLICT (name) DO UPDATE SET last_block = EXCLUDED.last_block, "
                    + "block_hash = EXCLUDED.block_hash, updated_at = now()")) {
                ps.setString(1, name);
                ps.setLong(2, block);
                ps.setString(3, hash);
                ps.executeUpdate();
            }
            return deleted;
        });
    }

    private static int update(Connection c, String sql, long block) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, block);
            return ps.executeUpdate();
        }
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
        sql("resetting cursor " + name, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO chain_cursor (name, last_block, block_hash, updated_at) VALUES (?, ?, ?, now()) "
                            + "ON CONFLICT (name) DO UPDATE SET last_block = EXCLUDED.last_block, "
                            + "block_hash = EXCLUDED.block_hash, updated_at = now()")) {
                ps.setString(1, name);
                ps.setLong(2, block);
                ps.setString(3, hash);
                ps.executeUpdate();
            }
            return null;
        });
        LOG.info("Cursor {} reset to block {}", name, block);
    }

    // ============================================================================================
    // provers and bonds

    /**
     * Inserts a prover, or updates its endpoint and VRF key hash if the row is not older than the
     * stored one (the first registration block is kept).
     *
     * @param prover the registration
     * @return true if a row was inserted or changed, false if the stored row is newer
     * @throws StoreException on a database failure
     */
    public boolean upsertProver(ProverRow prover) {
        Objects.requireNonNull(prover, "prover");
        return sql("upserting prover " + prover.address(), c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO provers (address, endpoint, vrf_key_hash, registered_block, updated_block) "
                            + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (address) DO UPDATE SET "
                            + "endpoint = EXCLUDED.endpoint, vrf_key_hash = EXCLUDED.vrf_key_hash, "
                            + "updated_block = EXCLUDED.updated_block, "
                            + "registered_block = LEAST(provers.registered_block, EXCLUDED.registered_block) "
                            + "WHERE provers.updated_block <= EXCLUDED.updated_block")) {
                ps.setString(1, prover.address());
                ps.setString(2, prover.endpoint());
                ps.setString(3, prover.vrfKeyHash());
                ps.setLong(4, prover.registeredBlock());
                ps.setLong(5, prover.registeredBlock());
                return ps.executeUpdate() > 0;
            }
        });
    }

    /**
     * @return every registered prover, by address
     * @throws StoreException on a database failure
     */
    public List<ProverRow> listProvers() {
        return sql("listing provers", c -> {
            List<ProverRow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT address, endpoint, vrf_key_hash, registered_block FROM provers ORDER BY address");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ProverRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
                }
            }
            return out;
        });
    }

    /**
     * @return every registered prover with its current bond state (null bond if none stored), by address
     * @throws StoreException on a database failure
     */
    public List<ProverView> listProverViews() {
        return proverViews("", "", ps -> {});
    }

    /**
     * @param limit  at most this many, 1..1000
     * @param offset provers to skip, &gt;= 0
     * @return one page of the registered provers with their bond states, by address
     * @throws StoreException on a bad page or a database failure
     */
    public List<ProverView> listProverViews(int limit, int offset) {
        checkPage(limit, offset);
        return proverViews("", " LIMIT ? OFFSET ?", ps -> {
            ps.setInt(1, limit);
            ps.setInt(2, offset);
        });
    }

    /**
     * @param address a prover address
     * @return the prover with its bond state, or empty if it never registered
     * @throws StoreException if the address is malformed, or on a database failure
     */
    public Optional<ProverView> findProverView(String address) {
        String a = Values.address("address", address);
        List<ProverView> one = proverViews(" WHERE p.address = ?", "", ps -> ps.setString(1, a));
        return one.stream().findFirst();
    }

    /**
     * @return the number of registered provers
     * @throws StoreException on a database failure
     */
    public long countProvers() {
        return sql("counting provers", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM provers");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private List<ProverView> proverViews(String where, String page, Binder binder) {
        return sql("listing provers", c -> {
            List<ProverView> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT p.address, p.endpoint, p.vrf_key_hash, p.registered_block, "
                            + "b.bond, b.locked, b.pending_unbond, b.jailed, b.updated_block "
                            + "FROM provers p LEFT JOIN bond_state b ON b.prover = p.address" + where + " ORDER BY p.address"
                            + page)) {
                binder.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ProverRow p = new ProverRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4));
                        BondState b = rs.getBigDecimal(5) == null ? null : new BondState(p.address(), big(rs, 5),
                                big(rs, 6), big(rs, 7), rs.getBoolean(8), rs.getLong(9));
                        out.add(new ProverView(p, b));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Stores a bond event and, if it is new and not older than the stored state, the prover's
     * bond state after it. Both happen atomically.
     *
     * @param event the event as emitted
     * @param after the prover's bond state after the event (as read from the registry at that
     *              block), or {@code null} to store the event only; its prover must be the
     *              event's prover and its {@code updatedBlock} the event's block
     * @return true if the event was new, false if it was already stored (nothing changed then)
     * @throws StoreException if {@code after} does not belong to the event, or on a database failure
     */
    public boolean recordBondEvent(BondEventRow event, BondState after) {
        Objects.requireNonNull(event, "event");
        if (after != null && (!after.prover().equals(event.prover()) || after.updatedBlock() != event.blockNumber())) {
            throw new StoreException("Bond state " + after + " does not belong to event " + event
                    + " (prover and block must match)");
        }
        return sql("recording bond event " + event.txHash() + "#" + event.logIndex(), c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO bond_events (tx_hash, log_index, block_number, prover, kind, account, amount) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, event.txHash());
                ps.setInt(2, event.logIndex());
                ps.setLong(3, event.blockNumber());
                ps.setString(4, event.prover());
                ps.setString(5, event.kind());
                ps.setString(6, event.account());
                ps.setBigDecimal(7, dec(event.amount()));
                if (ps.executeUpdate() == 0) {
                    return false;
                }
            }
            if (after != null) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO bond_state (prover, bond, locked, pending_unbond, jailed, updated_block, "
                                + "updated_log_index) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (prover) DO UPDATE SET "
                                + "bond = EXCLUDED.bond, locked = EXCLUDED.locked, "
                                + "pending_unbond = EXCLUDED.pending_unbond, jailed = EXCLUDED.jailed, "
                                + "updated_block = EXCLUDED.updated_block, updated_log_index = EXCLUDED.updated_log_index "
                                + "WHERE (bond_state.updated_block, bond_state.updated_log_index) "
                                + "< (EXCLUDED.updated_block, EXCLUDED.updated_log_index)")) {
                    ps.setString(1, after.prover());
                    ps.setBigDecimal(2, dec(after.bond()));
                    ps.setBigDecimal(3, dec(after.locked()));
                    ps.setBigDecimal(4, dec(after.pendingUnbond()));
                    ps.setBoolean(5, after.jailed());
                    ps.setLong(6, event.blockNumber());
                    ps.setInt(7, event.logIndex());
                    ps.executeUpdate();
                }
            }
            return true;
        });
    }

    /**
     * @param prover a prover address
     * @return its current bond state, or empty if no state was stored
     * @throws StoreException if the address is malformed, or on a database failure
     */
    public Optional<BondState> bondState(String prover) {
        String p = Values.address("prover", prover);
        return sql("reading bond state of " + p, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT bond, locked, pending_unbond, jailed, updated_block FROM bond_state WHERE prover = ?")) {
                ps.setString(1, p);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new BondState(p, big(rs, 1), big(rs, 2), big(rs, 3), rs.getBoolean(4), rs.getLong(5)))
                            : Optional.empty();
                }
            }
        });
    }

    /**
     * @param prover a prover address
     * @return its bond events in chain order (block, log index)
     * @throws StoreException if the address is malformed, or on a database failure
     */
    public List<BondEventRow> bondEventsOf(String prover) {
        String p = Values.address("prover", prover);
        return sql("reading bond events of " + p, c -> {
            List<BondEventRow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT tx_hash, log_index, block_number, prover, kind, account, amount FROM bond_events "
                            + "WHERE prover = ? ORDER BY block_number, log_index")) {
                ps.setString(1, p);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new BondEventRow(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), big(rs, 7)));
                    }
                }
            }
            return out;
        });
    }

    // ============================================================================================
    // circuits

    /**
     * @param circuit a circuit registration
     * @return true if stored now, false if that circuit id or event was already stored
     * @throws StoreException on a database failure
     */
    public boolean insertCircuit(CircuitRow circuit) {
        Objects.requireNonNull(circuit, "circuit");
        return sql("inserting circuit " + circuit.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO circuits (id, verifier, num_fixed_inputs, num_outputs, tx_hash, log_index, block_number) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setBigDecimal(1, dec(circuit.id()));
                ps.setString(2, circuit.verifier());
                ps.setInt(3, circuit.numFixedInputs());
                ps.setInt(4, circuit.numOutputs());
                ps.setString(5, circuit.txHash());
                ps.setInt(6, circuit.logIndex());
                ps.setLong(7, circuit.blockNumber());
                return ps.executeUpdate() > 0;
            }
        });
    }

    /**
     * @param id a circuit id
     * @return the circuit, or empty if not stored
     * @throws StoreException on a database failure
     */
    public Optional<CircuitRow> findCircuit(BigInteger id) {
        Values.uint256("id", id);
        return sql("reading circuit " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement(CIRCUIT_COLUMNS + " WHERE id = ?")) {
                ps.setBigDecimal(1, dec(id));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(circuit(rs)) : Optional.empty();
                }
            }
        });
    }

    /**
     * @return every circuit, by id
     * @throws StoreException on a database failure
     */
    public List<CircuitRow> listCircuits() {
        return sql("listing circuits", c -> {
            List<CircuitRow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(CIRCUIT_COLUMNS + " ORDER BY id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(circuit(rs));
                }
            }
            return out;
        });
    }

    private static final String CIRCUIT_COLUMNS =
            "SELECT id, verifier, num_fixed_inputs, num_outputs, tx_hash, log_index, block_number FROM circuits";

    private static CircuitRow circuit(ResultSet rs) throws SQLException {
        return new CircuitRow(big(rs, 1), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getString(5),
                rs.getInt(6), rs.getLong(7));
    }

    /**
     * Stores a {@code CircuitTermsSet} event.
     *
     * @param terms the terms as set; their circuit must be stored
     * @return true if stored now, false if that event was already stored
     * @throws StoreException if the circuit is not stored, or on a database failure
     */
    public boolean insertCircuitTerms(CircuitTermsRow terms) {
        Objects.requireNonNull(terms, "terms");
        return sql("inserting terms of circuit " + terms.circuitId(), c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO circuit_terms (tx_hash, log_index, block_number, circuit_id, min_proof_price, "
                            + "min_prove_window, max_prove_window, effective_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                            + "ON CONFLICT DO NOTHING")) {
                ps.setString(1, terms.txHash());
                ps.setInt(2, terms.logIndex());
                ps.setLong(3, terms.blockNumber());
                ps.setBigDecimal(4, dec(terms.circuitId()));
                ps.setBigDecimal(5, dec(terms.minProofPrice()));
                ps.setLong(6, terms.minProveWindow());
                ps.setLong(7, terms.maxProveWindow());
                ps.setLong(8, terms.effectiveAt());
                return ps.executeUpdate() > 0;
            }
        });
    }

    /**
     * @param circuitId a circuit id
     * @return every terms change of the circuit, in chain order (the newest last; each applies from its
     *         {@code effectiveAt})
     * @throws StoreException on a database failure
     */
    public List<CircuitTermsRow> circuitTermsOf(BigInteger circuitId) {
        Values.uint256("circuitId", circuitId);
        return sql("reading terms of circuit " + circuitId, c -> {
            List<CircuitTermsRow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT tx_hash, log_index, block_number, circuit_id, min_proof_price, min_prove_window, "
                            + "max_prove_window, effective_at FROM circuit_terms WHERE circuit_id = ? "
                            + "ORDER BY block_number, log_index")) {
                ps.setBigDecimal(1, dec(circuitId));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new CircuitTermsRow(rs.getString(1), rs.getInt(2), rs.getLong(3), big(rs, 4), big(rs, 5),
                                rs.getLong(6), rs.getLong(7), rs.getLong(8)));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Stores an {@code OptedIn} / {@code OptedOut} event.
     *
     * @param event the event; its circuit must be stored
     * @return true if stored now, false if that event was already stored
     * @throws StoreException if the circuit is not stored, or on a database failure
     */
    public boolean recordOptIn(CircuitOptInRow event) {
        Objects.requireNonNull(event, "event");
        return sql("recording opt-in of " + event.prover() + " to circuit " + event.circuitId(), c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO circuit_opt_ins (tx_hash, log_index, block_number, prover, circuit_id, opted_in) "
                            + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, event.txHash());
                ps.setInt(2, event.logIndex());
                ps.setLong(3, event.blockNumber());
                ps.setString(4, event.prover());
                ps.setBigDecimal(5, dec(event.circuitId()));
                ps.setBoolean(6, event.optedIn());
                return ps.executeUpdate() > 0;
            }
        });
    }

    /**
     * @param prover a prover address
     * @return the circuits the prover is opted into (its latest event per circuit is an opt-in), by id
     * @throws StoreException if the address is malformed, or on a database failure
     */
    public List<BigInteger> optedInCircuits(String prover) {
        String p = Values.address("prover", prover);
        return optedInCircuitsOf(List.of(p)).getOrDefault(p, List.of());
    }

    /**
     * The circuits of several provers in one query (what a page of provers needs).
     *
     * @param provers prover addresses
     * @return each prover that is opted into something, with its circuits by id (a prover opted into nothing is absent)
     * @throws StoreException if an address is malformed, or on a database failure
     */
    public Map<String, List<BigInteger>> optedInCircuitsOf(List<String> provers) {
        String[] addresses = provers.stream().map(a -> Values.address("prover", a)).toArray(String[]::new);
        return sql("reading circuits of " + addresses.length + " provers", c -> {
            Map<String, List<BigInteger>> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT prover, circuit_id FROM (SELECT DISTINCT ON (prover, circuit_id) prover, circuit_id, opted_in "
                            + "FROM circuit_opt_ins WHERE prover = ANY (?) "
                            + "ORDER BY prover, circuit_id, block_number DESC, log_index DESC) latest "
                            + "WHERE opted_in ORDER BY prover, circuit_id")) {
                ps.setArray(1, c.createArrayOf("text", addresses));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(big(rs, 2));
                    }
                }
            }
            return out;
        });
    }

    /**
     * @param circuitId a circuit id
     * @return the provers opted into the circuit (their latest event for it is an opt-in), by address;
     *         eligibility also needs a bond, no jail and, with correlated slashing, a committee slice
     * @throws StoreException on a database failure
     */
    public List<String> optedInProvers(BigInteger circuitId) {
        Values.uint256("circuitId", circuitId);
        return sql("reading provers of circuit " + circuitId, c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT prover FROM (SELECT DISTINCT ON (prover) prover, opted_in FROM circuit_opt_ins "
                            + "WHERE circuit_id = ? ORDER BY prover, block_number DESC, log_index DESC) latest "
                            + "WHERE opted_in ORDER BY prover")) {
                ps.setBigDecimal(1, dec(circuitId));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    // ============================================================================================
    // slots

    /**
     * Stores a newly opened slot (state {@link SlotState#OPEN}: no designate yet).
     *
     * @param slot the {@code SlotOpened} fields
     * @return true if stored now, false if that slot id or event was already stored
     * @throws StoreException on a database failure
     */
    public boolean insertSlotOpened(SlotOpenedRow slot) {
        Objects.requireNonNull(slot, "slot");
        return sql("inserting slot " + slot.slotId(), c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO slots (slot_id, circuit_id, requester, eligible_count, mixing_probability, "
                            + "proof_price, escrow, committee_prize, bond_at_risk, prove_window, draw_block, payload, "
                            + "fixed_inputs, state, opened_tx, opened_log_index, opened_block) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'OPEN', ?, ?, ?) ON CONFLICT DO NOTHING")) {
                int i = 1;
                ps.setBigDecimal(i++, dec(slot.slotId()));
                ps.setBigDecimal(i++, dec(slot.circuitId()));
                ps.setString(i++, slot.requester());
                ps.setInt(i++, slot.eligibleCount());
                ps.setBigDecimal(i++, dec(slot.mixingProbability()));
                ps.setBigDecimal(i++, dec(slot.proofPrice()));
                ps.setBigDecimal(i++, dec(slot.escrow()));
                ps.setBigDecimal(i++, dec(slot.committeePrize()));
                ps.setBigDecimal(i++, dec(slot.bondAtRisk()));
                ps.setLong(i++, slot.proveWindow());
                ps.setLong(i++, slot.drawBlock());
                byte[] payload = slot.payload();
                if (payload == null) {
                    ps.setNull(i++, Types.BINARY);
                } else {
                    ps.setBytes(i++, payload);
                }
                ps.setArray(i++, numericArray(c, slot.fixedInputs()));
                ps.setString(i++, slot.txHash());
                ps.setInt(i++, slot.logIndex());
                ps.setLong(i, slot.blockNumber());
                return ps.executeUpdate() > 0;
            }
        });
    }

    /**
     * Records a slot's draw (state {@link SlotState#OPEN} becomes {@link SlotState#DRAWN}): its designate,
     * seed and deadline.
     *
     * @param drawn the {@code SlotDrawn} fields
     * @return true if the slot was open and is now drawn; false if this very event was already applied
     *         (a replay)
     * @throws StoreException if the slot is not stored, if it was drawn by a different event or cancelled,
     *                        or on a database failure
     */
    public boolean markDrawn(SlotDrawnRow drawn) {
        Objects.requireNonNull(drawn, "drawn");
        return sql("recording the draw of slot " + drawn.slotId(), c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE slots SET state = 'DRAWN', designate = ?, seed = ?, deadline = ?, drawn_tx = ?, "
                            + "drawn_log_index = ?, drawn_block = ? WHERE slot_id = ? AND state = 'OPEN'")) {
                int i = 1;
                ps.setString(i++, drawn.designate());
                ps.setString(i++, drawn.seed());
                ps.setLong(i++, drawn.deadline());
                ps.setString(i++, drawn.txHash());
                ps.setInt(i++, drawn.logIndex());
                ps.setLong(i++, drawn.blockNumber());
                ps.setBigDecimal(i, dec(drawn.slotId()));
                if (ps.executeUpdate() > 0) {
                    return true;
                }
            }
            return replayOrConflict(c, drawn.slotId(), "drawn", "drawn_tx", "drawn_log_index", drawn.txHash(), drawn.logIndex());
        });
    }

    /**
     * Records the cancellation of a slot nobody was drawn for (state {@link SlotState#OPEN} becomes
     * {@link SlotState#CANCELLED}).
     *
     * @param cancelled the {@code SlotCancelled} fields
     * @return true if the slot was open and is now cancelled; false if this very event was already applied
     * @throws StoreException if the slot is not stored, if it was drawn or cancelled by a different event,
     *                        or on a database failure
     */
    public boolean markCancelled(SlotCancelledRow cancelled) {
        Objects.requireNonNull(cancelled, "cancelled");
        return sql("cancelling slot " + cancelled.slotId(), c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE slots SET state = 'CANCELLED', cancelled_tx = ?, cancelled_log_index = ?, cancelled_block = ?, "
                            + "no_candidate = ?, cancel_refunded = ? WHERE slot_id = ? AND state = 'OPEN'")) {
                int i = 1;
                ps.setString(i++, cancelled.txHash());
                ps.setInt(i++, cancelled.logIndex());
                ps.setLong(i++, cancelled.blockNumber());
                ps.setBoolean(i++, cancelled.noCandidate());
                ps.setBigDecimal(i++, dec(cancelled.refunded()));
                ps.setBigDecimal(i, dec(cancelled.slotId()));
                if (ps.executeUpdate() > 0) {
                    return true;
                }
            }
            return replayOrConflict(c, cancelled.slotId(), "cancelled", "cancelled_tx", "cancelled_log_index",
                    cancelled.txHash(), cancelled.logIndex());
        });
    }

    /**
     * Records a slot's settlement (state {@link SlotState#DRAWN} becomes {@link SlotState#SETTLED}).
     *
     * @param settled the {@code SlotSettled} fields
     * @return true if the slot was drawn and is now settled; false if this very event was already
     *         applied (a replay)
     * @throws StoreException if the slot is not stored, if it was settled by a different event, if it
     *                        was never drawn, or on a database failure
     */
    public boolean markSettled(SlotSettledRow settled) {
        Objects.requireNonNull(settled, "settled");
        return sql("settling slot " + settled.slotId(), c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE slots SET state = 'SETTLED', settled_tx = ?, settled_log_index = ?, settled_block = ?, "
                            + "designate_delivered = ?, committee_deliveries = ?, designate_payout = ?, "
                            + "committee_payout_each = ?, refunded = ?, slashed = ? "
                            + "WHERE slot_id = ? AND state = 'DRAWN'")) {
                int i = 1;
                ps.setString(i++, settled.txHash());
                ps.setInt(i++, settled.logIndex());
                ps.setLong(i++, settled.blockNumber());
                ps.setBoolean(i++, settled.designateDelivered());
                ps.setInt(i++, settled.committeeDeliveries());
                ps.setBigDecimal(i++, dec(settled.designatePayout()));
                ps.setBigDecimal(i++, dec(settled.committeePayoutEach()));
                ps.setBigDecimal(i++, dec(settled.refunded()));
                ps.setBigDecimal(i++, dec(settled.slashed()));
                ps.setBigDecimal(i, dec(settled.slotId()));
                if (ps.executeUpdate() > 0) {
                    return true;
                }
            }
            return replayOrConflict(c, settled.slotId(), "settled", "settled_tx", "settled_log_index", settled.txHash(),
                    settled.logIndex());
        });
    }

    /**
     * After an update that changed nothing: false if the slot already carries this very event (a
     * replay), else a {@link StoreException} that says why the slot cannot take it.
     */
    private static boolean replayOrConflict(Connection c, BigInteger slotId, String what, String txColumn,
                                            String logColumn, String txHash, int logIndex) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + txColumn + ", " + logColumn + ", state FROM slots WHERE slot_id = ?")) {
            ps.setBigDecimal(1, dec(slotId));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new StoreException("Cannot mark slot " + slotId + " " + what + ": it is not stored");
                }
                String tx = rs.getString(1);
                if (tx == null) {
                    throw new StoreException("Cannot mark slot " + slotId + " " + what + ": it is " + rs.getString(3));
                }
                if (txHash.equals(tx) && logIndex == rs.getInt(2)) {
                    return false;
                }
                throw new StoreException("Slot " + slotId + " was already " + what + " by " + tx + "#" + rs.getInt(2)
                        + ", not by " + txHash + "#" + logIndex);
            }
        }
    }

    /**
     * @param slotId a slot id
     * @return the slot with its draw, settlement or cancellation, deliveries and payouts, or empty if not stored
     * @throws StoreException on a database failure
     */
    public Optional<SlotView> findSlot(BigInteger slotId) {
        Values.uint256("slotId", slotId);
        return sql("reading slot " + slotId, c -> {
            List<SlotView> views = slotViews(c, SLOT_COLUMNS + " WHERE slot_id = ?", ps -> ps.setBigDecimal(1, dec(slotId)));
            return views.stream().findFirst();
        });
    }

    /**
     * Lists slots newest first (by opening block, then log index).
     *
     * @param limit  at most this many, 1..1000
     * @param offset skip this many, &gt;= 0
     * @return the slots with their draws, settlements, cancellations, deliveries and payouts
     * @throws StoreException if the arguments are out of range, or on a database failure
     */
    public List<SlotView> listSlots(int limit, int offset) {
        checkPage(limit, offset);
        return sql("listing slots", c -> slotViews(c,
                SLOT_COLUMNS + " ORDER BY opened_block DESC, opened_log_index DESC LIMIT ? OFFSET ?", ps -> {
                    ps.setInt(1, limit);
                    ps.setInt(2, offset);
                }));
    }

    /**
     * Lists drawn slots whose deadline has passed, for the settlement keeper, earliest deadline first.
     *
     * @param nowSeconds the current time, unix seconds; drawn slots with {@code deadline < nowSeconds} are due
     * @param limit      at most this many, 1..1000
     * @return the due slots
     * @throws StoreException if the arguments are out of range, or on a database failure
     */
    public List<SlotView> openSlotsDue(long nowSeconds, int limit) {
        checkPage(limit, 0);
        return sql("listing due slots", c -> slotViews(c,
                SLOT_COLUMNS + " WHERE state = 'DRAWN' AND deadline < ? ORDER BY deadline, slot_id LIMIT ?", ps -> {
                    ps.setLong(1, nowSeconds);
                    ps.setInt(2, limit);
                }));
    }

    /**
     * Lists slots that wait for a draw (state {@link SlotState#OPEN}), earliest draw block first, for the
     * keeper that draws them, or cancels them once their draw block's hash is out of reach.
     *
     * @param limit at most this many, 1..1000
     * @return the undrawn slots
     * @throws StoreException if the argument is out of range, or on a database failure
     */
    public List<SlotView> undrawnSlots(int limit) {
        checkPage(limit, 0);
        return sql("listing undrawn slots", c -> slotViews(c,
                SLOT_COLUMNS + " WHERE state = 'OPEN' ORDER BY draw_block, slot_id LIMIT ?", ps -> ps.setInt(1, limit)));
    }

    /**
     * @return the number of slots stored
     * @throws StoreException on a database failure
     */
    public long countSlots() {
        return sql("counting slots", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM slots");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static void checkPage(int limit, int offset) {
        if (limit < 1 || limit > 1000) {
            throw new StoreException("limit must be in 1..1000, got " + limit);
        }
        if (offset < 0) {
            throw new StoreException("offset must be >= 0, got " + offset);
        }
    }

    private static final String SLOT_COLUMNS =
            "SELECT slot_id, circuit_id, requester, designate, eligible_count, mixing_probability, proof_price, "
                    + "escrow, committee_prize, bond_at_risk, deadline, seed, payload, fixed_inputs, state, "
                    + "opened_tx, opened_log_index, opened_block, settled_tx, settled_log_index, settled_block, "
                    + "designate_delivered, committee_deliveries, designate_payout, committee_payout_each, "
                    + "refunded, slashed, prove_window, draw_block, drawn_tx, drawn_log_index, drawn_block, "
                    + "cancelled_tx, cancelled_log_index, cancelled_block, no_candidate, cancel_refunded FROM slots";

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<SlotView> slotViews(Connection c, String query, Binder binder) throws SQLException {
        Map<BigInteger, Object[]> slots = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(query)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    SlotOpenedRow opened = new SlotOpenedRow(rs.getString(16), rs.getInt(17), rs.getLong(18),
                            big(rs, 1), big(rs, 2), rs.getString(3), rs.getInt(5), big(rs, 6),
                            big(rs, 7), big(rs, 8), big(rs, 9), big(rs, 10), rs.getLong(28), rs.getLong(29),
                            rs.getBytes(13), bigList(rs.getArray(14)));
                    SlotState state = SlotState.valueOf(rs.getString(15));
                    SlotDrawnRow drawn = rs.getString(30) == null ? null
                            : new SlotDrawnRow(rs.getString(30), rs.getInt(31), rs.getLong(32), opened.slotId(),
                            rs.getString(4), rs.getString(12), rs.getLong(11));
                    SlotSettledRow settled = rs.getString(19) == null ? null
                            : new SlotSettledRow(rs.getString(19), rs.getInt(20), rs.getLong(21), opened.slotId(),
                            rs.getBoolean(22), rs.getInt(23), big(rs, 24), big(rs, 25), big(rs, 26), big(rs, 27));
                    SlotCancelledRow cancelled = rs.getString(33) == null ? null
                            : new SlotCancelledRow(rs.getString(33), rs.getInt(34), rs.getLong(35), opened.slotId(),
                            rs.getBoolean(36), big(rs, 37));
                    slots.put(opened.slotId(), new Object[] {state, opened, drawn, settled, cancelled});
                }
            }
        }
        if (slots.isEmpty()) {
            return List.of();
        }
        Map<BigInteger, List<DeliveryRow>> deliveries = new LinkedHashMap<>();
        Map<BigInteger, List<PayoutRow>> payouts = new LinkedHashMap<>();
        Array ids = numericArray(c, List.copyOf(slots.keySet()));
        try (PreparedStatement ps = c.prepareStatement(DELIVERY_COLUMNS
                + " WHERE slot_id = ANY (?) ORDER BY block_number, log_index")) {
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    DeliveryRow d = delivery(rs);
                    deliveries.computeIfAbsent(d.slotId(), k -> new ArrayList<>()).add(d);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(PAYOUT_COLUMNS
                + " WHERE slot_id = ANY (?) ORDER BY block_number, log_index")) {
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    PayoutRow p = payout(rs);
                    payouts.computeIfAbsent(p.slotId(), k -> new ArrayList<>()).add(p);
                }
            }
        }
        List<SlotView> out = new ArrayList<>(slots.size());
        for (Map.Entry<BigInteger, Object[]> e : slots.entrySet()) {
            Object[] v = e.getValue();
            out.add(new SlotView((SlotState) v[0], (SlotOpenedRow) v[1], (SlotDrawnRow) v[2], (SlotSettledRow) v[3],
                    (SlotCancelledRow) v[4], deliveries.getOrDefault(e.getKey(), List.of()),
                    payouts.getOrDefault(e.getKey(), List.of())));
        }
        return out;
    }

    // ============================================================================================
    // deliveries, payouts, slashes, claims

    /**
     * Stores an accepted proof.
     *
     * @param delivery the {@code ProofSubmitted} fields; its slot must be stored
     * @return true if stored now, false if that event was already stored
     * @throws StoreException if the slot is not stored, or on a database failure
     */
    public boolean recordDelivery(DeliveryRow delivery) {
        Objects.requireNonNull(delivery, "delivery");
        return sql("recording delivery for slot " + delivery.slotId(), c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO deliveries (tx_hash, log_index, block_number, slot_id, prover, is_designate, outputs, "
                            + "gas_used) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, delivery.txHash());
                ps.setInt(2, delivery.logIndex());
                ps.setLong(3, delivery.blockNumber());
                ps.setBigDecimal(4, dec(delivery.slotId()));
                ps.setString(5, delivery.prover());
                ps.setBoolean(6, delivery.designate());
                ps.setArray(7, numericArray(c, delivery.outputs()));
                ps.setLong(8, delivery.gasUsed());
                return ps.executeUpdate() > 0;
            }
        });
    }

    /**
     * @param slotId a slot id
     * @return its deliveries in chain order (empty if none or if the slot is unknown)
     * @throws StoreException on a database failure
     */
    public List<DeliveryRow> deliveriesOf(BigInteger slotId) {
        Values.uint256("slotId", slotId);
        return sql("reading deliveries of slot " + slotId, c -> {
            List<DeliveryRow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(DELIVERY_COLUMNS
                    + " WHERE slot_id = ? ORDER BY block_number, log_index")) {
                ps.setBigDecimal(1, dec(slotId));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(delivery(rs));
                    }
                }
            }
            return out;
        });
    }

    private static final String DELIVERY_COLUMNS =
            "SELECT tx_hash, log_index, block_number, slot_id, prover, is_designate, outputs, gas_used FROM deliveries";

    private static DeliveryRow delivery(ResultSet rs) throws SQLException {
        return new DeliveryRow(rs.getString(1), rs.getInt(2), rs.getLong(3), big(rs, 4), rs.getString(5),
                rs.getBoolean(6), bigList(rs.getArray(7)), rs.getLong(8));
    }

    /**
     * Stores an amount credited by a settlement, a committee credit or a cancellation (the escrow refund).
     *
     * @param payout the credit; its slot must be stored
     * @return true if stored now, false if that event was already stored
     * @throws StoreException if the slot is not stored, or on a database failure
     */
    public boolean insertPayout(PayoutRow payout) {
        Objects.requireNonNull(payout, "payout");
        return sql("inserting payout for slot " + payout.slotId(), c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO payouts (tx_hash, log_index, block_number, slot_id, account, amount, kind) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, payout.txHash());
                ps.setInt(2, payout.logIndex());
                ps.setLong(3, payout.blockNumber());
                ps.setBigDecimal(4, dec(payout.slotId()));
                ps.setString(5, payout.account());
                ps.setBigDecimal(6, dec(payout.amount()));
                ps.setString(7, payout.kind());
                return ps.executeUpdate() > 0;
            }
        });
    }

    /**
     * @param slotId a slot id
     * @return its payouts in chain order (empty if none)
     * @throws StoreException on a database failure
     */
    public List<PayoutRow> payoutsOf(BigInteger slotId) {
        Values.uint256("slotId", slotId);
        return sql("reading payouts of slot " + slotId, c -> {
            List<PayoutRow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(PAYOUT_COLUMNS
                    + " WHERE slot_id = ? ORDER BY block_number, log_index")) {
                ps.setBigDecimal(1, dec(slotId));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(payout(rs));
                    }
                }
            }
            return out;
        });
    }

    private static final String PAYOUT_COLUMNS =
            "SELECT tx_hash, log_index, block_number, slot_id, account, amount, kind FROM payouts";

    private static PayoutRow payout(ResultSet rs) throws SQLException {
        return new PayoutRow(rs.getString(1), rs.getInt(2), rs.getLong(3), big(rs, 4), rs.getString(5),
                big(rs, 6), rs.getString(7));
    }

    /**
     * Stores a slash of a designate's bond.
     *
     * @param slash the slash; its slot must be stored
     * @return true if stored now, false if that event was already stored
     * @throws StoreException if the slot is not stored, or on a database failure
     */
    public boolean insertSlash(SlashRow slash) {
        Objects.requireNonNull(slash, "slash");
        return sql("inserting slash for slot " + slash.slotId(), c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO slashes (tx_hash, log_index, block_number, slot_id, prover, amount, recipient) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, slash.txHash());
                ps.setInt(2, slash.logIndex());
                ps.setLong(3, slash.blockNumber());
                ps.setBigDecimal(4, dec(slash.slotId()));
                ps.setString(5, slash.prover());
                ps.setBigDecimal(6, dec(slash.amount()));
                ps.setString(7, slash.recipient());
                return ps.executeUpdate() > 0;
            }
        });
    }

    /**
     * @param slotId a slot id
     * @return its slashes in chain order (empty if none)
     * @throws StoreException on a database failure
     */
    public List<SlashRow> slashesOf(BigInteger slotId) {
        Values.uint256("slotId", slotId);
        return sql("reading slashes of slot " + slotId, c -> {
            List<SlashRow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT tx_hash, log_index, block_number, slot_id, prover, amount, recipient FROM slashes "
                            + "WHERE slot_id = ? ORDER BY block_number, log_index")) {
                ps.setBigDecimal(1, dec(slotId));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new SlashRow(rs.getString(1), rs.getInt(2), rs.getLong(3), big(rs, 4),
                                rs.getString(5), big(rs, 6), rs.getString(7)));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Stores a withdrawal of credited payouts.
     *
     * @param claim the claim
     * @return true if stored now, false if that event was already stored
     * @throws StoreException on a database failure
     */
    public boolean recordClaim(ClaimRow claim) {
        Objects.requireNonNull(claim, "claim");
        return sql("recording claim of " + claim.account(), c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO claims (tx_hash, log_index, block_number, account, amount) "
                            + "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, claim.txHash());
                ps.setInt(2, claim.logIndex());
                ps.setLong(3, claim.blockNumber());
                ps.setString(4, claim.account());
                ps.setBigDecimal(5, dec(claim.amount()));
                return ps.executeUpdate() > 0;
            }
        });
    }

    /**
     * @param account an address
     * @return its claims in chain order
     * @throws StoreException if the address is malformed, or on a database failure
     */
    public List<ClaimRow> claimsOf(String account) {
        String a = Values.address("account", account);
        return sql("reading claims of " + a, c -> {
            List<ClaimRow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT tx_hash, log_index, block_number, account, amount FROM claims "
                            + "WHERE account = ? ORDER BY block_number, log_index")) {
                ps.setString(1, a);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ClaimRow(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getString(4), big(rs, 5)));
                    }
                }
            }
            return out;
        });
    }

    /**
     * @param account an address
     * @return the sum of the amounts credited to it (payouts), ERC-20 base units
     * @throws StoreException if the address is malformed, or on a database failure
     */
    public BigInteger credited(String account) {
        return sumFor("payouts", account);
    }

    /**
     * @param account an address
     * @return the sum of its claims, ERC-20 base units
     * @throws StoreException if the address is malformed, or on a database failure
     */
    public BigInteger claimed(String account) {
        return sumFor("claims", account);
    }

    private BigInteger sumFor(String table, String account) {
        String a = Values.address("account", account);
        return sql("summing " + table + " of " + a, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(sum(amount), 0) FROM " + table + " WHERE account = ?")) {
                ps.setString(1, a);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return big(rs, 1);
                }
            }
        });
    }

    /**
     * The amount an account has been credited and not yet claimed, as far as the index knows:
     * sum of its payouts minus sum of its claims (never below zero).
     *
     * @param account an address
     * @return the unclaimed amount, ERC-20 base units
     * @throws StoreException if the address is malformed, or on a database failure
     */
    public BigInteger unclaimed(String account) {
        String a = Values.address("account", account);
        return sql("computing unclaimed balance of " + a, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT GREATEST(0, COALESCE((SELECT sum(amount) FROM payouts WHERE account = ?), 0) "
                            + "- COALESCE((SELECT sum(amount) FROM claims WHERE account = ?), 0))")) {
                ps.setString(1, a);
                ps.setString(2, a);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return big(rs, 1);
                }
            }
        });
    }

    // ============================================================================================
    // conversions

    private static BigDecimal dec(BigInteger v) {
        return new BigDecimal(v);
    }

    private static BigInteger big(ResultSet rs, int column) throws SQLException {
        BigDecimal d = rs.getBigDecimal(column);
        return d == null ? null : d.toBigIntegerExact();
    }

    private static Array numericArray(Connection c, List<BigInteger> values) throws SQLException {
        BigDecimal[] a = new BigDecimal[values.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = new BigDecimal(values.get(i));
        }
        return c.createArrayOf("numeric", a);
    }

    private static List<BigInteger> bigList(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        Object[] values = (Object[]) array.getArray();
        List<BigInteger> out = new ArrayList<>(values.length);
        for (Object v : values) {
            out.add(((BigDecimal) v).toBigIntegerExact());
        }
        return out;
    }
}
