package io.procura.db;

import org.jdbi.v3.core.mapper.RowMapper;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The row mappers of the repositories: every column read by its name (see the Flyway migrations under
 * {@code db/migration}), never by position, so a query may list its columns in any order.
 */
final class Rows {

    private Rows() {
    }

    static final RowMapper<IndexBinding> BINDING = (rs, ctx) -> new IndexBinding(rs.getLong("chain_id"),
            rs.getString("market"), rs.getLong("deploy_block"), rs.getString("deploy_block_hash"));

    static final RowMapper<IndexedBlock> INDEXED_BLOCK = (rs, ctx) -> new IndexedBlock(rs.getLong("block_number"),
            rs.getString("block_hash"));

    static final RowMapper<ProverRow> PROVER = (rs, ctx) -> new ProverRow(rs.getString("address"),
            rs.getString("endpoint"), rs.getString("vrf_key_hash"), rs.getLong("registered_block"));

    /** A bond state row; a prover column named {@code prover}. */
    static final RowMapper<BondState> BOND_STATE = (rs, ctx) -> new BondState(rs.getString("prover"), big(rs, "bond"),
            big(rs, "locked"), big(rs, "pending_unbond"), rs.getBoolean("jailed"), rs.getLong("updated_block"));

    /** A prover left-joined with its bond state (the bond columns null when it has none). */
    static final RowMapper<ProverView> PROVER_VIEW = (rs, ctx) -> {
        ProverRow p = PROVER.map(rs, ctx);
        return new ProverView(p, rs.getBigDecimal("bond") == null ? null : new BondState(p.address(), big(rs, "bond"),
                big(rs, "locked"), big(rs, "pending_unbond"), rs.getBoolean("jailed"), rs.getLong("updated_block")));
    };

    static final RowMapper<BondEventRow> BOND_EVENT = (rs, ctx) -> new BondEventRow(rs.getString("tx_hash"),
            rs.getInt("log_index"), rs.getLong("block_number"), rs.getString("prover"), rs.getString("kind"),
            rs.getString("account"), big(rs, "amount"));

    static final RowMapper<CircuitRow> CIRCUIT = (rs, ctx) -> new CircuitRow(big(rs, "id"), rs.getString("verifier"),
            rs.getInt("num_fixed_inputs"), rs.getInt("num_outputs"), rs.getString("tx_hash"), rs.getInt("log_index"),
            rs.getLong("block_number"));

    static final RowMapper<CircuitTermsRow> CIRCUIT_TERMS = (rs, ctx) -> new CircuitTermsRow(rs.getString("tx_hash"),
            rs.getInt("log_index"), rs.getLong("block_number"), big(rs, "circuit_id"), big(rs, "min_proof_price"),
            rs.getLong("min_prove_window"), rs.getLong("max_prove_window"), rs.getLong("effective_at"));

    static final RowMapper<DeliveryRow> DELIVERY = (rs, ctx) -> new DeliveryRow(rs.getString("tx_hash"),
            rs.getInt("log_index"), rs.getLong("block_number"), big(rs, "slot_id"), rs.getString("prover"),
            rs.getBoolean("is_designate"), bigList(rs.getArray("outputs")), rs.getLong("gas_used"));

    static final RowMapper<PayoutRow> PAYOUT = (rs, ctx) -> new PayoutRow(rs.getString("tx_hash"), rs.getInt("log_index"),
            rs.getLong("block_number"), big(rs, "slot_id"), rs.getString("account"), big(rs, "amount"),
            rs.getString("kind"));

    static final RowMapper<SlashRow> SLASH = (rs, ctx) -> new SlashRow(rs.getString("tx_hash"), rs.getInt("log_index"),
            rs.getLong("block_number"), big(rs, "slot_id"), rs.getString("prover"), big(rs, "amount"),
            rs.getString("recipient"));

    static final RowMapper<ClaimRow> CLAIM = (rs, ctx) -> new ClaimRow(rs.getString("tx_hash"), rs.getInt("log_index"),
            rs.getLong("block_number"), rs.getString("account"), big(rs, "amount"));

    /**
     * A row of {@code slots} with its draw, settlement and cancellation (each null until it happened); deliveries and
     * payouts are read apart and joined by {@link SlotRepository}.
     */
    static final RowMapper<SlotView> SLOT = (rs, ctx) -> {
        SlotOpenedRow opened = new SlotOpenedRow(rs.getString("opened_tx"), rs.getInt("opened_log_index"),
                rs.getLong("opened_block"), big(rs, "slot_id"), big(rs, "circuit_id"), rs.getString("requester"),
                rs.getInt("eligible_count"), big(rs, "mixing_probability"), big(rs, "proof_price"), big(rs, "escrow"),
                big(rs, "committee_prize"), big(rs, "bond_at_risk"), rs.getLong("prove_window"), rs.getLong("draw_block"),
                rs.getBytes("payload"), bigList(rs.getArray("fixed_inputs")));
        SlotDrawnRow drawn = rs.getString("drawn_tx") == null ? null
                : new SlotDrawnRow(rs.getString("drawn_tx"), rs.getInt("drawn_log_index"), rs.getLong("drawn_block"),
                opened.slotId(), rs.getString("designate"), rs.getString("seed"), rs.getLong("deadline"));
        SlotSettledRow settled = rs.getString("settled_tx") == null ? null
                : new SlotSettledRow(rs.getString("settled_tx"), rs.getInt("settled_log_index"),
                rs.getLong("settled_block"), opened.slotId(), rs.getBoolean("designate_delivered"),
                rs.getInt("committee_deliveries"), big(rs, "designate_payout"), big(rs, "committee_payout_each"),
                big(rs, "refunded"), big(rs, "slashed"));
        SlotCancelledRow cancelled = rs.getString("cancelled_tx") == null ? null
                : new SlotCancelledRow(rs.getString("cancelled_tx"), rs.getInt("cancelled_log_index"),
                rs.getLong("cancelled_block"), opened.slotId(), rs.getBoolean("no_candidate"),
                big(rs, "cancel_refunded"));
        return new SlotView(SlotState.valueOf(rs.getString("state")), opened, drawn, settled, cancelled, List.of(),
                List.of());
    };

    static BigInteger big(ResultSet rs, String column) throws SQLException {
        return big(rs.getBigDecimal(column));
    }

    static BigInteger big(BigDecimal d) {
        return d == null ? null : d.toBigIntegerExact();
    }

    static List<BigInteger> bigList(Array array) throws SQLException {
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

    /** Checks a page of a list: 1..1000 rows from offset &gt;= 0. */
    static void checkPage(int limit, int offset) {
        if (limit < 1 || limit > 1000) {
            throw new StoreException("limit must be in 1..1000, got " + limit);
        }
        if (offset < 0) {
            throw new StoreException("offset must be >= 0, got " + offset);
        }
    }
}
