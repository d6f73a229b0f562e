package io.procura.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.procura.app.demo.DemoOptions;
import io.procura.app.demo.DemoReport;
import io.procura.app.demo.DemoRunner;
import io.procura.chain.Tokens;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code procura demo}: the whole marketplace, end to end, on a local chain and database. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a whole marketplace: embedded PostgreSQL + anvil (unless --jdbc-url / --rpc-url), contracts, "
                + "a coordinator, prover agents (some faulty), real Groth16 proofs, settlement, claims, and a token conservation check.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--provers", defaultValue = "5", description = "prover agents [default: ${DEFAULT-VALUE}]")
    int provers;
    @Option(names = "--faulty", defaultValue = "1", description = "of which silent designates [default: ${DEFAULT-VALUE}]")
    int faulty;
    @Option(names = "--slots", defaultValue = "6", description = "slots to run [default: ${DEFAULT-VALUE}]")
    int slots;
    @Option(names = "--liveness-penalty", defaultValue = "100", description = "C, proof-cost units [default: ${DEFAULT-VALUE}]")
    double livenessPenalty;
    @Option(names = "--proof-price", defaultValue = "10", description = "tokens per proof-cost unit [default: ${DEFAULT-VALUE}]")
    String proofPrice;
    @Option(names = "--bond", defaultValue = "1000", description = "tokens each prover bonds [default: ${DEFAULT-VALUE}]")
    String bond;
    @Option(names = "--min-bond", defaultValue = "500", description = "minimum bond for eligibility, tokens [default: ${DEFAULT-VALUE}]")
    String minBond;
    @Option(names = "--slot-bond", defaultValue = "200",
            description = "tokens locked from the designate per slot, the stake at risk B [default: ${DEFAULT-VALUE}]")
    String slotBond;
    @Option(names = "--honest-fraction", defaultValue = "0.6", description = "alpha = h/n assumed for quotes [default: ${DEFAULT-VALUE}]")
    double honestFraction;
    @Option(names = "--policy", defaultValue = "compensate-committee",
            description = "failure policy: paper | compensate-committee [default: ${DEFAULT-VALUE}]")
    String policy;
    @Option(names = "--prove-window", defaultValue = "60", description = "seconds from the draw of a slot's designate to its deadline [default: ${DEFAULT-VALUE}]")
    long proveWindow;
    @Option(names = "--jdbc-url", description = "external PostgreSQL (user and password in the URL) instead of the embedded one")
    String jdbcUrl;
    @Option(names = "--rpc-url", description = "external chain instead of a local anvil (needs --deployer-key-env)")
    String rpcUrl;
    @Option(names = "--deployer-key-env", description = "environment variable holding the hex private key that deploys "
            + "and funds (never the key itself on the command line) [default: anvil's first dev key]")
    String deployerKeyEnv;
    @Option(names = "--api-port", defaultValue = "0", description = "coordinator API port, 0 = any free port [default: ${DEFAULT-VALUE}]")
    int apiPort;
    @Option(names = "--correlated-stake", defaultValue = "0",
            description = "correlated slashing: tokens of the committee pool each slot locks and a failed slot loses; "
                    + "each prover stakes this much into the pool; 0 = off [default: ${DEFAULT-VALUE}]")
    String correlatedStake;
    @Option(names = "--json", arity = "0..1", fallbackValue = "", paramLabel = "FILE", description = "also write the report "
            + "as JSON to FILE (checked before the demo starts) [alone: $XDG_DATA_HOME or ~/.local/share, then "
            + "procura/reports/demo-<UTC time>.json]")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (json != null && json.toString().isEmpty()) json = io.procura.app.ops.DataDirs.report("demo", ".json");
        if (json != null) io.procura.app.ops.DataDirs.checkWritable(json, "the report");
        if (System.getenv("PROCURA_LOG") == null) {
            // the demo tells its own story; its agents' operator log (INFO for `procura agent`) shows warnings only
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.procura.agent"))
                    .setLevel(ch.qos.logback.classic.Level.WARN);
        }
        Path home = Path.of(System.getProperty("procura.home", ".")).toAbsolutePath().normalize();
        String deployerKey = null;
        if (deployerKeyEnv != null) {
            deployerKey = System.getenv(deployerKeyEnv);
            if (deployerKey == null || deployerKey.isBlank()) {
                throw new IllegalArgumentException("--deployer-key-env names " + deployerKeyEnv + ", which is not set");
            }
        } else if (rpcUrl != null) {
            throw new IllegalArgumentException("--rpc-url needs --deployer-key-env (the variable holding the deploying key)");
        }
        DemoOptions opts = new DemoOptions(provers, faulty, slots, 10, livenessPenalty, Tokens.parse(proofPrice),
                Tokens.parse(bond), Tokens.parse(minBond), Tokens.parse(slotBond), honestFraction,
                MechanismCommand.parsePolicy(policy), proveWindow, jdbcUrl, rpcUrl, deployerKey, home, apiPort,
                Tokens.parse(correlatedStake));
        System.out.printf("Procura demo: %d provers (%d faulty), %d slots, liveness penalty C=%s proof-cost units, "
                        + "proof price %s tokens, bond %s tokens, slot bond %s tokens%s, policy %s%n",
                provers, faulty, slots, livenessPenalty, proofPrice, bond, slotBond,
                opts.correlatedStake().signum() > 0 ? " + correlated stake " + correlatedStake + " tokens" : "", opts.policy());
        DemoReport report = new DemoRunner(opts, System.out).run();
        if (json != null) {
            writeJson(report, json);
            System.out.println("report written to " + json);
        }
        if (!report.ok()) System.out.println("procura demo: FAILED (see the conservation check above)");
        return report.ok() ? 0 : 1;
    }

    /**
     * Writes the report as pretty-printed JSON: per slot {@code slotId, designate, designateDelivered,
     * deliveries, payouts (address → base units), slashed, refunded, …}; token amounts are decimal strings of base units and a top-level
     * {@code conservation} object (field names as in {@link DemoReport}).
     *
     * @param report the report (a {@link DemoReport}, or another record such as the load test's)
     * @param file   where to write
     * @throws java.io.IOException if the file cannot be written
     */
    static void writeJson(Object report, Path file) throws java.io.IOException {
        // uint256 amounts as decimal strings: JSON numbers lose precision above 2^53 in most readers.
        var amounts = new com.fasterxml.jackson.databind.module.SimpleModule()
                .addSerializer(java.math.BigInteger.class, com.fasterxml.jackson.databind.ser.std.ToStringSerializer.instance);
        new ObjectMapper().registerModule(amounts).enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), report);
    }
}
