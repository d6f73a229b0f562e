package io.procura.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.procura.mechanism.DesignatedMechanism;
import io.procura.mechanism.DesignatedOptimum;
import io.procura.mechanism.FailurePolicy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code procura mechanism}: the mechanism math of MECHANISM.md on the command line. */
@Command(name = "mechanism", description = "The procurement mechanism's math (MECHANISM.md).",
        mixinStandardHelpOptions = true, subcommands = {MechanismCommand.Optimize.class})
public final class MechanismCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** {@code procura mechanism optimize}: the optimal designated parameters (PROG5, MECHANISM.md §3). */
    @Command(name = "optimize", mixinStandardHelpOptions = true,
            description = "Optimal designated uniform committee parameters and worst-case loss (MECHANISM.md §3).")
    static final class Optimize implements Callable<Integer> {
        @Option(names = "--n", required = true, description = "provers in the eligible set")
        int n;
        @Option(names = "--h", required = true, description = "provers assumed honest")
        int h;
        @Option(names = "--liveness-penalty", required = true, description = "C, proof-cost units (>= 1)")
        double livenessPenalty;
        @Option(names = "--stake", defaultValue = "0", description = "B, slashable stake, proof-cost units [default: 0]")
        double stake;
        @Option(names = "--policy", defaultValue = "compensate-committee",
                description = "failure policy: paper | compensate-committee [default: compensate-committee]")
        String policy;
        @Option(names = "--json", description = "print one JSON object")
        boolean json;

        @Override
        public Integer call() throws Exception {
            DesignatedOptimum o = DesignatedMechanism.optimize(n, h, livenessPenalty, stake, parsePolicy(policy));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("shape", "designated");
            out.put("n", n);
            out.put("h", h);
            out.put("livenessPenalty", livenessPenalty);
            out.put("stake", stake);
            out.put("policy", o.policy().name());
            out.put("committeeSize", o.committeeSize());
            out.put("mixingProbability", o.mixingProbability());
            out.put("totalPrize", o.totalPrize());
            out.put("committeePrize", o.committeePrize());
            out.put("loss", o.loss());
            if (json) {
                System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
            } else {
                out.forEach((k, v) -> System.out.printf("%-18s %s%n", k, v));
            }
            return 0;
        }
    }

    /**
     * @param text {@code paper} or {@code compensate-committee} (case-insensitive, {@code _} or {@code -})
     * @return the policy
     * @throws IllegalArgumentException for any other text
     */
    static FailurePolicy parsePolicy(String text) {
        String t = text.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        try {
            return FailurePolicy.valueOf(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown failure policy '" + text + "' (use paper or compensate-committee)");
        }
    }
}
