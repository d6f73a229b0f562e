package io.procura.app.ops;

import io.procura.agent.AgentConfig;
import io.procura.agent.AgentState;
import io.procura.agent.ProverAgent;
import io.procura.agent.SlotOutcome;
import io.procura.chain.ChainClient;
import io.procura.chain.Deployment;
import io.procura.chain.Tokens;
import io.procura.runtime.DigitsModel;
import io.procura.runtime.ProvingKey;
import io.procura.runtime.ProvingRuntime;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code procura agent}: one prover operator's daemon, until stopped. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Run a prover agent: register (once), bond, opt into its circuits, watch slots, draw them, prove as designate "
                + "or by private coin, submit, claim; until Ctrl-C.")
public final class AgentCommand implements Callable<Integer> {
    @Mixin
    MarketConnection market;
    @Option(names = "--bond", defaultValue = "0", description = "own stake to reach at start, tokens: only the shortfall is bonded, so a restart with the same "
            + "value bonds nothing (0: keep the current bond) [default: ${DEFAULT-VALUE}]")
    String bond;
    @Option(names = "--endpoint", defaultValue = "", description = "endpoint registered on chain (informational)")
    String endpoint;
    @Option(names = "--name", defaultValue = "agent", description = "label for logs [default: ${DEFAULT-VALUE}]")
    String name;
    @Option(names = "--from-block", description = "first block to watch [default: where the last run of this key on this market "
                    + "stopped (its data directory's cursor), else " + FIRST_RUN_LOOKBACK + " blocks before the latest (or the "
                    + "deployment block)]; an earlier block is safe: slots already delivered, settled or past their window "
                    + "are skipped")
    BigInteger fromBlock;
    @Option(names = "--data-dir", description = "the agent's state: its lock (one agent per key and market) and cursor "
            + "[default: $XDG_DATA_HOME or ~/.local/share, then procura/agents/<chain id>-<market>-<address>]")
    Path dataDir;
    @Option(names = "--confirmations", defaultValue = "0", description = "blocks an event must be buried under before the "
            + "agent acts on it: 0 suits a local dev chain, use 12 or more on a public chain [default: ${DEFAULT-VALUE}]")
    int confirmations;
    @Option(names = "--shutdown-grace", defaultValue = "60", description = "on Ctrl-C or SIGTERM, seconds to let an in-flight "
            + "designate proof finish and be submitted before it is abandoned (a restart before its deadline proves it "
            + "again) [default: ${DEFAULT-VALUE}]")
    long shutdownGrace;
    @Option(names = "--poll-ms", defaultValue = "1000", description = "event poll interval, ms [default: ${DEFAULT-VALUE}]")
    long pollMs;
    @Option(names = "--circuits", split = ",", paramLabel = "ID",
            description = "market circuit ids to opt into and take slots of (and out of every other); "
                    + "[default: every circuit the agent holds keys for: the deployment's digits circuit]")
    java.util.List<BigInteger> circuits;

    @Option(names = "--prover", paramLabel = "auto|cpu|gpu",
            description = "Groth16 prover: auto (a CUDA GPU when one is usable, else the CPU), cpu, or gpu (required: "
                    + "refuse to start without one) [default: $PROCURA_PROVER or auto]")
    String prover;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "serve Prometheus metrics at http://HOST:PORT/metrics (0: any free port, printed) "
                    + "[default: none]")
    Integer metricsPort;

    @Option(names = "--metrics-host", defaultValue = "127.0.0.1",
            description = "address the metrics endpoint listens on (0.0.0.0 for a scraper elsewhere) [default: ${DEFAULT-VALUE}]")
    String metricsHost;

    /** Blocks a first run reads back, so that a duty drawn shortly before the agent first started is seen. */
    static final int FIRST_RUN_LOOKBACK = 7_200;

    @Override
    public Integer call() throws Exception {
        if (shutdownGrace < 0) throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                "--shutdown-grace must be >= 0 seconds, got " + shutdownGrace);
        if (metricsPort != null && (metricsPort < 0 || metricsPort > 65_535)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--metrics-port must be in 0..65535, got " + metricsPort);
        }
        if (prover != null && !java.util.Set.of("auto", "cpu", "gpu").contains(prover)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--prover must be auto, cpu or gpu, got " + prover);
        }
        Deployment d = market.deployment();
        // the prover first: a required GPU that is missing stops the agent before it registers or bonds anything
        ProvingRuntime runtime = ProvingRuntime.nativeRuntime();
        io.procura.runtime.ProverBackend backend = runtime.configureBackend(prover);
        System.out.printf("agent %s: proving on %s%n", name, backend);
        Path home = Path.of(System.getProperty("procura.home", ".")).toAbsolutePath().normalize();
        DigitsModel model = DigitsModel.load(home.resolve("data/digits-model.json"));
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        // on SIGTERM the JVM runs this hook and halts when it returns: it waits for the agent to close (an in-flight
        // designate proof is let finish), the cursor and state saved
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(shutdownGrace + 10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        AgentConfig cfg = new AgentConfig(name, market.key.credentials(), endpoint, Tokens.parse(bond), AgentConfig.FaultMode.NONE,
                Duration.ofSeconds(2), Duration.ofMillis(pollMs), circuits == null ? null : java.util.Set.copyOf(circuits));
        Path dir = dataDir != null ? dataDir : DataDirs.of("agents", d, cfg.credentials().getAddress());
        try (MetricsEndpoint metrics = metricsPort == null ? null : new MetricsEndpoint(metricsHost, metricsPort);
             AgentState state = AgentState.open(dir);
             ChainClient chain = ChainClient.connect(market.rpcUrl);
             ProvingKey pk = ProvingKey.loadBundled("digits");
             ProverAgent agent = new ProverAgent(cfg, chain, d, runtime, pk, model, AgentCommand::print)) {
            if (metrics != null) System.out.printf("agent %s: metrics on %s%n", name, metrics.url());
            agent.setConfirmations(confirmations);
            agent.setShutdownGrace(Duration.ofSeconds(shutdownGrace));
            agent.registerAndBond();
            java.util.Optional<BigInteger> cursor = state.cursor();
            BigInteger from = fromBlock != null ? fromBlock : cursor.orElseGet(
                    () -> chain.blockNumber().subtract(BigInteger.valueOf(FIRST_RUN_LOOKBACK)).max(d.deployBlock()));
            System.out.printf("agent %s: reading market events from block %s (%s; state in %s)%n", name, from,
                    fromBlock != null ? "--from-block" : cursor.isPresent() ? "where the last run stopped"
                            : "first run: " + FIRST_RUN_LOOKBACK + " blocks back, or the deployment block", dir);
            agent.start(from, state);
            System.out.printf("agent %s (%s) watching market %s, circuits %s (Ctrl-C to stop)%n", name, agent.address(), d.market(),
                    new java.util.TreeSet<>(agent.circuits()));
            stop.await();
            System.out.printf("agent %s: stopping%n", name);
        } finally {
            stopped.countDown();
        }
        return 0;
    }

    private static void print(SlotOutcome o) {
        System.out.printf("slot %s: %s %s %s%n", o.slotId(), o.role(), o.action(),
                o.action() == SlotOutcome.Action.SUBMITTED
                        ? (o.predictedClass() >= 0 ? "class " + o.predictedClass() + ", " : "") + "proved in "
                                + o.proveTime().toMillis() + " ms, " + o.gasUsed() + " gas"
                        : o.detail());
    }
}
