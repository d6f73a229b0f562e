package io.procura.app.load;

import io.procura.app.demo.MarketHarness;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * What a load test did and whether it passed. Token amounts in base units (1 token = 10^18), gas in units of gas.
 *
 * @param ok                every check passed ({@code failures} is empty)
 * @param failures          one line per failed check
 * @param settings          the run's settings (name → value, for the record)
 * @param slots             slots opened
 * @param settled           of which settled
 * @param cancelled         of which cancelled before a draw (escrow refunded)
 * @param faultyDesignated  settled slots whose designate was a silent one on purpose (slashed)
 * @param honestMissed      settled slots whose honest designate did not deliver (a failure)
 * @param proofs            proofs the market accepted (designate + committee deliveries)
 * @param designateProofs   of which by designates
 * @param committeeProofs   of which by committee members
 * @param wallSeconds       wall time of the whole command, seconds (setup and claims included)
 * @param loadSeconds       wall time from the first slot opened to the last one ended, seconds
 * @param slotsPerMinute    ended slots per minute of {@code loadSeconds}
 * @param proofsPerMinute   accepted proofs per minute of {@code loadSeconds}
 * @param submitGasMin      least gas of an accepted {@code submitProof}
 * @param submitGasMean     mean gas of an accepted {@code submitProof}
 * @param submitGasMax      most gas of an accepted {@code submitProof}
 * @param api               the API load's figures (null when {@code --api-rate 0})
 * @param peakRssBytes      the process's peak resident set (VmHWM of /proc/self/status), bytes; -1 where unknown
 * @param queuePermits      permits of the shared proving queue
 * @param queuePeak         most proofs that ran at once
 * @param queueDesignate    proofs the queue let through as designate work
 * @param queueCommittee    proofs the queue let through as committee work
 * @param clockAdvances     times the run advanced anvil's clock past a group of deadlines
 * @param forcedAdvances    of which before every agent had acted (a real-time bound passed)
 * @param jailedAtEnd       agents jailed at the end
 * @param totals            the token audit
 */
public record LoadTestReport(boolean ok, List<String> failures, Map<String, Object> settings, int slots, int settled,
                             int cancelled, int faultyDesignated, int honestMissed, long proofs, long designateProofs,
                             long committeeProofs, double wallSeconds, double loadSeconds, double slotsPerMinute,
                             double proofsPerMinute, long submitGasMin, long submitGasMean, long submitGasMax,
                             ApiLoad.Summary api, long peakRssBytes, int queuePermits, int queuePeak, long queueDesignate,
                             long queueCommittee, int clockAdvances, int forcedAdvances, int jailedAtEnd,
                             MarketHarness.Totals totals) {
    /**
     * Prints the summary block.
     *
     * @param out where to print
     */
    public void print(PrintStream out) {
        out.println();
        out.println("== load test summary ==");
        out.printf("slots            %d opened: %d settled, %d cancelled (refunded); %d with a faulty designate (slashed), "
                + "%d honest designates missed%n", slots, settled, cancelled, faultyDesignated, honestMissed);
        out.printf("proofs accepted  %d (%d designate, %d committee); shared proving queue: %d permits, peak %d running, "
                + "%d designate + %d committee turns%n", proofs, designateProofs, committeeProofs, queuePermits, queuePeak,
                queueDesignate, queueCommittee);
        out.printf("wall time        %.1f s in all, %.1f s from the first slot opened to the last ended%n", wallSeconds,
                loadSeconds);
        out.printf("throughput       %.1f slots/min, %.1f proofs/min%n", slotsPerMinute, proofsPerMinute);
        out.printf("submitProof gas  min %d, mean %d, max %d%n", submitGasMin, submitGasMean, submitGasMax);
        if (api != null) {
            out.printf("API load         %d requests at %.0f/s over %.0f s: p50 %.1f ms, p99 %.1f ms, max %.1f ms; "
                    + "%d errors (%d of them 503), %d skipped; statuses %s%n", api.requests(), api.rate(), api.seconds(),
                    api.p50Millis(), api.p99Millis(), api.maxMillis(), api.errors(), api.unavailable(), api.skipped(),
                    api.statuses());
        } else {
            out.println("API load         off");
        }
        out.printf("peak RSS         %s%n", peakRssBytes < 0 ? "unknown" : String.format("%.1f MiB (VmHWM)", peakRssBytes / 1048576.0));
        out.printf("clock            %d advances past deadlines, %d of them forced by the real-time bound; %d agents jailed "
                + "at the end%n", clockAdvances, forcedAdvances, jailedAtEnd);
        out.printf("tokens (base units) in %s, claimed out %s, held %s = bonds %s + unclaimed %s; locked %s; market holds %s; "
                + "every slot balanced: %s%n", totals.tokensIn(), totals.tokensOut(), totals.held(), totals.bonds(),
                totals.unclaimed(), totals.locked(), totals.marketBalance(), totals.slotsBalanced());
        out.printf("checks           every slot ended: %s; tokens conserved to the unit: %s; nothing locked: %s; "
                + "honest designates all delivered: %s%n", pass(settled + cancelled == slots), pass(totals.ok()),
                pass(totals.locked().signum() == 0 && totals.marketBalance().equals(totals.unclaimed())), pass(honestMissed == 0));
        for (String f : failures) out.println("FAILED: " + f);
        out.println(ok ? "procura loadtest: PASSED" : "procura loadtest: FAILED");
    }

    private static String pass(boolean b) {
        return b ? "PASS" : "FAIL";
    }
}
