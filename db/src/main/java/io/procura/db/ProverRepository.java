package io.procura.db;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Provers and their bonds: registrations ({@code provers}), bond events and the bond state read from the registry
 * after each ({@code bond_events}, {@code bond_state}), and which circuits each prover opted into
 * ({@code circuit_opt_ins}).
 *
 * <p>Obtained from {@link Store#provers()}; thread-safe unless the store is bound to a transaction. Amounts are
 * {@link BigInteger} ERC-20 base units (uint256), addresses lowercase 0x hex. Event rows are keyed by (transaction
 * hash, log index) and stored once: the record methods return {@code true} only when they stored something new.
 * Every failure raises {@link StoreException}.
 */
public final class ProverRepository {

    private static final String VIEW = "SELECT p.address, p.endpoint, p.vrf_key_hash, p.registered_block, b.bond, "
            + "b.locked, b.pending_unbond, b.jailed, b.updated_block FROM provers p "
            + "LEFT JOIN bond_state b ON b.prover = p.address";

    private final Session session;

    ProverRepository(Session session) {
        this.session = session;
    }

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
        return session.call("upserting prover " + prover.address(), h -> h.createUpdate(
                        "INSERT INTO provers (address, endpoint, vrf_key_hash, registered_block, updated_block) "
                                + "VALUES (:address, :endpoint, :vrfKeyHash, :registeredBlock, :registeredBlock) "
                                + "ON CONFLICT (address) DO UPDATE SET endpoint = EXCLUDED.endpoint, "
                                + "vrf_key_hash = EXCLUDED.vrf_key_hash, updated_block = EXCLUDED.updated_block, "
                                + "registered_block = LEAST(provers.registered_block, EXCLUDED.registered_block) "
                                + "WHERE provers.updated_block <= EXCLUDED.updated_block")
                .bindMethods(prover).execute() > 0);
    }

    /**
     * @return every registered prover, by address
     * @throws StoreException on a database failure
     */
    public List<ProverRow> listProvers() {
        return session.call("listing provers", h -> h.createQuery(
                "SELECT address, endpoint, vrf_key_hash, registered_block FROM provers ORDER BY address")
                .map(Rows.PROVER).list());
    }

    /**
     * @return every registered prover with its current bond state (null bond if none stored), by address
     * @throws StoreException on a database failure
     */
    public List<ProverView> listProverViews() {
        return session.call("listing provers", h -> h.createQuery(VIEW + " ORDER BY p.address")
                .map(Rows.PROVER_VIEW).list());
    }

    /**
     * @param limit  at most this many, 1..1000
     * @param offset provers to skip, &gt;= 0
     * @return one page of the registered provers with their bond states, by address
     * @throws StoreException on a bad page or a database failure
     */
    public List<ProverView> listProverViews(int limit, int offset) {
        Rows.checkPage(limit, offset);
        return session.call("listing provers", h -> h.createQuery(VIEW + " ORDER BY p.address LIMIT :limit OFFSET :offset")
                .bind("limit", limit).bind("offset", offset).map(Rows.PROVER_VIEW).list());
    }

    /**
     * @param address a prover address
     * @return the prover with its bond state, or empty if it never registered
     * @throws StoreException if the address is malformed, or on a database failure
     */
    public Optional<ProverView> findProverView(String address) {
        String a = Values.address("address", address);
        return session.call("reading prover " + a, h -> h.createQuery(VIEW + " WHERE p.address = :address")
                .bind("address", a).map(Rows.PROVER_VIEW).findOne());
    }

    /**
     * @return the number of registered provers
     * @throws StoreException on a database failure
     */
    public long countProvers() {
        return session.call("counting provers", h -> h.createQuery("SELECT count(*) FROM provers").mapTo(Long.class).one());
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
        return session.call("recording bond event " + event.txHash() + "#" + event.logIndex(), h -> {
            if (h.createUpdate("INSERT INTO bond_events (tx_hash, log_index, block_number, prover, kind, account, amount) "
                    + "VALUES (:txHash, :logIndex, :blockNumber, :prover, :kind, :account, :amount) ON CONFLICT DO NOTHING")
                    .bindMethods(event).execute() == 0) {
                return false;
            }
            if (after != null) {
                h.createUpdate("INSERT INTO bond_state (prover, bond, locked, pending_unbond, jailed, updated_block, "
                                + "updated_log_index) VALUES (:prover, :bond, :locked, :pendingUnbond, :jailed, :block, "
                                + ":logIndex) ON CONFLICT (prover) DO UPDATE SET bond = EXCLUDED.bond, "
                                + "locked = EXCLUDED.locked, pending_unbond = EXCLUDED.pending_unbond, "
                                + "jailed = EXCLUDED.jailed, updated_block = EXCLUDED.updated_block, "
                                + "updated_log_index = EXCLUDED.updated_log_index "
                                + "WHERE (bond_state.updated_block, bond_state.updated_log_index) "
                                + "< (EXCLUDED.updated_block, EXCLUDED.updated_log_index)")
                        .bindMethods(after).bind("block", event.blockNumber()).bind("logIndex", event.logIndex())
                        .execute();
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
        return session.call("reading bond state of " + p, h -> h.createQuery(
                        "SELECT prover, bond, locked, pending_unbond, jailed, updated_block FROM bond_state "
                                + "WHERE prover = :prover")
                .bind("prover", p).map(Rows.BOND_STATE).findOne());
    }

    /**
     * @param block a block number
     * @return the provers whose stored bond state was read after {@code block} (what a rollback to it must restore:
     *         {@link CursorRepository#rollBackTo}), by address
     * @throws StoreException on a database failure
     */
    public List<String> proversWithBondStateAfter(long block) {
        return session.call("listing bond states after block " + block, h -> h.createQuery(
                        "SELECT prover FROM bond_state WHERE updated_block > :block ORDER BY prover")
                .bind("block", block).mapTo(String.class).list());
    }

    /**
     * @param prover a prover address
     * @return its bond events in chain order (block, log index)
     * @throws StoreException if the address is malformed, or on a database failure
     */
    public List<BondEventRow> bondEventsOf(String prover) {
        String p = Values.address("prover", prover);
        return session.call("reading bond events of " + p, h -> h.createQuery(
                        "SELECT tx_hash, log_index, block_number, prover, kind, account, amount FROM bond_events "
                                + "WHERE prover = :prover ORDER BY block_number, log_index")
                .bind("prover", p).map(Rows.BOND_EVENT).list());
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
        return session.call("recording opt-in of " + event.prover() + " to circuit " + event.circuitId(), h -> h.createUpdate(
                        "INSERT INTO circuit_opt_ins (tx_hash, log_index, block_number, prover, circuit_id, opted_in) "
                                + "VALUES (:txHash, :logIndex, :blockNumber, :prover, :circuitId, :optedIn) "
                                + "ON CONFLICT DO NOTHING")
                .bindMethods(event).execute() > 0);
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
        List<String> addresses = provers.stream().map(a -> Values.address("prover", a)).toList();
        return session.call("reading circuits of " + addresses.size() + " provers", h -> {
            Map<String, List<BigInteger>> out = new LinkedHashMap<>();
            h.createQuery("SELECT prover, circuit_id FROM (SELECT DISTINCT ON (prover, circuit_id) prover, circuit_id, "
                            + "opted_in FROM circuit_opt_ins WHERE prover = ANY (:provers) "
                            + "ORDER BY prover, circuit_id, block_number DESC, log_index DESC) latest "
                            + "WHERE opted_in ORDER BY prover, circuit_id")
                    .bindArray("provers", String.class, addresses)
                    .map((rs, ctx) -> Map.entry(rs.getString("prover"), Rows.big(rs, "circuit_id")))
                    .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new java.util.ArrayList<>()).add(e.getValue()));
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
        return session.call("reading provers of circuit " + circuitId, h -> h.createQuery(
                        "SELECT prover FROM (SELECT DISTINCT ON (prover) prover, opted_in FROM circuit_opt_ins "
                                + "WHERE circuit_id = :circuitId ORDER BY prover, block_number DESC, log_index DESC) latest "
                                + "WHERE opted_in ORDER BY prover")
                .bind("circuitId", circuitId).mapTo(String.class).list());
    }
}
