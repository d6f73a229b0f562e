package io.procura.app;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * Test helper: runs `procura` in this JVM and captures what it printed.
 *
 * @param exit its exit code
 * @param out  what it printed on standard output
 * @param err  what picocli printed on its error stream (the CLI's error lines)
 */
record CliRun(int exit, String out, String err) {
    /** Runs the CLI with {@code args}; standard output is captured for the call and restored after. */
    static CliRun of(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        System.setOut(new PrintStream(out, true));
        try {
            CommandLine cl = ProcuraCli.commandLine();
            cl.setErr(new PrintWriter(err, true));
            return new CliRun(cl.execute(args), out.toString(), err.toString());
        } finally {
            System.setOut(old);
        }
    }
}
