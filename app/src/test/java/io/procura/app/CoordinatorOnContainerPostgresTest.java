package io.procura.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.procura.coordinator.Coordinator;
import io.procura.db.Database;
import io.procura.db.SlashRow;
import io.procura.db.SlotState;
import io.procura.db.SlotView;
import io.procura.db.Store;
import io.procura.db.containers.ProcuraImages;
import io.procura.db.containers.RequiresDocker;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;

/**
 * The coordinator with its index in PostgreSQL 15 in a container of {@code docker/postgres} (Testcontainers) rather
 * than the embedded server: on anvil, one slot proven by its designate and one whose designate stays silent; the
 * indexer records both, the keeper settles both (the silent designate's bond slashed), and a second coordinator on the
 * same database takes the index over where the first stopped. Skipped, saying why, where no Docker engine answers.
 */
@RequiresDocker
class CoordinatorOnContainerPostgresTest {

    @Test
    void coordinatorIndexesAndSettlesSlotsIntoTheContainersPostgres() throws Exception {
        try (GenericContainer<?> pg = ProcuraImages.postgres()) {
            pg.start();
            String url = ProcuraImages.jdbcUrl(pg);
            try (LocalMarket m = new LocalMarket(2); Database db = Database.external(url, null, null)) {
                Store store = new Store(db.dataSource());
                Coordinator first = new Coordinator(m.chain, m.d, store, m.owner,
                        new Coordinator.Settings(1.0, 0, Duration.ofMillis(200), -1));
                LocalMarket.ProvenAndSilent slots;
                try {
                    first.start();
                    slots = m.provenAndSilent(first);
                } finally {
                    first.close();
                }

                SlotView proven = store.slots().findSlot(slots.proven()).orElseThrow();
                assertThat(proven.state()).isEqualTo(SlotState.SETTLED);
                assertThat(proven.settlement().designateDelivered()).isTrue();
                assertThat(proven.deliveries()).hasSize(1);
                assertThat(proven.settlement().slashed()).isZero();

                SlotView silent = store.slots().findSlot(slots.silent()).orElseThrow();
                assertThat(silent.state()).isEqualTo(SlotState.SETTLED);
                assertThat(silent.settlement().designateDelivered()).isFalse();
                assertThat(silent.deliveries()).isEmpty();
                assertThat(silent.settlement().slashed()).isEqualTo(slots.silentBond());
                List<SlashRow> slashes = store.ledger().slashesOf(slots.silent());
                assertThat(slashes).hasSize(1);
                assertThat(slashes.get(0).prover()).isEqualToIgnoringCase(silent.drawn().designate());

                // a restarted coordinator on the same container database: the binding matches, nothing is indexed twice
                String cursorName = "market:" + m.d.chainId() + ":" + m.d.market().toLowerCase();
                long cursor = store.cursors().cursor(cursorName).orElseThrow();
                BigInteger third = m.openSlot(m.fixedInputs());
                try (Coordinator second = new Coordinator(m.chain, m.d, new Store(db.dataSource()), m.owner,
                        new Coordinator.Settings(1.0, 0, Duration.ofMillis(200), -1))) {
                    second.start();
                    second.syncNow();
                    assertThat(store.cursors().cursor(cursorName).orElseThrow()).isGreaterThan(cursor);
                    assertThat(store.slots().findSlot(third).orElseThrow().state()).isEqualTo(SlotState.DRAWN); // openSlot draws it
                    assertThat(store.slots().findSlot(slots.proven()).orElseThrow()).isEqualTo(proven);
                    assertThat(store.ledger().slashesOf(slots.silent())).isEqualTo(slashes);
                }
            }
        }
    }
}
