package io.procura.app.mechanism;

import io.procura.mechanism.Adversary;
import io.procura.mechanism.DesignatedMechanism;
import io.procura.mechanism.DesignatedOptimum;
import io.procura.mechanism.FailurePolicy;
import io.procura.mechanism.SimulationResult;
import io.procura.mechanism.SlotSimulator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code procura mechanism simulate}: Monte Carlo slots of the optimal full-committee designated
 * rule against a named adversary; prints the realised mean cost with its confidence interval beside
 * the exact expected cost and the worst-case loss (proof-cost units). Costs are net: the gross cost (payments to
 * provers plus the liveness penalty) less the refund (the designate's seized stake), each also printed apart; under
 * the paper's failure policy a net cost below zero is the requester keeping a slashed bond (see
 * {@link SimulationResult}).
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Monte Carlo slots of the designated rule (m = n-1, optimal p) under a named adversary.")
public final class SimulateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @picocli.CommandLine.Mixin
    io.procura.app.mechanism.MarketOptions market;
    @Option(names = "--adversary", required = true,
            description = "honest | silent-designate | silent-designate-and-committee | over-delivering-committee")
    String adversary;
    @Option(names = "--slots", defaultValue = "100000", description = "slots to simulate [default: 100000]")
    long slots;
    @Option(names = "--seed", defaultValue = "1", description = "random seed [default: 1]")
    long seed;
    @Option(names = "--confidence", defaultValue = "0.95", description = "confidence level of the interval [default: 0.95]")
    double confidence;
    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Override
    public Integer call() {
        int n = market.n, h = market.h;
        double livenessPenalty = market.livenessPenalty, stake = market.stake;
        FailurePolicy p = market.failurePolicy();
        Adversary a = Adversary.parse(adversary);
        DesignatedOptimum o = DesignatedMechanism.optimizeFullCommittee(n, h, livenessPenalty, stake, p);
        SimulationResult r = SlotSimulator.simulate(n, h, o.committeeSize(), o.mixingProbability(), livenessPenalty,
                stake, p, a, slots, seed, confidence);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("n", n);
        out.put("h", h);
        out.put("livenessPenalty", livenessPenalty);
        out.put("stake", stake);
        out.put("policy", p.name());
        out.put("adversary", a.cliName());
        out.put("committeeSize", o.committeeSize());
        out.put("mixingProbability", o.mixingProbability());
        out.put("slots", r.slots());
        out.put("meanCost", r.meanCost());
        out.put("meanGrossCost", r.meanGrossCost());
        out.put("meanRefund", r.meanRefund());
        out.put("standardError", r.standardError());
        out.put("confidence", r.confidence());
        out.put("lower", r.lower());
        out.put("upper", r.upper());
        out.put("expectedCost", r.expectedCost());
        out.put("expectedGrossCost", r.expectedGrossCost());
        out.put("expectedRefund", r.expectedRefund());
        out.put("theoryWithinInterval", r.theoryWithinInterval());
        out.put("worstCaseLoss", r.worstCaseLoss());
        out.put("designateFailures", r.designateFailures());
        out.put("slotsWithoutProof", r.slotsWithoutProof());
        if (r.meanCost() < 0 || r.expectedCost() < 0) {
            out.put("note", "a net cost below zero is the requester keeping a slashed bond: the refund (B = "
                    + stake + " per failed designate) exceeds the gross cost; under the paper's policy a silent "
                    + "coalition loses the requester nothing, and its worst case is the delivering branch (worstCaseLoss)");
        }
        if (json) {
            MechanismOutput.printJson(spec.commandLine().getOut(), out);
        } else {
            MechanismOutput.printLines(spec.commandLine().getOut(), out);
        }
        return 0;
    }
}
