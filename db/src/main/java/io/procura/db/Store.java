package io.procura.db;

import javax.sql.DataSource;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Access to the Procura schema (the Flyway migrations under {@code db/migration}), split into repositories:
 * {@link #cursors()} (the index's binding, cursors, block hashes and reorganisation rollback), {@link #provers()}
 * (registrations, bonds, opt-ins), {@link #circuits()} (circuits and their terms), {@link #slots()} (slots and
 * deliveries) and {@link #ledger()} (payouts, slashes, claims). SQL runs through JDBI 3 (jdbi.org), every row mapped
 * by column name.
 *
 * <p>Writes mirror contract events. Every event row is keyed by its (transaction hash, log index),
 * and every insert is {@code ON CONFLICT DO NOTHING}: replaying a block stores nothing twice, and
 * the write methods return {@code true} only when they stored something new.
 *
 * <p>A {@code Store} built on a {@link DataSource} runs each repository call in its own transaction.
 * {@link #inTransaction(Consumer)} hands the work a {@code Store} bound to one connection and one transaction: an
 * indexer writes one block's events and {@link CursorRepository#advanceCursor(String, long, String)} there, so a
 * crash never leaves half a block stored. Such a bound store (and its repositories) must not be used after the work
 * returns. No RPC call belongs inside such a transaction: read the chain first, then write.
 *
 * <p>Values: token amounts are {@link java.math.BigInteger} ERC-20 base units (uint256), the mixing
 * probability is a 1e18-scaled {@link java.math.BigInteger}, addresses and hashes are lowercase 0x hex
 * strings (the row records normalise them), block numbers are {@code long}, deadlines unix seconds.
 * Every failure raises {@link StoreException}. Instances are thread-safe except bound ones.
 */
public final class Store {

    private final Session session;
    private final CursorRepository cursors;
    private final ProverRepository provers;
    private final CircuitRepository circuits;
    private final SlotRepository slots;
    private final LedgerRepository ledger;

    /**
     * Creates a store on a connection pool (normally {@link Database#dataSource()}).
     *
     * @param dataSource a data source on a migrated Procura schema
     */
    public Store(DataSource dataSource) {
        this(Session.pooled(dataSource));
    }

    private Store(Session session) {
        this.session = session;
        this.cursors = new CursorRepository(session);
        this.provers = new ProverRepository(session);
        this.circuits = new CircuitRepository(session);
        this.slots = new SlotRepository(session);
        this.ledger = new LedgerRepository(session);
    }

    /** @return the index's chain binding, cursors, block hashes and rollback */
    public CursorRepository cursors() {
        return cursors;
    }

    /** @return provers, their bond events and states, and their circuit opt-ins */
    public ProverRepository provers() {
        return provers;
    }

    /** @return registered circuits and their terms */
    public CircuitRepository circuits() {
        return circuits;
    }

    /** @return slots through their life cycle, and the proofs delivered for them */
    public SlotRepository slots() {
        return slots;
    }

    /** @return payouts, slashes, claims and balances */
    public LedgerRepository ledger() {
        return ledger;
    }

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
        if (session.isBound()) {
            return session.call("a transaction", h -> work.apply(this));
        }
        try {
            return session.jdbi().inTransaction(h -> {
                Store tx = new Store(session.bind(h));
                try {
                    return work.apply(tx);
                } finally {
                    tx.session.finish();
                }
            });
        } catch (org.jdbi.v3.core.JdbiException e) {
            throw Session.failure("the transaction", e);
        }
    }
}
