package io.procura.app.load;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Settings of one load test ({@code procura loadtest}). Token amounts in base units (18 decimals), the liveness
 * penalty in proof-cost units, times in seconds of chain time unless said otherwise.
 *
 * @param slots           slots to open and settle (>= 1)
 * @param agents          prover agents multiplexed in the process (>= 2)
 * @param faultyFraction  share of the agents that are silent designates, in [0, 1); {@code round(agents * fraction)}
 *                        of them, and at least one agent stays honest
 * @param concurrency     slots in flight at once (>= 1): one requester key per lane, so no two transactions of a key race
 * @param circuit         the circuit every slot asks for: {@code digits}, {@code digits-mlp} or {@code rollup-2^14}
 * @param proveThreads    permits of the proving queue all agents share (proofs at once, >= 1)
 * @param apiRate         requests per second of the API load run during the slots (0: off)
 * @param proveWindow     seconds from a slot's draw to its deadline, in [30, 600]
 * @param livenessPenalty C, proof-cost units
 * @param proofPrice      tokens per proof-cost unit, base units
 * @param bond            bond each agent posts, base units
 * @param minBond         minimum bond for eligibility, base units
 * @param slotBond        bond locked from the designate per slot, base units
 * @param honestFraction  alpha used for quotes
 * @param progressEvery   print a progress line every this many ended slots (and at least every 30 s of wall time)
 * @param home            repository root (data/, contracts/node_modules)
 */
public record LoadTestOptions(int slots, int agents, double faultyFraction, int concurrency, String circuit, int proveThreads,
                              double apiRate, long proveWindow, double livenessPenalty, BigInteger proofPrice, BigInteger bond,
                              BigInteger minBond, BigInteger slotBond, double honestFraction, int progressEvery, Path home) {
    /** The circuits a load test may use: the small ones, whose keys are bundled. */
    public static final List<String> CIRCUITS = List.of("digits", "digits-mlp", "rollup-2^14");

    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException naming the option ({@code --slots}, …) when one is out of range
     */
    public LoadTestOptions {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(circuit, "circuit");
        if (slots < 1) throw new IllegalArgumentException("--slots must be >= 1, got " + slots);
        if (agents < 2) throw new IllegalArgumentException("--agents must be >= 2, got " + agents);
        if (!(faultyFraction >= 0 && faultyFraction < 1)) {
            throw new IllegalArgumentException("--faulty-fraction must be in [0, 1), got " + faultyFraction);
        }
        if (Math.round(agents * faultyFraction) >= agents) {
            throw new IllegalArgumentException("--faulty-fraction " + faultyFraction + " leaves no honest agent of " + agents);
        }
        if (concurrency < 1 || concurrency > 256) throw new IllegalArgumentException("--concurrency must be in [1, 256], got " + concurrency);
        if (!CIRCUITS.contains(circuit)) throw new IllegalArgumentException("--circuit must be one of " + CIRCUITS + ", got " + circuit);
        if (proveThreads < 1 || proveThreads > 1024) throw new IllegalArgumentException("--prove-threads must be in [1, 1024], got " + proveThreads);
        if (!(apiRate >= 0 && apiRate <= 10_000)) throw new IllegalArgumentException("--api-rate must be in [0, 10000] requests/s, got " + apiRate);
        if (proveWindow < 30 || proveWindow > 600) throw new IllegalArgumentException("--prove-window must be in [30, 600] s, got " + proveWindow);
        if (!(livenessPenalty >= 1 && livenessPenalty <= 1e300)) {
            throw new IllegalArgumentException("--liveness-penalty must be in [1, 1e300], got " + livenessPenalty);
        }
        if (!(honestFraction > 0 && honestFraction <= 1)) {
            throw new IllegalArgumentException("--honest-fraction must be in (0, 1], got " + honestFraction);
        }
        if (progressEvery < 1) throw new IllegalArgumentException("--progress-every must be >= 1, got " + progressEvery);
        Objects.requireNonNull(proofPrice, "proofPrice");
        Objects.requireNonNull(bond, "bond");
        Objects.requireNonNull(minBond, "minBond");
        Objects.requireNonNull(slotBond, "slotBond");
        if (proofPrice.signum() <= 0) throw new IllegalArgumentException("--proof-price must be > 0");
        if (bond.compareTo(minBond) < 0) throw new IllegalArgumentException("--bond must be >= the minimum bond " + minBond);
        if (slotBond.signum() < 0 || slotBond.compareTo(minBond) > 0) {
            throw new IllegalArgumentException("--slot-bond must be in [0, --min-bond], got " + slotBond);
        }
    }

    /** @return the number of silent designates: {@code round(agents * faultyFraction)} */
    public int faulty() {
        return (int) Math.round(agents * faultyFraction);
    }
}
