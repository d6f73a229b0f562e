package io.procura.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.procura.coordinator.ChainIndexer;
import io.procura.db.CircuitTermsRow;
import io.procura.db.Database;
import io.procura.db.PayoutRow;
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
 * (register, opt in, bond, open, draw, prove, settle, claim) lands in the store stage by stage, a slot
 * nobody drew in time lands as cancelled with its refund, the circuit's terms and the opt-ins are stored;
 * re-indexing from any earlier block (a crash before the cursor moved) changes nothing; confirmations
 * hold blocks back.
 */
class ChainIndexerTest {
    private static LocalMarket m;
    private static Database db;
    private static Store store;
    private static ChainIndexer indexer;
    private static BigInteger slot;
    private static BigInteger expired;
    /** What the store showed after each stage of the slot's life. */
    private static SlotView afterOpen;
    private static SlotView afterDraw;
    /** Blocks the last poll of the set-up indexed (everything after the draw). */
    private static long lastPoll;

    @BeforeAll
    static void runOneSlotToTheEndAndLetAnotherExpire() throws Exception {
        m = new LocalMarket(2);
        db = Database.embedded(null);
        store = new Store(db.dataSource());
        indexer = new ChainIndexer(m.chain, m.d, store, 0);

        slot = m.openUndrawn(m.fixedInputs());
        indexer.pollOnce();
        afterOpen = store.slots().findSlot(slot).orElseThrow();
        m.draw(slot);
        indexer.pollOnce();
        afterDraw = store.slots().findSlot(slot).orElseThrow();

        String designate = m.terms(slot).designate;
        var prover = m.provers.stream().filter(c -> c.getAddress().equalsIgnoreCase(designate)).findFirst().orElseThrow();
        DigitsProof proof = m.proveFor(slot, prover);
        m.submit(prover, slot, BigInteger.valueOf(proof.predictedClass()), proof);
        m.chain.increaseTime(601);
        m.as(m.requester).market().settle(slot, m.terms(slot)).send();
        m.as(prover).market().claim().send();

        // a slot nobody draws: after its draw block's hash is out of reach, anyone may cancel it
        expired = m.openUndrawn(m.fixedInputs());
        m.chain.mine(LocalMarket.DRAW_DELAY + 257);
        m.as(m.requester).market().cancel(expired, m.opened(expired).terms).send();
        lastPoll = indexer.pollOnce();
    }

    @AfterAll
    static void stop() {
        if (db != null) db.close();
        if (m != null) m.close();
    }

