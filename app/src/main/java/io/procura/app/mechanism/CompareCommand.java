package io.procura.app.mechanism;

import io.procura.mechanism.BaselineOptimum;
import io.procura.mechanism.Baselines;
import io.procura.mechanism.DesignatedMechanism;
import io.procura.mechanism.DesignatedOptimum;
import io.procura.mechanism.FailurePolicy;
import io.procura.mechanism.SymmetricMechanism;
import io.procura.mechanism.SymmetricOptimum;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code procura mechanism compare}: the designated rule against the symmetric committee (bound and
 * LP1) and the baselines of docs/MECHANISM.md §5, one row per mechanism with its parameters, its
 * worst-case loss (proof-cost units) and its ratio to the designated loss.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Worst-case loss of every mechanism of docs/MECHANISM.md §3-§5 for one market, and its ratio to the designated loss.")
public final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @picocli.CommandLine.Mixin
    io.procura.app.mechanism.MarketOptions market;
    @Option(names = "--lp-max-n", defaultValue = "200",
            description = "largest n for which LP1 (implementable symmetric rule) is solved [default: 200]")
    int lpMaxN;
    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Override
    public Integer call() {
        int n = market.n, h = market.h;
        double livenessPenalty = market.livenessPenalty, stake = market.stake;
        FailurePolicy p = market.failurePolicy();
        DesignatedOptimum designated = DesignatedMechanism.optimize(n, h, livenessPenalty, stake, p);
        double reference = designated.loss();
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(row("designated", designatedParameters(designated), designated.loss(), reference));
        // every other row is computed on its own: one that fails is printed with its reason, the others still are
        if (designated.committeeSize() != n - 1) {
            rows.add(attempt("designated (m = n-1, as on chain)", reference, () -> {
                DesignatedOptimum full = DesignatedMechanism.optimizeFullCommittee(n, h, livenessPenalty, stake, p);
                return row("designated (m = n-1, as on chain)", designatedParameters(full), full.loss(), reference);
            }));
        }
        rows.add(attempt("symmetric bound", reference, () -> {
            SymmetricOptimum bound = SymmetricMechanism.optimizeBound(n, h, livenessPenalty, stake);
            return row("symmetric bound", symmetricParameters(bound), bound.loss(), reference);
        }));
        if (n <= Math.min(lpMaxN, SymmetricMechanism.MAX_IMPLEMENTABLE_N)) {
            rows.add(attempt("implementable symmetric (LP1)", reference, () -> {
                SymmetricOptimum lp = SymmetricMechanism.optimizeImplementable(n, h, livenessPenalty);
                return row("implementable symmetric (LP1)", symmetricParameters(lp), lp.loss(), reference);
            }));
        } else {
            Map<String, Object> skipped = row("implementable symmetric (LP1)", Map.of(), Double.NaN, reference);
            skipped.put("skipped", lpMaxN < SymmetricMechanism.MAX_IMPLEMENTABLE_N ? "n > --lp-max-n = " + lpMaxN
                    : "n > " + SymmetricMechanism.MAX_IMPLEMENTABLE_N + " (LP1's size cap)");
            rows.add(skipped);
        }
        rows.add(attempt("lottery", reference, () -> {
            BaselineOptimum lottery = Baselines.lottery(n, h, livenessPenalty);
            return row("lottery", ordered("q", lottery.mixingProbability(), "R", lottery.prize()), lottery.loss(), reference);
        }));
        rows.add(attempt("pay-deliverers", reference, () -> {
            BaselineOptimum pay = Baselines.payDeliverers(n, h, livenessPenalty);
            return row("pay-deliverers", ordered("q", pay.mixingProbability()), pay.loss(), reference);
        }));
        rows.add(attempt("fixed subset", reference, () -> {
            BaselineOptimum subset = Baselines.fixedSubset(n, h, livenessPenalty);
            return row("fixed subset", ordered("s", subset.askedProvers()), subset.loss(), reference);
        }));

        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("n", n);
            all.put("h", h);
            all.put("livenessPenalty", livenessPenalty);
            all.put("stake", stake);
            all.put("policy", p.name());
            all.put("rows", rows);
            MechanismOutput.printJson(out, all);
            return 0;
        }
        out.printf("n=%d h=%d (k=%d, alpha=%.3f) C=%s B=%s policy=%s; losses in proof-cost units%n",
                n, h, n - h, (double) h / n, MechanismOutput.num(livenessPenalty), MechanismOutput.num(stake), p);
        out.printf("%-34s %-44s %12s %8s%n", "mechanism", "parameters", "loss", "ratio");
        for (Map<String, Object> r : rows) {
            double loss = (double) r.get("loss");
            String params = r.containsKey("skipped") ? "skipped: " + r.get("skipped")
                    : r.containsKey("failed") ? "failed: " + r.get("failed") : formatParameters(r.get("parameters"));
            out.printf("%-34s %-44s %12s %8s%n", r.get("mechanism"), params,
                    Double.isNaN(loss) ? "-" : String.format(java.util.Locale.ROOT, "%.4f", loss),
                    Double.isNaN(loss) ? "-" : String.format(java.util.Locale.ROOT, "%.3f", (double) r.get("ratio")));
        }
        out.println("Symmetric bound: no symmetric rule does better; LP1 has no stake (nobody is designated to slash). "
                + "Baselines have no stake.");
        out.flush();
        return 0;
    }

    /** A row, or, when computing it fails, a row that says why (so one failing row never hides the others). */
    private static Map<String, Object> attempt(String name, double reference,
                                               java.util.function.Supplier<Map<String, Object>> compute) {
        try {
            return compute.get();
        } catch (RuntimeException e) {
            Map<String, Object> failed = row(name, Map.of(), Double.NaN, reference);
            failed.put("failed", String.valueOf(e.getMessage()));
            return failed;
        }
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private static Map<String, Object> designatedParameters(DesignatedOptimum o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("m", o.committeeSize());
        m.put("p", o.mixingProbability());
        m.put("T", o.totalPrize());
        m.put("Q", o.committeePrize());
        return m;
    }

    private static Map<String, Object> symmetricParameters(SymmetricOptimum o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("m", o.committeeSize());
        m.put("p", o.mixingProbability());
        return m;
    }

    private static Map<String, Object> row(String name, Map<String, ?> parameters, double loss, double reference) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("mechanism", name);
        r.put("parameters", parameters);
        r.put("loss", loss);
        r.put("ratio", loss / reference);
        return r;
    }

    private static String formatParameters(Object parameters) {
        StringBuilder sb = new StringBuilder();
        ((Map<?, ?>) parameters).forEach((k, v) -> {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(k).append('=').append(v instanceof Double d ? String.format(java.util.Locale.ROOT, "%.5g", d) : v);
        });
        return sb.toString();
    }
}
