package io.procura.db;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static io.procura.db.Fixtures.MAX;
import static io.procura.db.Fixtures.R_MINUS_1;
import static io.procura.db.Fixtures.addr;
import static io.procura.db.Fixtures.delivery;
import static io.procura.db.Fixtures.drawn;
import static io.procura.db.Fixtures.hash;
import static io.procura.db.Fixtures.payout;
import static io.procura.db.Fixtures.slot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Store against one real embedded PostgreSQL shared by the class; tables are emptied before each test.
 * {@link StoreOnContainerTest} runs the same tests against PostgreSQL 15 in a container built from {@code docker/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StoreTest {

    static Database db;
    static Store store;

    /** The database the tests run on: an embedded server here; {@link StoreOnContainerTest} overrides it. */
    Database open() {
        return Database.embedded(null);
    }

    /** Called after the database is closed (a subclass stops what {@link #open()} started). */
    void closed() {
    }

    @BeforeAll
    void start() {
        db = open();
        store = new Store(db.dataSource());
    }

    @AfterAll
    void stop() {
        try {
            if (db != null) db.close();
        } finally {
            db = null;
            closed();
        }
    }

    @BeforeEach
    void clean() throws SQLException {
        exec("TRUNCATE chain_cursor, provers, bond_events, bond_state, circuits, circuit_terms, circuit_opt_ins, slots, "
                + "deliveries, payouts, claims, slashes, index_binding, indexed_blocks");
    }

    private static void exec(String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long count(String table) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The index binding: set once, read back, refused a second time, dropped with the whole index. */
    @Test
    void bindingIsSetOnceAndResetWithTheIndex() {
        store.cursors().resetIndex();
        IndexBinding b = new IndexBinding(31337, "0x9FE46736679d2D9a65F0992F2272dE9f3c7fa6e0", 3,
                "0x" + "ab".repeat(32));
        assertThat(store.cursors().binding()).isEmpty();
        store.cursors().bind(b);
        assertThat(store.cursors().binding()).contains(b);
        assertThat(store.cursors().binding().orElseThrow().market()).isEqualTo("0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.cursors().bind(b)).isInstanceOf(StoreException.class)
                .hasMessageContaining("already bound");
        store.cursors().advanceCursor("market", 9, null);
        store.cursors().resetIndex();
        assertThat(store.cursors().binding()).isEmpty();
        assertThat(store.cursors().cursor("market")).isEmpty();
    }

    @Test
    void migrationsApplied() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL "
                     + "ORDER BY installed_rank")) {
            List<String> versions = new java.util.ArrayList<>();
            while (rs.next()) {
                versions.add(rs.getString(1));
                assertThat(rs.getBoolean(2)).isTrue();
            }
            assertThat(versions).containsExactly("1", "2", "3", "4");
        }
        for (String t : List.of("provers", "bond_events", "bond_state", "circuits", "circuit_terms", "circuit_opt_ins", "slots",
                "deliveries", "payouts", "claims", "slashes", "chain_cursor", "index_binding", "indexed_blocks")) {
            assertThat(count(t)).as(t).isZero();
        }
    }

    @Test
    void slotRoundTripsExactly() {
        SlotOpenedRow s = slot(7, 100, 3);
        assertThat(store.slots().insertSlotOpened(s)).isTrue();
        SlotView v = store.slots().findSlot(BigInteger.valueOf(7)).orElseThrow();
        assertThat(v.state()).isEqualTo(SlotState.OPEN);
        assertThat(v.opened()).isEqualTo(s);
        assertThat(v.opened().payload()).containsExactly(1, 2, 3, 7);
        assertThat(v.opened().fixedInputs()).containsExactly(BigInteger.valueOf(7), R_MINUS_1);
        assertThat(v.opened().proveWindow()).isEqualTo(60);
        assertThat(v.opened().drawBlock()).isEqualTo(102);
        assertThat(v.drawn()).as("no designate before the draw").isNull();
        assertThat(v.settlement()).isNull();
        assertThat(v.cancellation()).isNull();
        assertThat(v.deliveries()).isEmpty();
        assertThat(v.payouts()).isEmpty();
        assertThat(store.slots().findSlot(BigInteger.valueOf(8))).isEmpty();

        SlotDrawnRow d = drawn(7, 103, 4);
        assertThat(store.slots().markDrawn(d)).isTrue();
        SlotView after = store.slots().findSlot(BigInteger.valueOf(7)).orElseThrow();
        assertThat(after.state()).isEqualTo(SlotState.DRAWN);
        assertThat(after.opened()).isEqualTo(s);
        assertThat(after.drawn()).isEqualTo(d);
        assertThat(after.drawn().designate()).isEqualTo(addr(107));
        assertThat(after.drawn().deadline()).isEqualTo(1_700_000_007L);
    }

    @Test
    void uint256AmountsRoundTripExactly() {
        SlotOpenedRow s = new SlotOpenedRow(hash(1), 0, 1, MAX, MAX, addr(1), 1,
                new BigInteger("1000000000000000000"), MAX, MAX, MAX, MAX, Long.MAX_VALUE, Long.MAX_VALUE, null,
                List.of(MAX, BigInteger.ZERO));
        store.slots().insertSlotOpened(s);
        store.slots().markDrawn(new SlotDrawnRow(hash(5), 0, 2, MAX, addr(2), hash(2), Long.MAX_VALUE));
        store.slots().recordDelivery(new DeliveryRow(hash(3), 1, 2, MAX, addr(2), true, List.of(MAX), 0));
        store.ledger().insertPayout(new PayoutRow(hash(4), 0, 3, MAX, addr(2), MAX, "DESIGNATE"));
        store.slots().markSettled(new SlotSettledRow(hash(4), 1, 3, MAX, true, 0, MAX, MAX, MAX, MAX));
        SlotView v = store.slots().findSlot(MAX).orElseThrow();
        assertThat(v.opened()).isEqualTo(s);
        assertThat(v.drawn().deadline()).isEqualTo(Long.MAX_VALUE);
        assertThat(v.opened().payload()).isNull();
        assertThat(v.deliveries().get(0).outputs()).containsExactly(MAX);
        assertThat(v.payouts().get(0).amount()).isEqualTo(MAX);
        assertThat(v.settlement().designatePayout()).isEqualTo(MAX);
        assertThat(v.settlement().slashed()).isEqualTo(MAX);
        assertThat(store.ledger().unclaimed(addr(2))).isEqualTo(MAX);
    }

    @Test
    void outOfRangeValuesAreRejected() throws SQLException {
        BigInteger tooBig = MAX.add(BigInteger.ONE);
        assertThatThrownBy(() -> new ClaimRow(hash(1), 0, 1, addr(1), tooBig))
                .isInstanceOf(StoreException.class).hasMessageContaining("amount must be a uint256");
        assertThatThrownBy(() -> new ClaimRow(hash(1), 0, 1, addr(1), BigInteger.valueOf(-1)))
                .isInstanceOf(StoreException.class).hasMessageContaining("uint256");
        assertThatThrownBy(() -> new ClaimRow(hash(1), 0, 1, "0x1234", BigInteger.ONE))
                .isInstanceOf(StoreException.class).hasMessageContaining("account must be a 0x-prefixed 20-byte");
        assertThatThrownBy(() -> new ClaimRow("0xabc", 0, 1, addr(1), BigInteger.ONE))
                .isInstanceOf(StoreException.class).hasMessageContaining("txHash");
        assertThatThrownBy(() -> store.slots().listSlots(0, 0)).isInstanceOf(StoreException.class);
        // the schema enforces the same ranges on its own
        assertThatThrownBy(() -> exec("INSERT INTO claims VALUES ('" + hash(1) + "', 0, 1, '" + addr(1) + "', "
                + tooBig + ")")).isInstanceOf(SQLException.class).hasMessageContaining("uint256");
        assertThatThrownBy(() -> exec("INSERT INTO claims VALUES ('" + hash(1) + "', 0, 1, '0xABCDEF0000000000000000000000000000000000', 1)"))
                .isInstanceOf(SQLException.class).hasMessageContaining("eth_address");
        assertThat(count("claims")).isZero();
    }

    @Test
    void addressesAreStoredLowercase() {
        String mixed = "0xAbCdEf0123456789aBcDeF0123456789ABCDEF01";
        store.ledger().recordClaim(new ClaimRow(hash(9).toUpperCase().replace("0X", "0x"), 0, 5, mixed, BigInteger.TWO));
        List<ClaimRow> claims = store.ledger().claimsOf(mixed.toLowerCase());
        assertThat(claims).hasSize(1);
        assertThat(claims.get(0).account()).isEqualTo(mixed.toLowerCase());
        assertThat(claims.get(0).txHash()).isEqualTo(hash(9));
    }

    @Test
    void replayingEventsStoresEachOnce() throws SQLException {
        SlotOpenedRow s = slot(1, 10, 0);
        SlotDrawnRow dr = drawn(1, 11, 0);
        DeliveryRow d = delivery(1, 101, true, 11, 2);
        PayoutRow p = payout(1, 101, BigInteger.TEN, "DESIGNATE", 12, 0);
        SlashRow sl = new SlashRow(hash(77), 1, 12, BigInteger.ONE, addr(101), BigInteger.ONE, addr(1));
        ClaimRow cl = new ClaimRow(hash(78), 0, 13, addr(101), BigInteger.TEN);
        CircuitRow ci = new CircuitRow(BigInteger.ONE, addr(50), 2, 2, hash(79), 0, 5);
        BondEventRow be = new BondEventRow(hash(80), 0, 6, addr(101), "Bonded", addr(101), BigInteger.TEN);
        CircuitTermsRow ct = new CircuitTermsRow(hash(79), 1, 5, BigInteger.ONE, BigInteger.TEN, 30, 600, 1_700_003_600L);
        CircuitOptInRow oi = new CircuitOptInRow(hash(81), 0, 7, addr(101), BigInteger.ONE, true);
        for (int round = 0; round < 2; round++) {
            boolean first = round == 0;
            assertThat(store.circuits().insertCircuit(ci)).isEqualTo(first);
            assertThat(store.circuits().insertCircuitTerms(ct)).isEqualTo(first);
            assertThat(store.provers().recordOptIn(oi)).isEqualTo(first);
            assertThat(store.provers().recordBondEvent(be, null)).isEqualTo(first);
            assertThat(store.slots().insertSlotOpened(s)).isEqualTo(first);
            assertThat(store.slots().markDrawn(dr)).isEqualTo(first);
            assertThat(store.slots().recordDelivery(d)).isEqualTo(first);
            assertThat(store.ledger().insertPayout(p)).isEqualTo(first);
            assertThat(store.ledger().insertSlash(sl)).isEqualTo(first);
            assertThat(store.ledger().recordClaim(cl)).isEqualTo(first);
        }
        for (String t : List.of("circuits", "circuit_terms", "circuit_opt_ins", "bond_events", "slots", "deliveries", "payouts",
                "slashes", "claims")) {
            assertThat(count(t)).as(t).isEqualTo(1);
        }
        assertThat(store.ledger().slashesOf(BigInteger.ONE)).containsExactly(sl);
        assertThat(store.circuits().findCircuit(BigInteger.ONE)).contains(ci);
        assertThat(store.circuits().listCircuits()).containsExactly(ci);
        assertThat(store.circuits().circuitTermsOf(BigInteger.ONE)).containsExactly(ct);
        assertThat(store.provers().optedInCircuits(addr(101))).containsExactly(BigInteger.ONE);
        assertThat(store.slots().findSlot(BigInteger.ONE).orElseThrow().drawn()).isEqualTo(dr);
        assertThat(store.provers().bondEventsOf(addr(101))).containsExactly(be);
        assertThat(store.ledger().unclaimed(addr(101))).isZero();
    }

    @Test
    void settlementIsRecordedOnceAndConflictsAreErrors() {
        store.slots().insertSlotOpened(slot(2, 10, 0));
        SlotSettledRow early = new SlotSettledRow(hash(4241), 0, 10, BigInteger.TWO, false, 0,
                BigInteger.ZERO, BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE);
        assertThatThrownBy(() -> store.slots().markSettled(early)).as("a slot is settled only after its draw")
                .isInstanceOf(StoreException.class).hasMessageContaining("it is OPEN");
        store.slots().markDrawn(drawn(2, 10, 1));
        store.slots().recordDelivery(delivery(2, 102, true, 11, 0));
        store.slots().recordDelivery(delivery(2, 103, false, 11, 1));
        store.ledger().insertPayout(payout(2, 102, BigInteger.valueOf(900), "DESIGNATE", 20, 1));
        store.ledger().insertPayout(payout(2, 103, BigInteger.valueOf(50), "COMMITTEE", 20, 2));
        SlotSettledRow settled = new SlotSettledRow(hash(4242), 3, 20, BigInteger.TWO, true, 1,
                BigInteger.valueOf(900), BigInteger.valueOf(50), BigInteger.ZERO, BigInteger.ZERO);
        assertThat(store.slots().markSettled(settled)).isTrue();
        assertThat(store.slots().markSettled(settled)).isFalse();
        SlotSettledRow other = new SlotSettledRow(hash(4243), 0, 21, BigInteger.TWO, false, 0,
                BigInteger.ZERO, BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE);
        assertThatThrownBy(() -> store.slots().markSettled(other)).isInstanceOf(StoreException.class)
                .hasMessageContaining("already settled by " + hash(4242));
        SlotSettledRow unknown = new SlotSettledRow(hash(4244), 0, 21, BigInteger.valueOf(99), false, 0,
                BigInteger.ZERO, BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE);
        assertThatThrownBy(() -> store.slots().markSettled(unknown)).isInstanceOf(StoreException.class)
                .hasMessageContaining("not stored");

        SlotView v = store.slots().findSlot(BigInteger.TWO).orElseThrow();
        assertThat(v.state()).isEqualTo(SlotState.SETTLED);
        assertThat(v.settlement()).isEqualTo(settled);
        assertThat(v.drawn()).as("the draw stays visible after settlement").isEqualTo(drawn(2, 10, 1));
        assertThat(v.deliveries()).extracting(DeliveryRow::prover).containsExactly(addr(102), addr(103));
        assertThat(v.deliveries()).extracting(DeliveryRow::designate).containsExactly(true, false);
        assertThat(v.payouts()).extracting(PayoutRow::kind).containsExactly("DESIGNATE", "COMMITTEE");
        assertThat(store.slots().deliveriesOf(BigInteger.TWO)).isEqualTo(v.deliveries());
        assertThat(store.ledger().payoutsOf(BigInteger.TWO)).isEqualTo(v.payouts());
        assertThat(store.ledger().unclaimed(addr(102))).isEqualTo(BigInteger.valueOf(900));
    }

    @Test
    void eventsOfAnUnknownSlotAreRejected() {
        assertThatThrownBy(() -> store.slots().recordDelivery(delivery(404, 1, true, 1, 0)))
                .isInstanceOf(StoreException.class).hasMessageContaining("is the slot stored?");
        assertThatThrownBy(() -> store.ledger().insertPayout(payout(404, 1, BigInteger.ONE, "REFUND", 1, 0)))
                .isInstanceOf(StoreException.class).hasMessageContaining("is the slot stored?");
    }

    @Test
    void listSlotsIsNewestFirstAndPaged() {
        // inserted out of order; newest = highest (block, log index)
        store.slots().insertSlotOpened(slot(1, 10, 5));
        store.slots().insertSlotOpened(slot(3, 12, 0));
        store.slots().insertSlotOpened(slot(2, 10, 7));
        store.slots().insertSlotOpened(slot(4, 11, 0));
        store.slots().recordDelivery(delivery(2, 102, true, 13, 0));
        store.ledger().insertPayout(payout(3, 103, BigInteger.ONE, "DESIGNATE", 14, 0));

        List<SlotView> all = store.slots().listSlots(10, 0);
        assertThat(all).extracting(v -> v.opened().slotId().intValue()).containsExactly(3, 4, 2, 1);
        assertThat(all.get(2).deliveries()).hasSize(1);
        assertThat(all.get(0).payouts()).hasSize(1);
        assertThat(all.get(1).deliveries()).isEmpty();
        assertThat(store.slots().listSlots(2, 1)).extracting(v -> v.opened().slotId().intValue()).containsExactly(4, 2);
        assertThat(store.slots().listSlots(10, 4)).isEmpty();
        assertThat(store.slots().countSlots()).isEqualTo(4);
    }

    @Test
    void openSlotsDueAreThoseOpenPastTheirDeadline() {
        for (int id = 1; id <= 4; id++) {
            store.slots().insertSlotOpened(slot(id, 10, id));
        }
        store.slots().markDrawn(drawn(1, 11, 0)); // deadline 1_700_000_001
        store.slots().markDrawn(drawn(2, 11, 1)); // deadline 1_700_000_002
        store.slots().markDrawn(drawn(3, 11, 2)); // deadline 1_700_000_003
        // slot 4 is never drawn: it has no deadline and is never due
        store.slots().markSettled(new SlotSettledRow(hash(1), 0, 11, BigInteger.ONE, true, 0, BigInteger.ONE,
                BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO));
        assertThat(store.slots().openSlotsDue(1_700_000_003L, 10)).extracting(v -> v.opened().slotId().intValue())
                .containsExactly(2);
        assertThat(store.slots().openSlotsDue(1_800_000_000L, 10)).extracting(v -> v.opened().slotId().intValue())
                .containsExactly(2, 3);
        assertThat(store.slots().undrawnSlots(10)).extracting(v -> v.opened().slotId().intValue()).containsExactly(4);
    }

    @Test
    void undrawnSlotsAreDrawnOrCancelledOnceAndTheOtherEventIsAConflict() {
        store.slots().insertSlotOpened(slot(5, 20, 0)); // draw block 22
        store.slots().insertSlotOpened(slot(6, 18, 0)); // draw block 20
        store.slots().insertSlotOpened(slot(7, 19, 0)); // draw block 21
        assertThat(store.slots().undrawnSlots(10)).extracting(v -> v.opened().slotId().intValue())
                .as("earliest draw block first").containsExactly(6, 7, 5);
        assertThat(store.slots().undrawnSlots(1)).hasSize(1);

        SlotCancelledRow cancel = new SlotCancelledRow(hash(600), 2, 300, BigInteger.valueOf(6), false,
                new BigInteger("3000000000000000000"));
        assertThat(store.slots().markCancelled(cancel)).isTrue();
        assertThat(store.slots().markCancelled(cancel)).as("replay").isFalse();
        store.ledger().insertPayout(payout(6, 1, cancel.refunded(), "REFUND", 300, 1));
        assertThatThrownBy(() -> store.slots().markDrawn(drawn(6, 301, 0))).isInstanceOf(StoreException.class)
                .hasMessageContaining("it is CANCELLED");
        SlotCancelledRow other = new SlotCancelledRow(hash(601), 0, 301, BigInteger.valueOf(6), true, BigInteger.ONE);
        assertThatThrownBy(() -> store.slots().markCancelled(other)).isInstanceOf(StoreException.class)
                .hasMessageContaining("already cancelled by " + hash(600));

        assertThat(store.slots().markDrawn(drawn(7, 22, 0))).isTrue();
        assertThat(store.slots().markDrawn(drawn(7, 22, 0))).as("replay").isFalse();
        assertThatThrownBy(() -> store.slots().markDrawn(drawn(7, 23, 0))).isInstanceOf(StoreException.class)
                .hasMessageContaining("already drawn by");
        assertThatThrownBy(() -> store.slots().markCancelled(new SlotCancelledRow(hash(602), 0, 400, BigInteger.valueOf(7), false,
                BigInteger.ONE))).isInstanceOf(StoreException.class).hasMessageContaining("it is DRAWN");
        assertThatThrownBy(() -> store.slots().markDrawn(drawn(404, 22, 0))).isInstanceOf(StoreException.class)
                .hasMessageContaining("not stored");

        assertThat(store.slots().undrawnSlots(10)).extracting(v -> v.opened().slotId().intValue()).containsExactly(5);
        SlotView v = store.slots().findSlot(BigInteger.valueOf(6)).orElseThrow();
        assertThat(v.state()).isEqualTo(SlotState.CANCELLED);
        assertThat(v.cancellation()).isEqualTo(cancel);
        assertThat(v.drawn()).isNull();
        assertThat(v.settlement()).isNull();
        assertThat(v.payouts()).extracting(PayoutRow::kind).containsExactly("REFUND");
        assertThat(store.slots().findSlot(BigInteger.valueOf(7)).orElseThrow().state()).isEqualTo(SlotState.DRAWN);
    }

    @Test
    void circuitTermsKeepTheirHistoryAndOptInsTheLatestChoice() {
        store.circuits().insertCircuit(new CircuitRow(BigInteger.ZERO, addr(50), 2, 1, hash(90), 0, 5));
        store.circuits().insertCircuit(new CircuitRow(BigInteger.ONE, addr(51), 2, 1, hash(91), 0, 6));
        CircuitTermsRow first = new CircuitTermsRow(hash(90), 1, 5, BigInteger.ZERO, BigInteger.TEN, 30, 600, 1_700_003_600L);
        CircuitTermsRow later = new CircuitTermsRow(hash(92), 0, 9, BigInteger.ZERO, BigInteger.TWO, 60, 60, 1_700_009_000L);
        store.circuits().insertCircuitTerms(later);
        store.circuits().insertCircuitTerms(first);
        assertThat(store.circuits().circuitTermsOf(BigInteger.ZERO)).as("chain order").containsExactly(first, later);
        assertThat(store.circuits().circuitTermsOf(BigInteger.ONE)).isEmpty();
        assertThatThrownBy(() -> store.circuits().insertCircuitTerms(new CircuitTermsRow(hash(93), 0, 9, BigInteger.valueOf(9),
                BigInteger.TEN, 1, 2, 3))).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> new CircuitTermsRow(hash(93), 0, 9, BigInteger.ZERO, BigInteger.TEN, 60, 59, 3))
                .isInstanceOf(StoreException.class).hasMessageContaining("maxProveWindow");

        // prover 101: in 0, in 1, out of 0 (newest), events stored out of order
        store.provers().recordOptIn(new CircuitOptInRow(hash(95), 3, 12, addr(101), BigInteger.ZERO, false));
        store.provers().recordOptIn(new CircuitOptInRow(hash(94), 0, 10, addr(101), BigInteger.ZERO, true));
        store.provers().recordOptIn(new CircuitOptInRow(hash(94), 1, 10, addr(101), BigInteger.ONE, true));
        // prover 102: out and back into 0 within one block (log order decides)
        store.provers().recordOptIn(new CircuitOptInRow(hash(96), 5, 12, addr(102), BigInteger.ZERO, true));
        store.provers().recordOptIn(new CircuitOptInRow(hash(96), 4, 12, addr(102), BigInteger.ZERO, false));
        store.provers().recordOptIn(new CircuitOptInRow(hash(97), 0, 11, addr(102), BigInteger.ZERO, true));
        assertThat(store.provers().optedInCircuits(addr(101))).containsExactly(BigInteger.ONE);
        assertThat(store.provers().optedInCircuits(addr(102))).containsExactly(BigInteger.ZERO);
        assertThat(store.provers().optedInCircuits(addr(103))).isEmpty();
        assertThat(store.provers().optedInProvers(BigInteger.ZERO)).containsExactly(addr(102));
        assertThat(store.provers().optedInProvers(BigInteger.ONE)).containsExactly(addr(101));
    }

    @Test
    void migrationTwoMovesV1SlotsIntoTheDrawnLifeCycle() throws SQLException {
        // A schema at V1 with an open and a settled slot, as a V1 indexer stored them (drawn inside openSlot).
        exec("DROP SCHEMA IF EXISTS legacy CASCADE");
        exec("CREATE SCHEMA legacy");
        org.flywaydb.core.Flyway.configure().dataSource(db.dataSource()).schemas("legacy").target("1").load().migrate();
        String cols = "(slot_id, circuit_id, requester, designate, eligible_count, mixing_probability, proof_price, escrow, "
                + "committee_prize, bond_at_risk, deadline, seed, fixed_inputs, state, opened_tx, opened_log_index, opened_block";
        exec("INSERT INTO legacy.slots " + cols + ") VALUES (1, 0, '" + addr(1) + "', '" + addr(2) + "', 3, 0, 10, 26, 18, 200, "
                + "1700000060, '" + hash(7) + "', '{1,2}', 'OPEN', '" + hash(8) + "', 4, 40)");
        exec("INSERT INTO legacy.slots " + cols + ", settled_tx, settled_log_index, settled_block, designate_delivered, "
                + "committee_deliveries, designate_payout, committee_payout_each, refunded, slashed) VALUES (2, 0, '" + addr(1)
                + "', '" + addr(3) + "', 3, 0, 10, 26, 18, 200, 1700000061, '" + hash(9) + "', '{1,2}', 'SETTLED', '"
                + hash(10) + "', 0, 41, '" + hash(11) + "', 0, 50, true, 0, 26, 0, 0, 0)");
        org.flywaydb.core.Flyway.configure().dataSource(db.dataSource()).schemas("legacy").load().migrate();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT slot_id, state, drawn_tx, drawn_log_index, drawn_block, draw_block, "
                     + "prove_window FROM legacy.slots ORDER BY slot_id")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(2)).as("a V1 open slot was drawn at opening").isEqualTo("DRAWN");
            assertThat(rs.getString(3)).isEqualTo(hash(8));
            assertThat(rs.getInt(4)).isEqualTo(4);
            assertThat(rs.getLong(5)).isEqualTo(40);
            assertThat(rs.getLong(6)).isEqualTo(40);
            assertThat(rs.getLong(7)).isZero();
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(2)).isEqualTo("SETTLED");
            assertThat(rs.getString(3)).isEqualTo(hash(10));
        } finally {
            exec("DROP SCHEMA legacy CASCADE");
        }
    }

    @Test
    void cursorStartsEmptyAdvancesAndNeverMovesBack() {
        assertThat(store.cursors().cursor("market")).isEmpty();
        store.cursors().advanceCursor("market", 100, hash(100));
        store.cursors().advanceCursor("market", 100, hash(100)); // same block again is fine
        store.cursors().advanceCursor("market", 105, hash(105));
        assertThat(store.cursors().cursor("market")).isEqualTo(OptionalLong.of(105));
        assertThat(store.cursors().cursorState("market")).contains(new Cursor("market", 105, hash(105)));
        assertThat(store.cursors().cursor("registry")).isEmpty();
        assertThatThrownBy(() -> store.cursors().advanceCursor("market", 104, null)).isInstanceOf(StoreException.class)
                .hasMessageContaining("at block 105");
        store.cursors().resetCursor("market", 50, null);
        assertThat(store.cursors().cursorState("market")).contains(new Cursor("market", 50, null));
    }

    /** The block hashes a reorganisation check walks back: newest first, kept for {@link Store#HASH_WINDOW} blocks. */
    @Test
    void indexedBlockHashesAreKeptForTheWindowAndForgottenAboveARollback() {
        store.cursors().advanceCursor("market", 10, hash(10));
        store.cursors().advanceCursor("market", 12, null);
        store.cursors().advanceCursor("market", 20, hash(20));
        store.cursors().advanceCursor("other", 20, hash(21));
        assertThat(store.cursors().indexedBlocks("market", 10)).containsExactly(new IndexedBlock(20, hash(20)),
                new IndexedBlock(10, hash(10)));
        assertThat(store.cursors().indexedBlocks("market", 1)).containsExactly(new IndexedBlock(20, hash(20)));
        store.cursors().rollBackTo("market", 15, hash(15), List.of());
        assertThat(store.cursors().cursorState("market")).contains(new Cursor("market", 15, hash(15)));
        assertThat(store.cursors().indexedBlocks("market", 10)).containsExactly(new IndexedBlock(10, hash(10)));
        assertThat(store.cursors().indexedBlocks("other", 10)).as("another cursor's hashes stay").hasSize(1);
        store.cursors().advanceCursor("market", 16 + CursorRepository.HASH_WINDOW, hash(16));
        assertThat(store.cursors().indexedBlocks("market", 10)).as("block 10 is out of the window")
                .containsExactly(new IndexedBlock(16 + CursorRepository.HASH_WINDOW, hash(16)));
        assertThatThrownBy(() -> store.cursors().rollBackTo("market", 15, null,
                List.of(new BondState("0x" + "11".repeat(20), BigInteger.ONE, BigInteger.ZERO, BigInteger.ZERO, false, 14))))
                .isInstanceOf(StoreException.class).hasMessageContaining("not as of block 15");
        store.cursors().rollBackTo("market", -1, null, List.of());
        assertThat(store.cursors().cursor("market")).as("rolled back below the first block: no cursor").isEmpty();
    }

    @Test
    void aFailedBlockLeavesNothingBehind() throws SQLException {
        store.cursors().advanceCursor("market", 9, hash(9));
        RuntimeException boom = new IllegalStateException("indexer crashed mid-block");
        assertThatThrownBy(() -> store.inTransaction(tx -> {
            tx.slots().insertSlotOpened(slot(1, 10, 0));
            tx.slots().recordDelivery(delivery(1, 101, true, 10, 1));
            tx.cursors().advanceCursor("market", 10, hash(10));
            // reads inside the transaction see its own writes
            assertThat(tx.slots().findSlot(BigInteger.ONE)).isPresent();
            assertThat(tx.cursors().cursor("market")).hasValue(10);
            throw boom;
        })).isSameAs(boom);
        assertThat(count("slots")).isZero();
        assertThat(count("deliveries")).isZero();
        assertThat(store.cursors().cursor("market")).hasValue(9);

        // a failing statement also rolls back the earlier writes of the block
        assertThatThrownBy(() -> store.inTransaction(tx -> {
            tx.slots().insertSlotOpened(slot(1, 10, 0));
            tx.slots().recordDelivery(delivery(2, 101, true, 10, 1)); // slot 2 does not exist
            tx.cursors().advanceCursor("market", 10, hash(10));
        })).isInstanceOf(StoreException.class);
        assertThat(count("slots")).isZero();
        assertThat(store.cursors().cursor("market")).hasValue(9);
    }

    @Test
    void aCommittedBlockIsStoredWholeAndResumesFromTheCursor() {
        String name = "market";
        for (long block = 1; block <= 3; block++) {
            long b = block;
            store.inTransaction(tx -> {
                long resumeFrom = tx.cursors().cursor(name).orElse(0) + 1;
                assertThat(resumeFrom).isEqualTo(b);
                tx.slots().insertSlotOpened(slot(b, b, 0));
                tx.cursors().advanceCursor(name, b, hash(b));
            });
        }
        assertThat(store.cursors().cursor(name)).hasValue(3);
        assertThat(store.slots().countSlots()).isEqualTo(3);
        // replaying block 3 after a "crash" between commit and the next poll changes nothing
        int inserted = store.callInTransaction(tx -> {
            boolean again = tx.slots().insertSlotOpened(slot(3, 3, 0));
            tx.cursors().advanceCursor(name, 3, hash(3));
            return again ? 1 : 0;
        });
        assertThat(inserted).isZero();
        assertThat(store.slots().countSlots()).isEqualTo(3);
    }

    /** The row mappers read columns by name: a query listing the columns in another order (or all of them, in
     *  table order, with columns no mapper reads) maps to the same rows. */
    @Test
    void rowsAreMappedByColumnNameInAnyOrder() {
        store.slots().insertSlotOpened(slot(1, 10, 0));
        store.slots().markDrawn(drawn(1, 11, 0));
        store.slots().recordDelivery(delivery(1, 7, true, 12, 0));
        store.ledger().insertPayout(payout(1, 7, MAX, "DESIGNATE", 13, 0));
        SlotView v = store.slots().findSlot(BigInteger.ONE).orElseThrow();
        org.jdbi.v3.core.Jdbi jdbi = org.jdbi.v3.core.Jdbi.create(db.dataSource());
        SlotView star = jdbi.withHandle(h -> h.createQuery("SELECT * FROM slots").map(Rows.SLOT).one());
        assertThat(star).isEqualTo(new SlotView(v.state(), v.opened(), v.drawn(), null, null, List.of(), List.of()));
        List<DeliveryRow> deliveries = jdbi.withHandle(h -> h.createQuery("SELECT gas_used, outputs, is_designate, "
                + "prover, slot_id, block_number, log_index, tx_hash FROM deliveries").map(Rows.DELIVERY).list());
        assertThat(deliveries).isEqualTo(v.deliveries()).hasSize(1);
        List<PayoutRow> payouts = jdbi.withHandle(h -> h.createQuery("SELECT kind, amount, account, slot_id, block_number, "
                + "log_index, tx_hash, 1 AS unrelated FROM payouts").map(Rows.PAYOUT).list());
        assertThat(payouts).isEqualTo(v.payouts()).hasSize(1);
    }

    @Test
    void aBoundStoreCannotOutliveItsTransaction() {
        Store[] leaked = new Store[1];
        store.inTransaction(tx -> leaked[0] = tx);
        SlotRepository[] leakedSlots = new SlotRepository[1];
        store.inTransaction(tx -> leakedSlots[0] = tx.slots());
        assertThatThrownBy(() -> leaked[0].cursors().cursor("x")).isInstanceOf(StoreException.class)
                .hasMessageContaining("already ended");
        assertThatThrownBy(() -> leakedSlots[0].countSlots()).isInstanceOf(StoreException.class)
                .hasMessageContaining("already ended");
    }

    @Test
    void nestedTransactionsJoinTheOuterOne() throws SQLException {
        assertThatThrownBy(() -> store.inTransaction(tx -> {
            tx.inTransaction(inner -> inner.slots().insertSlotOpened(slot(1, 1, 0)));
            throw new IllegalStateException("outer fails");
        })).hasMessage("outer fails");
        assertThat(count("slots")).isZero();
    }

    @Test
    void shouldStoreAProverThatAnnouncedNoEndpoint() {
        // The registry accepts any string, the empty one included; the indexer must never stall on it.
        assertThat(store.provers().upsertProver(new ProverRow(addr(150), "", hash(15), 3))).isTrue();
        assertThat(store.provers().listProvers()).extracting(ProverRow::endpoint).contains("");
    }

    @Test
    void proversAndBondState() {
        ProverRow p = new ProverRow(addr(101), "http://agent-1:8080", hash(11), 5);
        assertThat(store.provers().upsertProver(p)).isTrue();
        // a newer registration updates the endpoint but keeps the first block
        assertThat(store.provers().upsertProver(new ProverRow(addr(101), "http://agent-1b:8080", hash(12), 9))).isTrue();
        // an older one (replay of block 5) does not roll it back
        assertThat(store.provers().upsertProver(p)).isFalse();
        store.provers().upsertProver(new ProverRow(addr(102), "http://agent-2:8080", hash(13), 6));
        assertThat(store.provers().listProvers()).containsExactly(
                new ProverRow(addr(101), "http://agent-1b:8080", hash(12), 5),
                new ProverRow(addr(102), "http://agent-2:8080", hash(13), 6));

        BigInteger ten = BigInteger.TEN;
        store.provers().recordBondEvent(new BondEventRow(hash(20), 0, 7, addr(101), "Bonded", addr(101), ten),
                new BondState(addr(101), ten, BigInteger.ZERO, BigInteger.ZERO, false, 7));
        store.provers().recordBondEvent(new BondEventRow(hash(21), 4, 8, addr(101), "Locked", null, BigInteger.ONE),
                new BondState(addr(101), ten, BigInteger.ONE, BigInteger.ZERO, false, 8));
        // an event of an earlier position arriving late is stored but does not overwrite the state
        store.provers().recordBondEvent(new BondEventRow(hash(22), 1, 8, addr(101), "Jailed", null, BigInteger.ZERO),
                new BondState(addr(101), ten, BigInteger.ZERO, BigInteger.ZERO, true, 8));
        assertThat(store.provers().bondState(addr(101)))
                .contains(new BondState(addr(101), ten, BigInteger.ONE, BigInteger.ZERO, false, 8));
        assertThat(store.provers().bondEventsOf(addr(101))).extracting(BondEventRow::kind)
                .containsExactly("Bonded", "Jailed", "Locked");
        assertThat(store.provers().bondState(addr(102))).isEmpty();
        assertThatThrownBy(() -> store.provers().recordBondEvent(
                new BondEventRow(hash(23), 0, 9, addr(101), "Slashed", null, BigInteger.ONE),
                new BondState(addr(102), ten, BigInteger.ZERO, BigInteger.ZERO, true, 9)))
                .isInstanceOf(StoreException.class).hasMessageContaining("does not belong");

        List<ProverView> views = store.provers().listProverViews();
        assertThat(views).hasSize(2);
        assertThat(views.get(0).bond().locked()).isEqualTo(BigInteger.ONE);
        assertThat(views.get(1).bond()).isNull();
        assertThat(Optional.ofNullable(views.get(1).prover())).isPresent();
    }
}
