package io.procura.app.mechanism;

import io.procura.mechanism.FailurePolicy;
import picocli.CommandLine.Option;

/**
 * The market options every {@code procura mechanism} subcommand shares (a picocli mixin):
 * {@code --n}, {@code --h}, {@code --liveness-penalty}, {@code --stake}, {@code --policy}.
 */
public final class MarketOptions {
    /** provers in the eligible set, {@code n >= 1} */
    @Option(names = "--n", required = true, description = "provers in the eligible set (>= 1)")
    public int n;
    /** provers assumed honest, {@code 1 <= h <= n} */
    @Option(names = "--h", required = true, description = "provers assumed honest (1 <= h <= n)")
    public int h;
    /** the liveness penalty C, proof-cost units, {@code >= 1} */
    @Option(names = "--liveness-penalty", required = true, description = "C, proof-cost units (>= 1)")
    public double livenessPenalty;
    /** the slashable stake B, proof-cost units, {@code >= 0} */
    @Option(names = "--stake", defaultValue = "0", description = "B, slashable stake, proof-cost units [default: 0]")
    public double stake;
    /** the failure policy, as typed */
    @Option(names = "--policy", defaultValue = "compensate-committee",
            description = "failure policy of the designated rule: paper | compensate-committee [default: compensate-committee]")
    public String policy;

    /**
     * @return the parsed failure policy
     * @throws io.procura.mechanism.MechanismException for an unknown policy name
     */
    public FailurePolicy failurePolicy() {
        return MechanismOutput.parsePolicy(policy);
    }
}
