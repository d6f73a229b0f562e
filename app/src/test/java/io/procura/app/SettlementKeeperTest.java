package io.procura.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.procura.chain.SlotLogs;
import io.procura.coordinator.ChainIndexer;
import io.procura.coordinator.SettlementKeeper;
import io.procura.db.Database;
import io.procura.db.SlotState;
import io.procura.db.Store;
import io.procura.runtime.DigitsProof;
import java.math.BigInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The settlement keeper against a real chain and PostgreSQL: it draws an open slot only once its draw
 * block exists, skips a slot somebody else drew, cancels a slot nobody drew in time (escrow refunded),
 * and settles a drawn slot after its deadline, with the drawn terms it rebuilds from the events. The
 * settling test runs last: moving the clock past its deadline makes every slot drawn before it due too.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SettlementKeeperTest {
    private static LocalMarket m;
    private static Database db;
    private static Store store;
    private static ChainIndexer indexer;
    private static SettlementKeeper keeper;

    @BeforeAll
    static void start() throws Exception {
        m = new LocalMarket(2);
        db = Database.embedded(null);
        store = new Store(db.dataSource());
        indexer = new ChainIndexer(m.chain, m.d, store, 0);
        keeper = new SettlementKeeper(m.chain, m.d, store, m.owner);
    }

    @AfterAll
    static void stop() {
        if (db != null) db.close();
        if (m != null) m.close();
    }

    private static SettlementKeeper.Round round() {
        indexer.pollOnce();
        SettlementKeeper.Round r = keeper.pollOnce();
        indexer.pollOnce();
        return r;
    }

    @Test
    @Order(3)
    void shouldDrawWhenTheDrawBlockExistsThenSettleAfterTheDeadline() throws Exception {
        BigInteger slot = m.openUndrawn(m.fixedInputs());
        SettlementKeeper.Round early = round();
        assertThat(early.drawn()).as("the draw block does not exist yet").isEmpty();
        assertThat(store.slots().findSlot(slot).orElseThrow().state()).isEqualTo(SlotState.OPEN);

        m.chain.mine(LocalMarket.DRAW_DELAY);
        assertThat(round().drawn()).containsExactly(slot);
        var v = store.slots().findSlot(slot).orElseThrow();
        assertThat(v.state()).isEqualTo(SlotState.DRAWN);
        SlotLogs.Slot logs = SlotLogs.read(m.chain, m.d.market(), slot, m.d.deployBlock());
        assertThat(v.drawn().designate()).isEqualToIgnoringCase(logs.drawn().designate);
        assertThat(round().drawn()).as("drawn once").isEmpty();

        var designate = m.provers.stream().filter(c -> c.getAddress().equalsIgnoreCase(logs.drawn().designate))
                .findFirst().orElseThrow();
        DigitsProof proof = m.proveFor(slot, designate);
        m.as(designate).market().submitProof(slot, logs.drawnTerms(), java.util.List.of(BigInteger.valueOf(proof.predictedClass())),
                java.util.Arrays.asList(proof.proof())).send();
        assertThat(round().settled()).as("not before the deadline").isEmpty();
        m.chain.increaseTime(601);
        assertThat(round().settled()).contains(slot);
        assertThat(store.slots().findSlot(slot).orElseThrow().state()).isEqualTo(SlotState.SETTLED);
        assertThat(m.as(m.requester).market().claimable(designate.getAddress()).send()).isEqualTo(logs.openedTerms().escrow);
    }

    @Test
    @Order(1)
    void shouldSkipASlotAnotherPartyDrewFirst() throws Exception {
        BigInteger slot = m.openUndrawn(m.fixedInputs());
        indexer.pollOnce();
        m.draw(slot); // drawn by someone else before the keeper's poll
        SettlementKeeper.Round r = keeper.pollOnce();
        assertThat(r.drawn()).doesNotContain(slot);
        assertThat(r.cancelled()).doesNotContain(slot);
        indexer.pollOnce();
        assertThat(store.slots().findSlot(slot).orElseThrow().state()).isEqualTo(SlotState.DRAWN);
    }

    @Test
    @Order(2)
    void shouldCancelASlotNobodyDrewWhileItsDrawBlockHashWasReadable() throws Exception {
        BigInteger slot = m.openUndrawn(m.fixedInputs());
        BigInteger claimableBefore = m.as(m.requester).market().claimable(m.requester.getAddress()).send();
        indexer.pollOnce();
        m.chain.mine(LocalMarket.DRAW_DELAY + 255); // the next block is drawBlock + 256: still drawable
        assertThat(keeper.pollOnce().cancelled()).as("still drawable: drawn, not cancelled").doesNotContain(slot);
        assertThat(m.as(m.requester).market().slotState(slot).send().drawn).isTrue();

        BigInteger late = m.openUndrawn(m.fixedInputs());
        m.chain.mine(LocalMarket.DRAW_DELAY + 256); // the next block is drawBlock + 257: too late to draw
        SettlementKeeper.Round r = round();
        assertThat(r.cancelled()).containsExactly(late);
        assertThat(r.drawn()).doesNotContain(late);
        var v = store.slots().findSlot(late).orElseThrow();
        assertThat(v.state()).isEqualTo(SlotState.CANCELLED);
        assertThat(v.cancellation().noCandidate()).isFalse();
        BigInteger escrow = m.opened(late).terms.escrow;
        assertThat(m.as(m.requester).market().claimable(m.requester.getAddress()).send()).isEqualTo(claimableBefore.add(escrow));
    }
}
