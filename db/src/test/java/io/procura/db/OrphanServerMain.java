package io.procura.db;

import java.nio.file.Path;

/** Test helper run in a child JVM: starts an embedded server on a data directory, says READY, waits to be killed. */
public final class OrphanServerMain {
    private OrphanServerMain() {
    }

    /**
     * @param args the data directory
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        EmbeddedServer.start(Path.of(args[0]));
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
