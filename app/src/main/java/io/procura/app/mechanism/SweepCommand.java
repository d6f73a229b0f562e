package io.procura.app.mechanism;

import io.procura.mechanism.FailurePolicy;
import io.procura.mechanism.LossSweep;
import io.procura.mechanism.MechanismException;
import io.procura.mechanism.StakeLevel;
import io.procura.mechanism.SweepPoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code procura mechanism sweep}: the optimal designated worst-case loss (full committee, as on
 * chain) over a log range of liveness penalties, one curve per honest fraction and stake level;
 * writes {@code mechanism-sweep.csv} and {@code mechanism-sweep.png} (the paper's Fig. 3.3) to
 * {@code --out}.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Worst-case loss against C (log scale) per honest fraction and stake: CSV and PNG (paper Fig. 3.3).")
public final class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Option(names = "--n", required = true, description = "provers in the eligible set (>= 1)")
    int n;
    @Option(names = "--h", description = "provers assumed honest; gives alpha = h/n when --alphas is not set")
    Integer h;
    @Option(names = "--from", defaultValue = "10", description = "smallest C, proof-cost units [default: 10]")
    double from;
    @Option(names = "--to", defaultValue = "1e9", description = "largest C, proof-cost units [default: 1e9]")
    double to;
    @Option(names = "--points-per-decade", defaultValue = "8", description = "points per factor of 10 in C [default: 8]")
    int pointsPerDecade;
    @Option(names = "--alphas", description = "honest fractions, comma-separated, e.g. 0.5,0.67,0.9 (h = round(alpha*n))")
    String alphas;
    @Option(names = "--stakes", description = "stake levels for dashed curves, comma-separated: proof-cost units (500) or fractions of C (0.01C)")
    String stakes;
    @Option(names = "--policy", defaultValue = "compensate-committee",
            description = "failure policy: paper | compensate-committee [default: compensate-committee]")
    String policy;
    @Option(names = "--out", description = "output directory, created if missing [default: $XDG_DATA_HOME or ~/.local/share, "
            + "then procura/reports/sweep-<UTC time>]")
    Path out;

    @Override
    public Integer call() throws IOException {
        FailurePolicy p = MechanismOutput.parsePolicy(policy);
        double[] fractions;
        if (alphas != null) {
            fractions = MechanismOutput.parseDoubles(alphas, "--alphas");
        } else if (h != null) {
            if (n < 1 || h < 1 || h > n) {
                throw new MechanismException("--h must lie in [1, n = " + n + "], got h = " + h);
            }
            fractions = new double[] {(double) h / n};
        } else {
            throw new MechanismException("give --h or --alphas");
        }
        List<StakeLevel> levels = new ArrayList<>();
        levels.add(StakeLevel.NONE);
        if (stakes != null) {
            for (String s : stakes.split(",")) {
                StakeLevel level = StakeLevel.parse(s);
                if (!levels.contains(level)) {
                    levels.add(level);
                }
            }
        }
        if (out == null) out = io.procura.app.ops.DataDirs.report("sweep", "");
        io.procura.app.ops.DataDirs.checkWritable(out.resolve("mechanism-sweep.csv"), "the sweep");
        List<SweepPoint> points = LossSweep.sweep(n, fractions, LossSweep.penalties(from, to, pointsPerDecade), levels, p);
        Files.createDirectories(out);
        Path csv = out.resolve("mechanism-sweep.csv");
        List<String> lines = new ArrayList<>();
        lines.add("alpha,n,h,stake_level,liveness_penalty,stake,mixing_probability,loss,ln_c_over_alpha");
        for (SweepPoint s : points) {
            lines.add(String.format(Locale.ROOT, "%s,%d,%d,%s,%.6g,%.6g,%.10g,%.10g,%.10g", s.alpha(), s.n(), s.h(),
                    s.stakeLevel().label(), s.livenessPenalty(), s.stake(), s.mixingProbability(), s.loss(),
                    Math.log(s.livenessPenalty()) / s.alpha()));
        }
        Files.write(csv, lines);
        Path png = out.resolve("mechanism-sweep.png");
        SweepPlot.write(points, String.format(Locale.ROOT,
                "Designated rule, n = %d, m = n-1, policy %s: worst-case loss vs C", n, p), png);
        PrintWriter w = spec.commandLine().getOut();
        w.printf("wrote %s (%d points) and %s%n", csv, points.size(), png);
        w.flush();
        return 0;
    }
}
