package io.procura.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.procura.coordinator.Coordinator;
import io.procura.db.Database;
import io.procura.db.Store;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's index is bound to its chain and deployment: pointed at a redeployed chain with the same
 * addresses (a fresh anvil, the same deployer nonce), it refuses to serve the old chain's slots, and with a fresh
 * index (`--fresh-index`) it drops them and indexes the new chain.
 */
class CoordinatorIndexBindingTest {
    private static Database db;

    @BeforeAll
    static void database() {
        db = Database.embedded(null);
    }

    @AfterAll
    static void close() {
        if (db != null) db.close();
    }

    private static Coordinator coordinator(LocalMarket m, Store store) {
        return new Coordinator(m.chain, m.d, store, m.owner, new Coordinator.Settings(1.0, 0, Duration.ofMillis(200), -1));
    }

    @Test
    void shouldRefuseAnIndexOfAnotherDeploymentAndStartFreshOnRequest() throws Exception {
        Store store = new Store(db.dataSource());
        String market;
        try (LocalMarket first = new LocalMarket(1); Coordinator c = coordinator(first, store)) {
            market = first.d.market();
            c.start();
            first.openSlot(first.fixedInputs());
            c.syncNow();
            assertThat(store.slots().listSlots(10, 0)).hasSize(1);
            assertThat(store.cursors().binding()).hasValueSatisfying(b -> assertThat(b.market()).isEqualTo(market.toLowerCase()));
        }
        // anvil's blocks carry whole-second timestamps: a chain redeployed within the same second is, block for block,
        // the same chain up to the deployment (its later divergence is a reorganisation, rolled back by the indexer);
        // a second later it is another chain, which is what this test is about
        Thread.sleep(1_100);
        try (LocalMarket redeployed = new LocalMarket(1)) {
            assertThat(redeployed.d.market()).as("same deployer, same nonce: same addresses").isEqualToIgnoringCase(market);
            try (Coordinator c = coordinator(redeployed, store)) {
                assertThatThrownBy(c::start).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("another chain or a redeployment").hasMessageContaining("--fresh-index");
            }
            assertThat(store.slots().listSlots(10, 0)).as("nothing dropped without asking").hasSize(1);
            try (Coordinator c = coordinator(redeployed, store)) {
                c.bindIndex(true);
                c.start();
                c.syncNow();
                assertThat(store.slots().listSlots(10, 0)).as("the old chain's slot is gone").isEmpty();
                redeployed.openSlot(redeployed.fixedInputs());
                c.syncNow();
                assertThat(store.slots().listSlots(10, 0)).hasSize(1);
            }
        }
    }
}
