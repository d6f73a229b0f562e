package io.procura.db;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Slots through their life cycle ({@code slots}: opened, drawn, then settled or cancelled) and the proofs delivered
 * for them ({@code deliveries}).
 *
 * <p>Obtained from {@link Store#slots()}; thread-safe unless the store is bound to a transaction. Slot and circuit ids
 * and amounts are {@link BigInteger} (uint256; amounts in ERC-20 base units), the mixing probability 1e18-scaled,
 * deadlines unix seconds, addresses lowercase 0x hex. Each event is applied once: a replay of the same event returns
 * {@code false}, a different event for the same transition raises {@link StoreException}, as does every failure.
 */
public final class SlotRepository {

    private static final String COLUMNS = "SELECT slot_id, circuit_id, requester, designate, eligible_count, "
            + "mixing_probability, proof_price, escrow, committee_prize, bond_at_risk, deadline, seed, payload, "
            + "fixed_inputs, state, opened_tx, opened_log_index, opened_block, settled_tx, settled_log_index, "
            + "settled_block, designate_delivered, committee_deliveries, designate_payout, committee_payout_each, "
            + "refunded, slashed, prove_window, draw_block, drawn_tx, drawn_log_index, drawn_block, cancelled_tx, "
            + "cancelled_log_index, cancelled_block, no_candidate, cancel_refunded FROM slots";

    private static final String DELIVERY_COLUMNS =
            "SELECT tx_hash, log_index, block_number, slot_id, prover, is_designate, outputs, gas_used FROM deliveries";

    private final Session session;

    SlotRepository(Session session) {
        this.session = session;
    }

    /**
     * Stores a newly opened slot (state {@link SlotState#OPEN}: no designate yet).
     *
     * @param slot the {@code SlotOpened} fields
     * @return true if stored now, false if that slot id or event was already stored
     * @throws StoreException on a database failure
     */
    public boolean insertSlotOpened(SlotOpenedRow slot) {
        Objects.requireNonNull(slot, "slot");
        return session.call("inserting slot " + slot.slotId(), h -> h.createUpdate(
                        "INSERT INTO slots (slot_id, circuit_id, requester, eligible_count, mixing_probability, "
                                + "proof_price, escrow, committee_prize, bond_at_risk, prove_window, draw_block, payload, "
                                + "fixed_inputs, state, opened_tx, opened_log_index, opened_block) VALUES (:slotId, "
                                + ":circuitId, :requester, :eligibleCount, :mixingProbability, :proofPrice, :escrow, "
                                + ":committeePrize, :bondAtRisk, :proveWindow, :drawBlock, :payloadBytes, :fixedInputArray, "
                                + "'OPEN', :txHash, :logIndex, :blockNumber) ON CONFLICT DO NOTHING")
                .bindMethods(slot)
                .bindByType("payloadBytes", slot.payload(), byte[].class)
                .bindArray("fixedInputArray", BigInteger.class, slot.fixedInputs())
                .execute() > 0);
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
        return session.call("recording the draw of slot " + drawn.slotId(), h -> h.createUpdate(
                        "UPDATE slots SET state = 'DRAWN', designate = :designate, seed = :seed, deadline = :deadline, "
                                + "drawn_tx = :txHash, drawn_log_index = :logIndex, drawn_block = :blockNumber "
                                + "WHERE slot_id = :slotId AND state = 'OPEN'")
                .bindMethods(drawn).execute() > 0
                || replayOrConflict(h, drawn.slotId(), "drawn", "drawn", drawn.txHash(), drawn.logIndex()));
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
        return session.call("cancelling slot " + cancelled.slotId(), h -> h.createUpdate(
                        "UPDATE slots SET state = 'CANCELLED', cancelled_tx = :txHash, cancelled_log_index = :logIndex, "
                                + "cancelled_block = :blockNumber, no_candidate = :noCandidate, "
                                + "cancel_refunded = :refunded WHERE slot_id = :slotId AND state = 'OPEN'")
                .bindMethods(cancelled).execute() > 0
                || replayOrConflict(h, cancelled.slotId(), "cancelled", "cancelled", cancelled.txHash(),
                cancelled.logIndex()));
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
        return session.call("settling slot " + settled.slotId(), h -> h.createUpdate(
                        "UPDATE slots SET state = 'SETTLED', settled_tx = :txHash, settled_log_index = :logIndex, "
                                + "settled_block = :blockNumber, designate_delivered = :designateDelivered, "
                                + "committee_deliveries = :committeeDeliveries, designate_payout = :designatePayout, "
                                + "committee_payout_each = :committeePayoutEach, refunded = :refunded, slashed = :slashed "
                                + "WHERE slot_id = :slotId AND state = 'DRAWN'")
                .bindMethods(settled).execute() > 0
                || replayOrConflict(h, settled.slotId(), "settled", "settled", settled.txHash(), settled.logIndex()));
    }

    /**
     * After an update that changed nothing: false if the slot already carries this very event (a
     * replay), else a {@link StoreException} that says why the slot cannot take it.
     *
     * @param prefix the column prefix of the transition ({@code drawn}, {@code settled}, {@code cancelled})
     */
    private static boolean replayOrConflict(Handle h, BigInteger slotId, String what, String prefix, String txHash,
                                            int logIndex) {
        record Applied(String tx, Integer logIndex, String state) {
        }
        Applied a = h.createQuery("SELECT " + prefix + "_tx AS tx, " + prefix + "_log_index AS log_index, state "
                        + "FROM slots WHERE slot_id = :slotId")
                .bind("slotId", slotId)
                .map((rs, ctx) -> new Applied(rs.getString("tx"), (Integer) rs.getObject("log_index"), rs.getString("state")))
                .findOne()
                .orElseThrow(() -> new StoreException("Cannot mark slot " + slotId + " " + what + ": it is not stored"));
        if (a.tx() == null) {
            throw new StoreException("Cannot mark slot " + slotId + " " + what + ": it is " + a.state());
        }
        if (txHash.equals(a.tx()) && logIndex == a.logIndex()) {
            return false;
        }
        throw new StoreException("Slot " + slotId + " was already " + what + " by " + a.tx() + "#" + a.logIndex()
                + ", not by " + txHash + "#" + logIndex);
    }

    /**
     * @param slotId a slot id
     * @return the slot with its draw, settlement or cancellation, deliveries and payouts, or empty if not stored
     * @throws StoreException on a database failure
     */
    public Optional<SlotView> findSlot(BigInteger slotId) {
        Values.uint256("slotId", slotId);
        return session.call("reading slot " + slotId, h -> views(h, h.createQuery(COLUMNS + " WHERE slot_id = :slotId")
                .bind("slotId", slotId)).stream().findFirst());
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
        Rows.checkPage(limit, offset);
        return session.call("listing slots", h -> views(h, h.createQuery(COLUMNS
                        + " ORDER BY opened_block DESC, opened_log_index DESC LIMIT :limit OFFSET :offset")
                .bind("limit", limit).bind("offset", offset)));
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
        Rows.checkPage(limit, 0);
        return session.call("listing due slots", h -> views(h, h.createQuery(COLUMNS
                        + " WHERE state = 'DRAWN' AND deadline < :now ORDER BY deadline, slot_id LIMIT :limit")
                .bind("now", nowSeconds).bind("limit", limit)));
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
        Rows.checkPage(limit, 0);
        return session.call("listing undrawn slots", h -> views(h, h.createQuery(COLUMNS
                + " WHERE state = 'OPEN' ORDER BY draw_block, slot_id LIMIT :limit").bind("limit", limit)));
    }

    /**
     * @return the number of slots stored
     * @throws StoreException on a database failure
     */
    public long countSlots() {
        return session.call("counting slots", h -> h.createQuery("SELECT count(*) FROM slots").mapTo(Long.class).one());
    }

    /** The slots a query selects, each with its deliveries and payouts (two more queries for the whole page). */
    private static List<SlotView> views(Handle h, Query query) {
        List<SlotView> slots = query.map(Rows.SLOT).list();
        if (slots.isEmpty()) {
            return List.of();
        }
        List<BigInteger> ids = slots.stream().map(s -> s.opened().slotId()).toList();
        Map<BigInteger, List<DeliveryRow>> deliveries = bySlot(h.createQuery(DELIVERY_COLUMNS
                + " WHERE slot_id = ANY (:ids) ORDER BY block_number, log_index")
                .bindArray("ids", BigInteger.class, ids).map(Rows.DELIVERY).list(), DeliveryRow::slotId);
        Map<BigInteger, List<PayoutRow>> payouts = bySlot(h.createQuery(LedgerRepository.PAYOUT_COLUMNS
                + " WHERE slot_id = ANY (:ids) ORDER BY block_number, log_index")
                .bindArray("ids", BigInteger.class, ids).map(Rows.PAYOUT).list(), PayoutRow::slotId);
        List<SlotView> out = new ArrayList<>(slots.size());
        for (SlotView s : slots) {
            BigInteger id = s.opened().slotId();
            out.add(new SlotView(s.state(), s.opened(), s.drawn(), s.settlement(), s.cancellation(),
                    deliveries.getOrDefault(id, List.of()), payouts.getOrDefault(id, List.of())));
        }
        return out;
    }

    private static <R> Map<BigInteger, List<R>> bySlot(List<R> rows, Function<R, BigInteger> slotId) {
        Map<BigInteger, List<R>> out = new LinkedHashMap<>();
        for (R r : rows) {
            out.computeIfAbsent(slotId.apply(r), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    /**
     * Stores an accepted proof.
     *
     * @param delivery the {@code ProofSubmitted} fields; its slot must be stored
     * @return true if stored now, false if that event was already stored
     * @throws StoreException if the slot is not stored, or on a database failure
     */
    public boolean recordDelivery(DeliveryRow delivery) {
        Objects.requireNonNull(delivery, "delivery");
        return session.call("recording delivery for slot " + delivery.slotId(), h -> h.createUpdate(
                        "INSERT INTO deliveries (tx_hash, log_index, block_number, slot_id, prover, is_designate, outputs, "
                                + "gas_used) VALUES (:txHash, :logIndex, :blockNumber, :slotId, :prover, :designate, "
                                + ":outputArray, :gasUsed) ON CONFLICT DO NOTHING")
                .bindMethods(delivery)
                .bindArray("outputArray", BigInteger.class, delivery.outputs())
                .execute() > 0);
    }

    /**
     * @param slotId a slot id
     * @return its deliveries in chain order (empty if none or if the slot is unknown)
     * @throws StoreException on a database failure
     */
    public List<DeliveryRow> deliveriesOf(BigInteger slotId) {
        Values.uint256("slotId", slotId);
        return session.call("reading deliveries of slot " + slotId, h -> h.createQuery(DELIVERY_COLUMNS
                        + " WHERE slot_id = :slotId ORDER BY block_number, log_index")
                .bind("slotId", slotId).map(Rows.DELIVERY).list());
    }
}
