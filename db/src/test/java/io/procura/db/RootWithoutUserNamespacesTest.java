package io.procura.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static io.procura.db.Fixtures.slot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded server on a machine where user namespaces are unavailable (containers).
 *
 * <p>Run by its own surefire execution with {@code src/test/no-userns} first on PATH, whose
 * {@code unshare} always fails. As root, the server must then run as {@code nobody} through
 * {@code setpriv}; as any other user, as that user.
 */
class RootWithoutUserNamespacesTest {

    @Test
    void embeddedServerStartsAndWorks(@TempDir Path tmp) throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path dataDir = tmp.resolve("pg");
        try (Database db = Database.embedded(dataDir)) {
            if (EmbeddedServer.isRoot()) {
                assertThat(db.embeddedMode()).isEqualTo(EmbeddedServer.Mode.SETPRIV);
                long nobody = Long.parseLong(new String(new ProcessBuilder("id", "-u", "nobody").start()
                        .getInputStream().readAllBytes()).trim());
                assertThat(((Number) Files.getAttribute(dataDir.resolve("PG_VERSION"), "unix:uid")).longValue())
                        .isEqualTo(nobody);
            } else {
                assertThat(db.embeddedMode()).isEqualTo(EmbeddedServer.Mode.PLAIN);
            }
            new Store(db.dataSource()).slots().insertSlotOpened(slot(1, 1, 0));
        }
        // and again on the same data directory
        try (Database db = Database.embedded(dataDir)) {
            assertThat(new Store(db.dataSource()).slots().findSlot(BigInteger.ONE)).isPresent();
        }
    }

    @Test
    void temporaryServerAlsoWorks() {
        try (Database db = Database.embedded(null)) {
            assertThat(new Store(db.dataSource()).slots().listSlots(10, 0)).isEmpty();
        }
    }

    @Test
    void anUnreachableDataDirectoryIsAClearError(@TempDir Path tmp) throws Exception {
        if (!EmbeddedServer.isRoot()) {
            return; // only the server user of the root fallback can be locked out
        }
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
        assertThatThrownBy(() -> Database.embedded(tmp.resolve("pg")))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot reach data directory")
                .hasMessageContaining("nobody");
    }
}