    private static Map<String, Long> rowCounts() throws Exception {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            for (String t : new String[] {"provers", "bond_events", "circuits", "circuit_terms", "circuit_opt_ins", "slots",
                    "deliveries", "payouts", "claims", "slashes"}) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + t)) {
                    rs.next();
                    counts.put(t, rs.getLong(1));
                }
            }
        }
        return counts;
    }

    @Test
    void shouldShowNoDesignateBeforeTheDrawAndTheDrawnOneAfter() throws Exception {
        assertThat(afterOpen.state()).isEqualTo(SlotState.OPEN);
        assertThat(afterOpen.drawn()).isNull();
        assertThat(afterOpen.opened().proveWindow()).isEqualTo(600);
        assertThat(afterOpen.opened().drawBlock()).isEqualTo(afterOpen.opened().blockNumber() + LocalMarket.DRAW_DELAY);
        assertThat(afterDraw.state()).isEqualTo(SlotState.DRAWN);
        assertThat(afterDraw.drawn().designate()).isEqualToIgnoringCase(m.terms(slot).designate);
        assertThat(afterDraw.drawn().seed()).isEqualTo(org.web3j.utils.Numeric.toHexString(m.terms(slot).seed));
        assertThat(afterDraw.drawn().deadline()).isEqualTo(m.as(m.requester).market().slotState(slot).send().deadline.longValueExact());
        assertThat(afterDraw.drawn().blockNumber()).isGreaterThan(afterOpen.opened().drawBlock());
    }

    @Test
    void shouldIndexASlotsWholeLifeAndStayIdempotentWhenReplayed() throws Exception {
        assertThat(lastPoll).isPositive();
        SlotView v = store.slots().findSlot(slot).orElseThrow();
        assertThat(v.state()).isEqualTo(SlotState.SETTLED);
        assertThat(v.drawn()).isEqualTo(afterDraw.drawn());
        assertThat(v.deliveries()).hasSize(1);
        assertThat(v.deliveries().get(0).gasUsed()).isGreaterThan(200_000);
        assertThat(v.settlement().designateDelivered()).isTrue();
        assertThat(v.payouts()).extracting(p -> p.amount()).contains(v.opened().escrow());
        assertThat(store.provers().listProvers()).hasSize(2);
        Map<String, Long> first = rowCounts();
        assertThat(first.get("claims")).isEqualTo(1);
        assertThat(first.get("circuits")).as("digits, rollup-2^14 and digits-mlp").isEqualTo(3);
        assertThat(first.get("circuit_opt_ins")).isEqualTo(2);

        long head = store.cursors().cursor(indexer.cursorName()).orElseThrow();
        assertThat(head).isEqualTo(m.chain.blockNumber().longValueExact());
        assertThat(indexer.pollOnce()).as("nothing new").isZero();

        // A crash before the cursor moved means the same blocks are read again: nothing changes.
        store.cursors().resetCursor(indexer.cursorName(), m.d.deployBlock().longValueExact(), null);
        indexer.pollOnce();
        assertThat(rowCounts()).isEqualTo(first);
        assertThat(store.cursors().cursor(indexer.cursorName()).orElseThrow()).isEqualTo(head);
        assertThat(store.slots().findSlot(slot).orElseThrow()).isEqualTo(v);
    }

    @Test
    void shouldIndexASlotNobodyDrewAsCancelledWithItsRefund() {
        SlotView v = store.slots().findSlot(expired).orElseThrow();
        assertThat(v.state()).isEqualTo(SlotState.CANCELLED);
        assertThat(v.drawn()).isNull();
        assertThat(v.settlement()).isNull();
        assertThat(v.cancellation().noCandidate()).isFalse();
        assertThat(v.cancellation().refunded()).isEqualTo(v.opened().escrow());
        assertThat(v.payouts()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo("REFUND");
            assertThat(p.account()).isEqualToIgnoringCase(m.requester.getAddress());
            assertThat(p.amount()).isEqualTo(v.opened().escrow());
        });
        assertThat(store.slots().undrawnSlots(10)).isEmpty();
        assertThat(store.ledger().payoutsOf(expired)).extracting(PayoutRow::kind).containsExactly("REFUND");
    }

    @Test
    void shouldIndexTheCircuitsTermsAndTheProversOptIns() throws Exception {
        var terms = store.circuits().circuitTermsOf(m.d.digitsCircuitId());
        assertThat(terms).hasSize(1);
        CircuitTermsRow t = terms.get(0);
        var onChain = m.as(m.requester).market().circuitTerms(m.d.digitsCircuitId()).send();
        assertThat(t.minProofPrice()).isEqualTo(onChain.minProofPrice);
        assertThat(t.minProveWindow()).isEqualTo(5);
        assertThat(t.maxProveWindow()).isEqualTo(1200);
        assertThat(t.effectiveAt()).isEqualTo(onChain.effectiveAt.longValueExact());
        assertThat(store.provers().optedInProvers(m.d.digitsCircuitId())).containsExactlyInAnyOrderElementsOf(
                m.provers.stream().map(c -> c.getAddress().toLowerCase()).toList());
        assertThat(store.provers().optedInCircuits(m.provers.get(0).getAddress())).containsExactly(m.d.digitsCircuitId());
    }

    @Test
    void shouldHoldBackBlocksUntilTheyHaveEnoughConfirmations() throws Exception {
        Database other = Database.embedded(null);
        try {
            Store fresh = new Store(other.dataSource());
            ChainIndexer cautious = new ChainIndexer(m.chain, m.d, fresh, 1_000);
            assertThat(cautious.pollOnce()).isZero();
            assertThat(fresh.slots().findSlot(slot)).isEmpty();
        } finally {
            other.close();
        }
    }
}
