package io.procura.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static io.procura.db.Fixtures.hash;
import static io.procura.db.Fixtures.slot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Lifecycle of {@link Database}: embedded start/stop, persistence across restarts, external connections. */
class DatabaseTest {

    @Test
    void embeddedPersistsInItsDataDirectoryAndCursorResumesAfterRestart(@TempDir Path tmp) throws Exception {
        // reachable by an unprivileged server user when the test runs as root
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path dataDir = tmp.resolve("pg");
        try (Database db = Database.embedded(dataDir)) {
            assertThat(db.isEmbedded()).isTrue();
            assertThat(db.jdbcUrl()).startsWith("jdbc:postgresql://localhost:");
            Store store = new Store(db.dataSource());
            store.inTransaction(tx -> {
                tx.slots().insertSlotOpened(slot(1, 41, 0));
                tx.cursors().advanceCursor("market", 41, hash(41));
            });
        }
        assertThat(dataDir.resolve("PG_VERSION")).exists();
        try (Database db = Database.embedded(dataDir)) {
            Store store = new Store(db.dataSource());
            assertThat(store.cursors().cursor("market")).hasValue(41);
            assertThat(store.slots().findSlot(BigInteger.ONE)).isPresent();
            // the migration is not applied twice
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE version = '1'")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void closeIsIdempotentStopsTheServerAndRemovesATemporaryDirectory() throws Exception {
        Database db = Database.embedded(null);
        String url = db.jdbcUrl();
        Path data = db.embeddedDataDir();
        assertThat(data).exists();
        db.close();
        db.close();
        assertThat(data).doesNotExist();
        assertThatThrownBy(db::dataSource).isInstanceOf(StoreException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> Database.external(url, "postgres", null))
                .isInstanceOf(StoreException.class).hasMessageContaining(url);
    }

    @Test
    void externalConnectsToARunningServerAndSharesItsData() {
        try (Database embedded = Database.embedded(null)) {
            new Store(embedded.dataSource()).cursors().advanceCursor("market", 7, null);
            try (Database external = Database.external(embedded.jdbcUrl(), "postgres", "unused")) {
                assertThat(external.isEmbedded()).isFalse();
                assertThat(new Store(external.dataSource()).cursors().cursor("market")).hasValue(7);
            }
            // closing the external pool leaves the server running
            assertThat(new Store(embedded.dataSource()).cursors().cursor("market")).hasValue(7);
        }
    }

    @Test
    void externalRejectsANonPostgresUrl() {
        assertThatThrownBy(() -> Database.external("jdbc:mysql://localhost/x", "u", "p"))
                .isInstanceOf(StoreException.class).hasMessageContaining("Not a PostgreSQL JDBC URL");
    }
}
