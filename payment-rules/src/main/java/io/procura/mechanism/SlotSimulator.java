package io.procura.mechanism;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
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
    // The cost of a slot depends only on how many committee members delivered: count outcomes, then
    // sum exactly. (A running double mean would cancel C * P(no proof) against B: at C = 1e20 an
    // ulp is 2048 proof-cost units.)
    long[] byDeliveries = new long[m + 1];
    for (long slot = 1; slot <= slots; slot++) {
      int deliveries = corruptDeliveries;
      for (int i = 0; i < honestMembers; i++) {
        if (random.nextDouble() < p) {
          deliveries++;
        }
      }
      byDeliveries[deliveries]++;
    }
    Outcome[] outcomes = new Outcome[m + 1];
    for (int j = 0; j <= m; j++) {
      outcomes[j] = Outcome.of(DesignatedMechanism.payoutsUnchecked(m, p, designateDelivers, j,
          livenessPenalty, stake, policy), j, livenessPenalty, stake);
    }
    // Sums shifted by the most frequent outcome (exact: no rounding before the divisions), so that
    // a run where every slot costs the same has exactly that mean and a zero variance.
    int common = 0;
    for (int j = 0; j <= m; j++) {
      if (byDeliveries[j] > byDeliveries[common]) {
        common = j;
      }
    }
    BigDecimal slotCount = BigDecimal.valueOf(slots);
    BigDecimal grossShift = BigDecimal.ZERO;
    BigDecimal refundShift = BigDecimal.ZERO;
    BigDecimal squares = BigDecimal.ZERO;
    long withoutProof = 0;
    for (int j = 0; j <= m; j++) {
      BigDecimal count = BigDecimal.valueOf(byDeliveries[j]);
      grossShift = grossShift.add(outcomes[j].gross.subtract(outcomes[common].gross).multiply(count));
      refundShift = refundShift.add(outcomes[j].refund.subtract(outcomes[common].refund).multiply(count));
      BigDecimal d = outcomes[j].net().subtract(outcomes[common].net());
      squares = squares.add(d.multiply(d).multiply(count));
      if (outcomes[j].withoutProof) {
        withoutProof += byDeliveries[j];
      }
    }
    BigDecimal meanGross = outcomes[common].gross.add(grossShift.divide(slotCount, EXACT));
    BigDecimal meanRefund = outcomes[common].refund.add(refundShift.divide(slotCount, EXACT));
    BigDecimal mean = meanGross.subtract(meanRefund);
    // sample variance: (sum d^2 - (sum d)^2 / N) / (N - 1), d the shifted net costs
    BigDecimal netShift = grossShift.subtract(refundShift);
    BigDecimal variance = squares.subtract(netShift.multiply(netShift).divide(slotCount, EXACT))
        .divide(BigDecimal.valueOf(slots - 1), EXACT);
    double standardError = Math.sqrt(Math.max(0.0, variance.divide(slotCount, EXACT).doubleValue()));
    long designateFailures = designateDelivers ? 0 : slots;
    double z = new NormalDistribution(0.0, 1.0).inverseCumulativeProbability((1 + confidence) / 2);
    BigDecimal[] expected = expectedCosts(outcomes, p, honestMembers, corruptDeliveries);
    double meanCost = mean.doubleValue();
    double worst = DesignatedMechanism.worstCaseLoss(n, h, m, p, livenessPenalty, stake, policy);
    double halfWidth = z * standardError + ROUNDING_ALLOWANCE * Math.max(1.0, Math.abs(meanCost));
    double upper = meanCost + halfWidth;
    if (!designateDelivers && withoutProof == 0) {
      // A slot without any proof costs the liveness penalty but may be far rarer than 1/slots: the
      // normal interval of a sample that never saw one collapses. Widen the upper end by the exact
      // one-sided bound on an unobserved event's probability, 1 - (1 - confidence)^(1/slots)
      // ("rule of three" for 95%), times the penalty.
      upper += livenessPenalty * (1 - Math.pow(1 - confidence, 1.0 / slots));
    }
    return new SimulationResult(adversary, slots, meanCost, meanGross.doubleValue(),
        meanRefund.doubleValue(), standardError, confidence, meanCost - halfWidth, upper,
        expected[0].subtract(expected[1]).doubleValue(), expected[0].doubleValue(),
        expected[1].doubleValue(), worst, designateFailures, withoutProof);
  }

  /** Precision of the exact sums: 50 significant digits (a {@code double} has 17). */
  private static final MathContext EXACT = new MathContext(50, RoundingMode.HALF_EVEN);

  /**
   * One outcome of a slot with {@code j} committee deliveries, exactly: the gross cost (payments to
   * provers plus the liveness penalty when no proof arrived) and the refund (the seized stake when
   * the designate failed), both from the {@code double}s the rule pays.
   */
  private record Outcome(BigDecimal gross, BigDecimal refund, boolean withoutProof) {
    static Outcome of(DesignatedPayouts o, int j, double livenessPenalty, double stake) {
      // a delivering designate: the fixed total prize 1 + m p, however it is split; a failed one:
      // what the committee members who delivered are paid out of the seized stake
      BigDecimal paid = o.designateDelivered() ? new BigDecimal(o.protocolCost())
          : new BigDecimal(o.perCommitteeDeliverer()).multiply(BigDecimal.valueOf(j));
      boolean none = !o.proofDelivered();
      return new Outcome(none ? paid.add(new BigDecimal(livenessPenalty)) : paid,
          o.designateDelivered() ? BigDecimal.ZERO : new BigDecimal(stake), none);
    }

    BigDecimal net() {
      return gross.subtract(refund);
    }
  }

  /**
   * The exact expected gross cost and refund when {@code honest} committee members each deliver
   * with probability {@code p} (the binomial law, summed in {@link BigDecimal} from the exact value
   * of the {@code double p}) and {@code fixed} corrupt members deliver.
   *
   * @return {@code {expected gross, expected refund}}
   */
  private static BigDecimal[] expectedCosts(Outcome[] outcomes, double p, int honest, int fixed) {
    BigDecimal pe = new BigDecimal(p);
    BigDecimal qe = BigDecimal.ONE.subtract(pe);
    BigDecimal gross = BigDecimal.ZERO;
    BigDecimal refund = BigDecimal.ZERO;
    if (qe.signum() == 0 || pe.signum() == 0) {
      Outcome o = outcomes[fixed + (qe.signum() == 0 ? honest : 0)];
      return new BigDecimal[] {o.gross, o.refund};
    }
    // term_i = C(honest, i) p^i q^(honest - i), from term_0 = q^honest by the ratio
    // term_{i+1} / term_i = (honest - i) / (i + 1) * p / q
    BigDecimal term = qe.pow(honest, EXACT);
    BigDecimal ratio = pe.divide(qe, EXACT);
    for (int i = 0; i <= honest; i++) {
      Outcome o = outcomes[fixed + i];
      gross = gross.add(term.multiply(o.gross, EXACT), EXACT);
      refund = refund.add(term.multiply(o.refund, EXACT), EXACT);
      term = term.multiply(ratio, EXACT).multiply(BigDecimal.valueOf(honest - i))
          .divide(BigDecimal.valueOf(i + 1), EXACT);
    }
    return new BigDecimal[] {gross, refund};
  }
}
