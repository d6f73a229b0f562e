package io.procura.app.demo;

import io.procura.mechanism.FailurePolicy;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of one demo run. Token amounts in base units (18 decimals), the liveness penalty in
 * proof-cost units, times in seconds.
 *
 * @param provers          prover agents to run (>= 1)
 * @param faulty           of which silent designates (fault mode), in [0, provers)
 * @param slots            slots to run (>= 1); more are opened, up to {@code slots + maxExtraSlots}, until a
 *                         faulty designate has been drawn at least once (when {@code faulty > 0})
 * @param maxExtraSlots    cap on the extra slots above
 * @param livenessPenalty  C, proof-cost units
 * @param proofPrice       tokens per proof-cost unit, base units
 * @param bond             bond each agent posts, base units
 * @param minBond          minimum bond for eligibility, base units
 * @param slotBond         bond locked from the designate per slot (stake at risk B), base units
 * @param honestFraction   alpha used for quotes
 * @param policy           the market's failure policy
 * @param proveWindow      seconds from the draw of a slot's designate to its deadline; within the circuit terms the
 *                         demo deploys ([min(30, proveWindow), max(600, proveWindow)] on anvil)
 * @param jdbcUrl          external PostgreSQL (null: embedded)
 * @param rpcUrl           external chain (null: a local anvil)
 * @param deployerKey      key that deploys and funds (null: anvil's first dev key; required with rpcUrl)
 * @param home             repository root (data/, contracts/node_modules)
 * @param apiPort          coordinator API port (0: any free port)
 * @param correlatedStake  correlated slashing (docs/MECHANISM.md §6): committee-pool stake per slot and the slice
 *                         each prover stakes into the pool, base units; 0 = off
 */
public record DemoOptions(int provers, int faulty, int slots, int maxExtraSlots, double livenessPenalty,
                          BigInteger proofPrice, BigInteger bond, BigInteger minBond, BigInteger slotBond,
                          double honestFraction, FailurePolicy policy, long proveWindow, String jdbcUrl, String rpcUrl,
                          String deployerKey, Path home, int apiPort, BigInteger correlatedStake) {
    /** Validates the settings. */
    public DemoOptions {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(policy, "policy");
        if (provers < 1) throw new IllegalArgumentException("--provers must be >= 1, got " + provers);
        if (faulty < 0 || faulty >= provers) throw new IllegalArgumentException("--faulty must be in [0, provers), got " + faulty);
        if (slots < 1) throw new IllegalArgumentException("--slots must be >= 1, got " + slots);
        if (maxExtraSlots < 0) throw new IllegalArgumentException("max extra slots must be >= 0");
        if (!(livenessPenalty >= 1 && livenessPenalty <= 1e300)) {
            throw new IllegalArgumentException("--liveness-penalty must be in [1, 1e300], got " + livenessPenalty);
        }
        if (!(honestFraction > 0 && honestFraction <= 1)) {
            throw new IllegalArgumentException("--honest-fraction must be in (0, 1], got " + honestFraction);
        }
        if (apiPort < 0 || apiPort > 65_535) throw new IllegalArgumentException("--api-port must be in [0, 65535], got " + apiPort);
        if (bond.signum() <= 0) throw new IllegalArgumentException("--bond must be > 0");
        if (proofPrice.signum() <= 0) throw new IllegalArgumentException("--proof-price must be > 0");
        if (bond.compareTo(minBond) < 0) throw new IllegalArgumentException("--bond must be >= the minimum bond " + minBond);
        if (slotBond.signum() < 0 || slotBond.compareTo(minBond) > 0) {
            throw new IllegalArgumentException("--slot-bond must be in [0, --min-bond] (the market locks it from any eligible designate), got "
                    + slotBond + " > " + minBond);
        }
        if (proveWindow < 5) throw new IllegalArgumentException("--prove-window must be >= 5 s, got " + proveWindow);
        if (rpcUrl != null && deployerKey == null) throw new IllegalArgumentException("--rpc-url needs --deployer-key-env");
        Objects.requireNonNull(correlatedStake, "correlatedStake");
        if (correlatedStake.signum() < 0) throw new IllegalArgumentException("--correlated-stake must be >= 0");
    }
}
