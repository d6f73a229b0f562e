package io.procura.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.procura.coordinator.ChainIndexer;
import io.procura.db.BondState;
import io.procura.db.Database;
import io.procura.db.SlotState;
import io.procura.db.SlotView;
import io.procura.db.Store;
import io.procura.runtime.DigitsProof;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

/**
 * The indexer's reorganisation rollback on anvil (evm_snapshot / evm_revert, then a new branch mined over the old
 * heights). On the old branch the designate proves slot A, A settles, the designate claims and slot B opens; on the
 * new branch nobody proves A (it settles with a slash) and another slot takes B's id. After one poll the index holds
 * the new branch exactly as an index built from scratch does: no delivery, payout or claim of the old branch, B's id
 * with the new branch's opening, the designate's bond state slashed and jailed. A branch shorter than the cursor is
 * rolled back too.
 */
class IndexerReorgTest {
    private static LocalMarket m;
    private static Database db;
    private static Store store;
    private static ChainIndexer indexer;

    @BeforeAll
    static void market() throws Exception {
        m = new LocalMarket(2);
        db = Database.embedded(null);
        store = new Store(db.dataSource());
        indexer = new ChainIndexer(m.chain, m.d, store, 0);
    }

    @AfterAll
    static void stop() {
        if (db != null) db.close();
        if (m != null) m.close();
    }

    @Test
    void shouldRollTheIndexBackToTheCommonAncestorAndIndexTheNewBranchExactly() throws Exception {
        BigInteger a = m.openSlot(m.fixedInputs());
        indexer.pollOnce();
        String designate = m.terms(a).designate;
        Credentials prover = m.provers.stream().filter(c -> c.getAddress().equalsIgnoreCase(designate)).findFirst().orElseThrow();
        var drawnTerms = m.terms(a);
        String snapshot = m.chain.snapshot();

        // the old branch
        DigitsProof proof = m.proveFor(a, prover);
        m.submit(prover, a, BigInteger.valueOf(proof.predictedClass()), proof);
        m.chain.increaseTime(601);
        m.as(m.requester).market().settle(a, drawnTerms).send();
        m.as(prover).market().claim().send();
        BigInteger b = m.openUndrawn(m.fixedInputs());
        m.chain.mine(3);
        indexer.pollOnce();
        assertThat(store.slots().findSlot(a).orElseThrow().settlement().designateDelivered()).isTrue();
        assertThat(store.ledger().claimsOf(designate)).hasSize(1);
        String oldOpening = store.slots().findSlot(b).orElseThrow().opened().txHash();
        long oldHead = m.chain.blockNumber().longValueExact();

        // the new branch, longer than the old one
        m.chain.revertTo(snapshot);
        m.chain.increaseTime(601);
        m.as(m.requester).market().settle(a, drawnTerms).send();
        BigInteger c = m.openUndrawn(m.fixedInputs());
        assertThat(c).as("the new branch's slot takes the old one's id").isEqualTo(b);
        m.chain.mine(oldHead + 2 - m.chain.blockNumber().longValueExact());
        indexer.pollOnce();

        SlotView va = store.slots().findSlot(a).orElseThrow();
        assertThat(va.state()).isEqualTo(SlotState.SETTLED);
        assertThat(va.settlement().designateDelivered()).isFalse();
        assertThat(va.settlement().slashed()).isPositive();
        assertThat(va.deliveries()).isEmpty();
        assertThat(store.ledger().claimsOf(designate)).isEmpty();
        SlotView vb = store.slots().findSlot(b).orElseThrow();
        assertThat(vb.opened().txHash()).isNotEqualTo(oldOpening);
        assertThat(vb.state()).isEqualTo(SlotState.OPEN);
        var onChain = m.as(m.requester).registry().getProver(designate).send();
        BondState bs = store.provers().bondState(designate).orElseThrow();
        assertThat(bs.jailed()).isTrue();
        assertThat(bs.bond()).isEqualTo(onChain.bond);
        assertThat(bs.locked()).isEqualTo(onChain.locked);
        assertThat(store.cursors().cursor(indexer.cursorName()).orElseThrow()).isEqualTo(m.chain.blockNumber().longValueExact());
        assertSameAsAFreshIndex();

        // a new branch shorter than the indexed one: the cursor's block is gone
        String again = m.chain.snapshot();
        long before = m.chain.blockNumber().longValueExact();
        BigInteger d = m.openSlot(m.fixedInputs());
        m.chain.mine(5);
        indexer.pollOnce();
        assertThat(store.slots().findSlot(d)).isPresent();
        m.chain.revertTo(again);
        m.chain.mine(1);
        assertThat(indexer.pollOnce()).isEqualTo(1);
        assertThat(store.slots().findSlot(d)).as("opened on the abandoned branch").isEmpty();
        assertThat(store.cursors().cursor(indexer.cursorName()).orElseThrow()).isEqualTo(before + 1);
        assertSameAsAFreshIndex();
    }

    /** Every index row (cursors, hashes and the bond state's position in its block aside) equals a fresh index's. */
    private static void assertSameAsAFreshIndex() throws Exception {
        try (Database other = Database.embedded(null)) {
            new ChainIndexer(m.chain, m.d, new Store(other.dataSource()), 0).pollOnce();
            assertThat(dump(db)).isEqualTo(dump(other));
        }
    }

    private static Map<String, List<String>> dump(Database d) throws Exception {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (Connection c = d.dataSource().getConnection(); Statement st = c.createStatement()) {
            for (String t : new String[] {"provers", "bond_events", "bond_state", "circuits", "circuit_terms",
                    "circuit_opt_ins", "slots", "deliveries", "payouts", "claims", "slashes"}) {
                List<String> rows = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT (to_jsonb(t) - 'updated_log_index' - 'updated_block')::text "
                        + "FROM " + t + " t ORDER BY 1")) {
                    while (rs.next()) rows.add(rs.getString(1));
                }
                out.put(t, rows);
            }
        }
        return out;
    }
}
