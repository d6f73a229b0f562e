package io.procura.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.procura.coordinator.ChainIndexer;
import io.procura.db.Database;
import io.procura.db.SlotState;
import io.procura.db.SlotView;
import io.procura.db.Store;
import io.procura.runtime.DigitsProof;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's indexer against a real chain and a real PostgreSQL: a whole slot's life
 * (register, bond, open, prove, settle, claim) lands in the store; re-indexing from any earlier
 * block (a crash before the cursor moved) changes nothing; confirmations hold blocks back.
 */
class ChainIndexerTest {
    private static LocalMarket m;
    private static Database db;
    private static Store store;
    private static BigInteger slot;

    @BeforeAll
    static void runOneSlotToTheEnd() throws Exception {
        m = new LocalMarket(2);
        slot = m.openSlot(m.fixedInputs());
        String designate = m.terms(slot).designate;
        var prover = m.provers.stream().filter(c -> c.getAddress().equalsIgnoreCase(designate)).findFirst().orElseThrow();
        DigitsProof proof = m.proveFor(slot, prover);
        m.submit(prover, slot, BigInteger.valueOf(proof.predictedClass()), proof);
        m.chain.increaseTime(601);
        m.as(m.requester).market().settle(slot, m.terms(slot)).send();
        m.as(prover).market().claim().send();
        db = Database.embedded(null);
        store = new Store(db.dataSource());
    }

    @AfterAll
    static void stop() {
        if (db != null) db.close();
        if (m != null) m.close();
    }

    private static Map<String, Long> rowCounts() throws Exception {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            for (String t : new String[] {"provers", "bond_events", "circuits", "slots", "deliveries", "payouts", "claims", "slashes"}) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + t)) {
                    rs.next();
                    counts.put(t, rs.getLong(1));
                }
            }
        }
        return counts;
    }

    @Test
    void shouldIndexASlotsWholeLifeAndStayIdempotentWhenReplayed() throws Exception {
        ChainIndexer indexer = new ChainIndexer(m.chain, m.d, store, 0);
        assertThat(indexer.pollOnce()).isPositive();
        SlotView v = store.findSlot(slot).orElseThrow();
        assertThat(v.state()).isEqualTo(SlotState.SETTLED);
        assertThat(v.deliveries()).hasSize(1);
        assertThat(v.deliveries().get(0).gasUsed()).isGreaterThan(200_000);
        assertThat(v.settlement().designateDelivered()).isTrue();
        assertThat(v.payouts()).extracting(p -> p.amount()).contains(v.opened().escrow());
        assertThat(store.listProvers()).hasSize(2);
        Map<String, Long> first = rowCounts();
        assertThat(first.get("claims")).isEqualTo(1);
        assertThat(first.get("circuits")).isEqualTo(1);

        long head = store.cursor(indexer.cursorName()).orElseThrow();
        assertThat(head).isEqualTo(m.chain.blockNumber().longValueExact());
        assertThat(indexer.pollOnce()).as("nothing new").isZero();

        // A crash before the cursor moved means the same blocks are read again: nothing changes.
        store.resetCursor(indexer.cursorName(), m.d.deployBlock().longValueExact(), null);
        indexer.pollOnce();
        assertThat(rowCounts()).isEqualTo(first);
        assertThat(store.cursor(indexer.cursorName()).orElseThrow()).isEqualTo(head);
    }

    @Test
    void shouldHoldBackBlocksUntilTheyHaveEnoughConfirmations() throws Exception {
        Database other = Database.embedded(null);
        try {
            Store fresh = new Store(other.dataSource());
            ChainIndexer cautious = new ChainIndexer(m.chain, m.d, fresh, 1_000);
            assertThat(cautious.pollOnce()).isZero();
            assertThat(fresh.findSlot(slot)).isEmpty();
        } finally {
            other.close();
        }
    }
}
