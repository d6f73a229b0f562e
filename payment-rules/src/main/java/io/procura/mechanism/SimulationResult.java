package io.procura.mechanism;

/**
 * SimulationResult summarises a Monte Carlo run of {@link SlotSimulator}: the realised mean cost
 * per slot with a normal-approximation confidence interval, beside the exact expected cost under
 * the same adversary and the rule's worst-case loss. Amounts are in proof-cost units.
 *
 * <p>The protocol cost of a slot is its <em>gross</em> cost (what the provers are paid plus the
 * liveness penalty {@code C} when no proof arrives; never negative) less its <em>refund</em> (the
 * designate's seized stake {@code B} when it fails; never negative). Under {@link FailurePolicy#PAPER}
 * a slot whose designate fails while a committee member delivers costs {@code -B}: the requester
 * keeps the slashed bond, so the net cost, its mean and even its expectation under one adversary
 * may be negative. That is the mechanism, not rounding: means and expectations are summed exactly
 * (in {@link java.math.BigDecimal}) before they are rounded once to a {@code double}, so at
 * {@code C = 1e20} no cancellation between {@code C * P(no proof)} and {@code B} (ulp 2048 in
 * doubles) shows up as a cost.
 *
 * @param adversary the strategy played
 * @param slots slots simulated ({@code >= 2})
 * @param meanCost realised mean protocol (net) cost per slot, {@code meanGrossCost - meanRefund}
 * @param meanGrossCost realised mean gross cost per slot (payments to provers plus the liveness
 *     penalty), {@code >= 0}
 * @param meanRefund realised mean refund per slot (seized stake), {@code >= 0}
 * @param standardError standard error of {@code meanCost} (sample standard deviation over
 *     {@code sqrt(slots)})
 * @param confidence the confidence level of the interval, in {@code (0, 1)}
 * @param lower lower end of the confidence interval, {@code meanCost - z * standardError - r}, where
 *     {@code r = 1e-12 * max(1, |meanCost|)} allows for floating-point rounding (it matters only
 *     when every slot costs the same, e.g. {@link Adversary#HONEST}, and the interval is a point)
 * @param upper upper end of the confidence interval, {@code meanCost + z * standardError + r}; when the
 *     designate is silent and no slot went without a proof, plus {@code C * (1 - (1 - confidence)^(1/slots))},
 *     the exact one-sided bound on the unobserved no-proof probability times the liveness penalty
 *     (otherwise a rare no-proof event that the sample never saw would make the interval a point)
 * @param expectedCost the exact expected (net) cost under this adversary, summed in exact
 *     arithmetic for the {@code double} mixing probability actually used (agrees with
 *     {@link ExactEvaluator#designatedExpectedCost} up to that method's rounding)
 * @param expectedGrossCost the exact expected gross cost, {@code >= 0}
 * @param expectedRefund the exact expected refund, {@code >= 0}
 * @param worstCaseLoss the rule's worst-case loss {@code L_desig(m, p)} over all adversaries
 * @param designateFailures slots in which the designate did not deliver
 * @param slotsWithoutProof slots in which no proof arrived at all (the liveness penalty applied)
 */
public record SimulationResult(
    Adversary adversary,
    long slots,
    double meanCost,
    double meanGrossCost,
    double meanRefund,
    double standardError,
    double confidence,
    double lower,
    double upper,
    double expectedCost,
    double expectedGrossCost,
    double expectedRefund,
    double worstCaseLoss,
    long designateFailures,
    long slotsWithoutProof) {

  /**
   * Whether the exact expected cost lies in the confidence interval of the realised mean.
   *
   * @return true if {@code lower <= expectedCost <= upper}
   */
  public boolean theoryWithinInterval() {
    return lower <= expectedCost && expectedCost <= upper;
  }
}
