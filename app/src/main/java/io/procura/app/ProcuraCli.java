package io.procura.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code procura} command: wires every module (docs/DESIGN.md §2). Subcommands: {@code demo}, {@code loadtest},
 * {@code mechanism}, {@code circuit}.
 */
@Command(name = "procura", mixinStandardHelpOptions = true, version = "procura 0.1.0",
        description = "Prover procurement marketplace: designated-committee mechanism, Groth16 on BN254.",
        subcommands = {DemoCommand.class, LoadTestCommand.class, MechanismCommand.class, CircuitCommand.class, io.procura.app.ops.DeployCommand.class,
                io.procura.app.ops.CoordinatorCommand.class, io.procura.app.ops.AgentCommand.class, io.procura.app.ops.KeystoreCommand.class, io.procura.app.ops.FundCommand.class, io.procura.app.ops.RequestCommand.class,
                io.procura.app.ops.ProverCommand.class, io.procura.app.ops.StakeCommand.class,
                CommandLine.HelpCommand.class})
public final class ProcuraCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Entry point.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** @return the configured picocli command line (used by tests too) */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new ProcuraCli());
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            cmd.getErr().println("procura: " + io.procura.chain.Reverts.describe(ex.getMessage()));
            if (System.getenv("PROCURA_DEBUG") != null) ex.printStackTrace(cmd.getErr());
            return 2;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
