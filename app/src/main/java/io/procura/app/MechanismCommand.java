package io.procura.app;

import io.procura.app.mechanism.CompareCommand;
import io.procura.app.mechanism.MechanismOutput;
import io.procura.app.mechanism.SimulateCommand;
import io.procura.app.mechanism.SweepCommand;
import io.procura.mechanism.DesignatedMechanism;
import io.procura.mechanism.DesignatedOptimum;
import io.procura.mechanism.FailurePolicy;
import io.procura.mechanism.MechanismException;
import io.procura.mechanism.SymmetricMechanism;
import io.procura.mechanism.SymmetricOptimum;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code procura mechanism}: the mechanism math of docs/MECHANISM.md on the command line:
 * {@code optimize}, {@code compare}, {@code sweep}, {@code simulate}.
 */
@Command(name = "mechanism", description = "The procurement mechanism's math (docs/MECHANISM.md).",
        mixinStandardHelpOptions = true,
        subcommands = {MechanismCommand.Optimize.class, CompareCommand.class, SweepCommand.class, SimulateCommand.class})
public final class MechanismCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * {@code procura mechanism optimize}: the optimal parameters of one mechanism shape: the designated rule
     * (PROG5, docs/MECHANISM.md §3), the symmetric lower bound or the implementable symmetric rule (LP1, §4).
     */
    @Command(name = "optimize", mixinStandardHelpOptions = true,
            description = "Optimal parameters and worst-case loss (proof-cost units) of one mechanism shape (docs/MECHANISM.md §3-§4).")
    static final class Optimize implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @picocli.CommandLine.Mixin
        io.procura.app.mechanism.MarketOptions market;
        @Option(names = "--shape", defaultValue = "designated",
                description = "designated | symmetric-bound | symmetric [default: designated]")
        String shape;
        @Option(names = "--full-committee",
                description = "designated shape only: fix m = n-1, the rule the market contract implements")
        boolean fullCommittee;
        @Option(names = "--json", description = "print one JSON object")
        boolean json;

        @Override
        public Integer call() {
            int n = market.n, h = market.h;
            double livenessPenalty = market.livenessPenalty, stake = market.stake;
            FailurePolicy p = market.failurePolicy();
            Map<String, Object> out = new LinkedHashMap<>();
            String s = shape.trim().toLowerCase(Locale.ROOT);
            out.put("shape", s);
            out.put("n", n);
            out.put("h", h);
            out.put("livenessPenalty", livenessPenalty);
            switch (s) {
                case "designated" -> {
                    DesignatedOptimum o = fullCommittee
                            ? DesignatedMechanism.optimizeFullCommittee(n, h, livenessPenalty, stake, p)
                            : DesignatedMechanism.optimize(n, h, livenessPenalty, stake, p);
                    out.put("stake", stake);
                    out.put("policy", o.policy().name());
                    out.put("committeeSize", o.committeeSize());
                    out.put("mixingProbability", o.mixingProbability());
                    out.put("totalPrize", o.totalPrize());
                    out.put("committeePrize", o.committeePrize());
                    out.put("designatePrizeWithCommitteeDelivery", o.designatePrizeWithCommitteeDelivery());
                    out.put("loss", o.loss());
                }
                case "symmetric-bound" -> {
                    SymmetricOptimum o = SymmetricMechanism.optimizeBound(n, h, livenessPenalty, stake);
                    out.put("stake", stake);
                    out.put("committeeSize", o.committeeSize());
                    out.put("mixingProbability", o.mixingProbability());
                    out.put("loss", o.loss());
                }
                case "symmetric" -> {
                    SymmetricOptimum o = SymmetricMechanism.optimizeImplementable(n, h, livenessPenalty);
                    out.put("stake", 0.0);
                    out.put("committeeSize", o.committeeSize());
                    out.put("mixingProbability", o.mixingProbability());
                    out.put("loss", o.loss());
                    out.put("payments", o.payments());
                }
                default -> throw new MechanismException(
                        "unknown shape '" + shape + "' (use designated, symmetric-bound or symmetric)");
            }
            if (json) {
                MechanismOutput.printJson(spec.commandLine().getOut(), out);
            } else {
                MechanismOutput.printLines(spec.commandLine().getOut(), out);
            }
            return 0;
        }
    }

    /**
     * @param text {@code paper} or {@code compensate-committee} (case-insensitive, {@code _} or {@code -})
     * @return the policy
     * @throws IllegalArgumentException for any other text
     */
    public static FailurePolicy parsePolicy(String text) {
        try {
            return MechanismOutput.parsePolicy(text);
        } catch (MechanismException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }
}
