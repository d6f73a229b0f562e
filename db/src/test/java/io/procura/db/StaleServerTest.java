package io.procura.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kept data directory whose server outlived its coordinator (SIGKILL: zonky's PostgreSQL is a separate process):
 * the next start stops that server and starts its own on the same data, instead of waiting 60 s and failing.
 */
class StaleServerTest {
    @Test
    void shouldStopAServerLeftRunningOnAKeptDataDirectory(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("pg");
        Files.createDirectories(tmp);
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        // a coordinator's JVM starts a server on the kept directory and is SIGKILLed: its server lives on
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), OrphanServerMain.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(jvm.getInputStream()));
        String line;
        while ((line = out.readLine()) != null && !line.contains("READY")) {
            // the child's log lines
        }
        assertThat(line).as("the child JVM started its server").isNotNull();
        jvm.destroyForcibly().waitFor();
        long pid = Long.parseLong(Files.readAllLines(dir.resolve("postmaster.pid")).get(0).strip());
        assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
        long t0 = System.nanoTime();
        try (Database db = Database.embedded(dir)) {
            assertThat(new Store(db.dataSource()).cursors().binding()).isEmpty(); // it serves the kept data
        }
        assertThat((System.nanoTime() - t0) / 1e9).as("no 60 s wait").isLessThan(45);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("the orphan is stopped").isFalse();
    }

    @Test
    void shouldRemoveThePidFileOfAServerThatIsGone(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("postmaster.pid"), "2147483646\n" + dir + "\n");
        EmbeddedServer.clearStaleServer(dir);
        assertThat(dir.resolve("postmaster.pid")).doesNotExist();
    }
}
