package io.procura.db;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Registered circuits ({@code circuits}: verifier, number of fixed inputs and outputs) and the history of their
 * market terms ({@code circuit_terms}: minimum proof price in ERC-20 base units, prove window bounds in seconds).
 *
 * <p>Obtained from {@link Store#circuits()}; thread-safe unless the store is bound to a transaction. Event rows are
 * stored once; the insert methods return {@code true} only when they stored something new. Every failure raises
 * {@link StoreException}.
 */
public final class CircuitRepository {

    private static final String COLUMNS =
            "SELECT id, verifier, num_fixed_inputs, num_outputs, tx_hash, log_index, block_number FROM circuits";

    private final Session session;

    CircuitRepository(Session session) {
        this.session = session;
    }

    /**
     * @param circuit a circuit registration
     * @return true if stored now, false if that circuit id or event was already stored
     * @throws StoreException on a database failure
     */
    public boolean insertCircuit(CircuitRow circuit) {
        Objects.requireNonNull(circuit, "circuit");
        return session.call("inserting circuit " + circuit.id(), h -> h.createUpdate(
                        "INSERT INTO circuits (id, verifier, num_fixed_inputs, num_outputs, tx_hash, log_index, block_number) "
                                + "VALUES (:id, :verifier, :numFixedInputs, :numOutputs, :txHash, :logIndex, :blockNumber) "
                                + "ON CONFLICT DO NOTHING")
                .bindMethods(circuit).execute() > 0);
    }

    /**
     * @param id a circuit id
     * @return the circuit, or empty if not stored
     * @throws StoreException on a database failure
     */
    public Optional<CircuitRow> findCircuit(BigInteger id) {
        Values.uint256("id", id);
        return session.call("reading circuit " + id, h -> h.createQuery(COLUMNS + " WHERE id = :id")
                .bind("id", id).map(Rows.CIRCUIT).findOne());
    }

    /**
     * @return every circuit, by id
     * @throws StoreException on a database failure
     */
    public List<CircuitRow> listCircuits() {
        return session.call("listing circuits", h -> h.createQuery(COLUMNS + " ORDER BY id").map(Rows.CIRCUIT).list());
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
        return session.call("inserting terms of circuit " + terms.circuitId(), h -> h.createUpdate(
                        "INSERT INTO circuit_terms (tx_hash, log_index, block_number, circuit_id, min_proof_price, "
                                + "min_prove_window, max_prove_window, effective_at) VALUES (:txHash, :logIndex, "
                                + ":blockNumber, :circuitId, :minProofPrice, :minProveWindow, :maxProveWindow, "
                                + ":effectiveAt) ON CONFLICT DO NOTHING")
                .bindMethods(terms).execute() > 0);
    }

    /**
     * @param circuitId a circuit id
     * @return every terms change of the circuit, in chain order (the newest last; each applies from its
     *         {@code effectiveAt})
     * @throws StoreException on a database failure
     */
    public List<CircuitTermsRow> circuitTermsOf(BigInteger circuitId) {
        Values.uint256("circuitId", circuitId);
        return session.call("reading terms of circuit " + circuitId, h -> h.createQuery(
                        "SELECT tx_hash, log_index, block_number, circuit_id, min_proof_price, min_prove_window, "
                                + "max_prove_window, effective_at FROM circuit_terms WHERE circuit_id = :circuitId "
                                + "ORDER BY block_number, log_index")
                .bind("circuitId", circuitId).map(Rows.CIRCUIT_TERMS).list());
    }
}
