package io.procura.mechanism;

/**
 * SimulationResult summarises a Monte Carlo run of {@link SlotSimulator}: the realised mean cost
 * per slot with a normal-approximation confidence interval, beside the exact expected cost under
 * the same adversary and the rule's worst-case loss. Amounts are in proof-cost units.
 *
 * @param adversary the strategy played
 * @param slots slots simulated ({@code >= 2})
 * @param meanCost realised mean protocol cost per slot
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
 * @param expectedCost the exact expected cost under this adversary
 *     ({@link ExactEvaluator#designatedExpectedCost})
 * @param worstCaseLoss the rule's worst-case loss {@code L_desig(m, p)} over all adversaries
 * @param designateFailures slots in which the designate did not deliver
 * @param slotsWithoutProof slots in which no proof arrived at all (the liveness penalty applied)
 */
public record SimulationResult(
    Adversary adversary,
    long slots,
    double meanCost,
    double standardError,
    double confidence,
    double lower,
    double upper,
    double expectedCost,
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
