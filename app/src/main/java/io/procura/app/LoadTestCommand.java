package io.procura.app;

import io.procura.app.load.LoadTestOptions;
import io.procura.app.load.LoadTestReport;
import io.procura.app.load.LoadTestRunner;
import io.procura.chain.Tokens;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code procura loadtest}: load and soak on a local anvil and an embedded PostgreSQL: many slots, many agents in one
 * process sharing one proving queue (some silent designates), an API load meanwhile, then the token audit.
 */
@Command(name = "loadtest", mixinStandardHelpOptions = true,
        description = "Load and soak test: embedded PostgreSQL + anvil, contracts, a coordinator, --agents prover agents in "
                + "this process sharing one proving queue (a share of them silent designates), --slots slots with --concurrency "
                + "in flight, an API load at --api-rate; checks that every slot settled, every token is conserved to the base "
                + "unit and nothing is left locked; prints slots/min, proofs/min, API p50/p99, peak RSS. Exit 1 if a check fails.")
public final class LoadTestCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--slots", defaultValue = "1000", description = "slots to run [default: ${DEFAULT-VALUE}]")
    int slots;
    @Option(names = "--agents", defaultValue = "50", description = "prover agents in this process [default: ${DEFAULT-VALUE}]")
    int agents;
    @Option(names = "--faulty-fraction", defaultValue = "0.1",
            description = "share of the agents that are silent designates, in [0, 1) [default: ${DEFAULT-VALUE}]")
    double faultyFraction;
    @Option(names = "--concurrency", defaultValue = "16", description = "slots in flight at once (one requester key each) [default: ${DEFAULT-VALUE}]")
    int concurrency;
    @Option(names = "--circuit", defaultValue = "digits", description = "digits | digits-mlp | rollup-2^14 [default: ${DEFAULT-VALUE}]")
    String circuit;
    @Option(names = "--prove-threads", description = "proofs at once through the shared proving queue [default: available processors]")
    Integer proveThreads;
    @Option(names = "--api-rate", defaultValue = "50", description = "API requests per second during the run, 0 = off [default: ${DEFAULT-VALUE}]")
    double apiRate;
    @Option(names = "--prove-window", defaultValue = "600", description = "seconds (chain time) from a draw to the deadline, 30..600 [default: ${DEFAULT-VALUE}]")
    long proveWindow;
    @Option(names = "--liveness-penalty", defaultValue = "100", description = "C, proof-cost units [default: ${DEFAULT-VALUE}]")
    double livenessPenalty;
    @Option(names = "--proof-price", defaultValue = "10", description = "tokens per proof-cost unit [default: ${DEFAULT-VALUE}]")
    String proofPrice;
    @Option(names = "--bond", defaultValue = "1000", description = "tokens each agent bonds [default: ${DEFAULT-VALUE}]")
    String bond;
    @Option(names = "--min-bond", defaultValue = "500", description = "minimum bond for eligibility, tokens [default: ${DEFAULT-VALUE}]")
    String minBond;
    @Option(names = "--slot-bond", defaultValue = "200", description = "tokens locked from the designate per slot [default: ${DEFAULT-VALUE}]")
    String slotBond;
    @Option(names = "--honest-fraction", defaultValue = "0.6", description = "alpha = h/n assumed for quotes [default: ${DEFAULT-VALUE}]")
    double honestFraction;
    @Option(names = "--progress-every", defaultValue = "50", description = "a progress line every N ended slots (and every 30 s) [default: ${DEFAULT-VALUE}]")
    int progressEvery;
    @Option(names = "--json", arity = "0..1", fallbackValue = "", paramLabel = "FILE", description = "also write the report "
            + "as JSON to FILE (checked before the run starts) [alone: $XDG_DATA_HOME or ~/.local/share, then "
            + "procura/reports/loadtest-<UTC time>.json]")
    Path json;

    @Override
    public Integer call() throws Exception {
        LoadTestOptions opts = options();
        if (json != null && json.toString().isEmpty()) json = io.procura.app.ops.DataDirs.report("loadtest", ".json");
        if (json != null) io.procura.app.ops.DataDirs.checkWritable(json, "the report");
        if (System.getenv("PROCURA_LOG") == null) {
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.procura.agent"))
                    .setLevel(ch.qos.logback.classic.Level.WARN);
        }
        System.out.printf("Procura load test: %d slots, %d agents (%d silent designates), %d in flight, circuit %s, %d proofs "
                        + "at once, API load %s%n", opts.slots(), opts.agents(), opts.faulty(), opts.concurrency(), opts.circuit(),
                opts.proveThreads(), opts.apiRate() > 0 ? opts.apiRate() + " requests/s" : "off");
        LoadTestReport report = new LoadTestRunner(opts, System.out).run();
        if (json != null) {
            DemoCommand.writeJson(report, json);
            System.out.println("report written to " + json);
        }
        return report.ok() ? 0 : 1;
    }

    /** The options as a validated record; a bad value is a picocli ParameterException naming its option. */
    private LoadTestOptions options() {
        Path home = Path.of(System.getProperty("procura.home", ".")).toAbsolutePath().normalize();
        try {
            return new LoadTestOptions(slots, agents, faultyFraction, concurrency, circuit,
                    proveThreads == null ? Runtime.getRuntime().availableProcessors() : proveThreads, apiRate, proveWindow,
                    livenessPenalty, tokens(proofPrice, "--proof-price"), tokens(bond, "--bond"), tokens(minBond, "--min-bond"),
                    tokens(slotBond, "--slot-bond"), honestFraction, progressEvery, home);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private java.math.BigInteger tokens(String text, String option) {
        try {
            return Tokens.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(option + ": not a token amount: " + text);
        }
    }
}
