package io.procura.mechanism;

import java.util.SplittableRandom;
import org.hipparchus.distribution.continuous.NormalDistribution;

/**
 * SlotSimulator plays slots of the designated uniform committee rule (docs/MECHANISM.md §3) against a
 * named {@link Adversary} by Monte Carlo: each honest committee member flips its own private coin
 * (delivers with probability {@code p}), the adversary's provers act as the strategy says, and the
 * protocol cost of the outcome comes from {@link DesignatedMechanism#payouts}. It reports the
 * realised mean cost with a confidence interval beside the exact expected cost under that
 * adversary and the worst-case loss. Amounts are in <b>proof-cost units</b>.
 *
 * <p>Deterministic for a given seed ({@link SplittableRandom}). Cost {@code O(slots * m)}.
 * Thread-safe (no shared state).
 */
public final class SlotSimulator {

  /** Relative widening of the interval for floating-point rounding (see {@link SimulationResult}). */
  private static final double ROUNDING_ALLOWANCE = 1e-12;

  private SlotSimulator() {}

  /**
   * Simulates {@code slots} slots.
   *
   * @param n provers in the eligible set, {@code n >= 1}
   * @param h provers assumed honest, {@code 1 <= h <= n}; every adversary other than
   *     {@link Adversary#HONEST} needs {@code k = n - h >= 1}
   * @param m committee size, {@code 0 <= m <= n - 1}
   * @param p mixing probability in {@code [0, 1]}
   * @param livenessPenalty liveness penalty {@code C >= 1}, proof-cost units
   * @param stake stake at risk {@code B >= 0}, proof-cost units
   * @param policy where the seized stake goes when the designate fails
   * @param adversary the strategy played
   * @param slots slots to simulate, {@code >= 2}
   * @param seed seed of the random generator
   * @param confidence confidence level of the interval, in {@code (0, 1)}, e.g. 0.95
   * @return the realised and theoretical costs
   * @throws MechanismException if an argument is outside the ranges above
   */
  public static SimulationResult simulate(
      int n, int h, int m, double p, double livenessPenalty, double stake, FailurePolicy policy,
      Adversary adversary, long slots, long seed, double confidence) {
    DesignatedMechanism.requireSetting(n, h, livenessPenalty, stake, policy);
    DesignatedMechanism.profile(n, m, p); // validates m and p
    if (adversary == null) {
      throw new MechanismException("adversary must not be null");
    }
    int k = n - h;
    if (adversary != Adversary.HONEST && k < 1) {
      throw new MechanismException("adversary " + adversary.cliName()
          + " needs at least one corruptible prover, but k = n - h = 0");
    }
    if (slots < 2) {
      throw new MechanismException("slots must be at least 2, got " + slots);
    }
    if (!(confidence > 0.0 && confidence < 1.0)) {
      throw new MechanismException("confidence must lie in (0, 1), got " + confidence);
    }
    boolean designateDelivers;
    int corruptMembers;
    int corruptDeliveries;
    switch (adversary) {
      case HONEST -> {
        designateDelivers = true;
        corruptMembers = 0;
        corruptDeliveries = 0;
      }
      case SILENT_DESIGNATE -> {
        designateDelivers = false;
        corruptMembers = 0;
        corruptDeliveries = 0;
      }
      case SILENT_DESIGNATE_AND_COMMITTEE -> {
        designateDelivers = false;
        corruptMembers = Math.min(k - 1, m);
        corruptDeliveries = 0;
      }
      case OVER_DELIVERING_COMMITTEE -> {
        designateDelivers = true;
        corruptMembers = Math.min(k, m);
        corruptDeliveries = corruptMembers;
      }
      default -> throw new MechanismException("unsupported adversary " + adversary);
    }
    SplittableRandom random = new SplittableRandom(seed);
    int honestMembers = m - corruptMembers;
    double mean = 0.0;
    double sumSquares = 0.0;
    long designateFailures = 0;
    long withoutProof = 0;
    for (long slot = 1; slot <= slots; slot++) {
      int deliveries = corruptDeliveries;
      for (int i = 0; i < honestMembers; i++) {
        if (random.nextDouble() < p) {
          deliveries++;
        }
      }
      DesignatedPayouts outcome = DesignatedMechanism.payoutsUnchecked(m, p, designateDelivers,
          deliveries, livenessPenalty, stake, policy);
      if (!designateDelivers) {
        designateFailures++;
      }
      if (!outcome.proofDelivered()) {
        withoutProof++;
      }
      // Welford: exact when every cost is equal (zero variance, mean equal to that cost).
      double cost = outcome.protocolCost();
      double delta = cost - mean;
      mean += delta / slot;
      sumSquares += delta * (cost - mean);
    }
    double standardError = Math.sqrt(sumSquares / (slots - 1) / slots);
    double z = new NormalDistribution(0.0, 1.0).inverseCumulativeProbability((1 + confidence) / 2);
    double expected = ExactEvaluator.designatedExpectedCost(m, p, livenessPenalty, stake, policy,
        designateDelivers, corruptMembers, corruptDeliveries);
    double worst = DesignatedMechanism.worstCaseLoss(n, h, m, p, livenessPenalty, stake, policy);
    double halfWidth = z * standardError + ROUNDING_ALLOWANCE * Math.max(1.0, Math.abs(mean));
    double upper = mean + halfWidth;
    if (!designateDelivers && withoutProof == 0) {
      // A slot without any proof costs the liveness penalty but may be far rarer than 1/slots: the
      // normal interval of a sample that never saw one collapses. Widen the upper end by the exact
      // one-sided bound on an unobserved event's probability, 1 - (1 - confidence)^(1/slots)
      // ("rule of three" for 95%), times the penalty.
      upper += livenessPenalty * (1 - Math.pow(1 - confidence, 1.0 / slots));
    }
    return new SimulationResult(adversary, slots, mean, standardError, confidence,
        mean - halfWidth, upper, expected, worst, designateFailures,
        withoutProof);
  }
}
