package io.procura.mechanism;

/**
 * DesignatedOptimum is the optimal parameter choice of the designated uniform committee
 * mechanism for one market setting (docs/MECHANISM.md §3, PROG5), as returned by
 * {@link DesignatedMechanism#optimize} and {@link DesignatedMechanism#optimizeFullCommittee}.
 * All amounts are in proof-cost units (1 = the cost of producing one proof).
 *
 * @param n provers in the slot's eligible set ({@code n >= 1})
 * @param h provers assumed honest ({@code 1 <= h <= n}); the adversary controls {@code k = n - h}
 * @param committeeSize committee size {@code m} (provers other than the designate that mix)
 * @param mixingProbability probability {@code p} in {@code [0, 1]} that each committee member
 *     delivers (its private coin)
 * @param loss worst-case loss {@code L_desig(m, p)} of the rule: the requester's worst expected
 *     cost, in proof-cost units ({@code >= 1})
 * @param totalPrize {@code T = 1 + m*p}: what the protocol pays in total when the designate
 *     delivers, in proof-cost units
 * @param committeePrize {@code Q = m*p / (1 - (1-p)^m)}: the prize split among the committee
 *     members that delivered, in proof-cost units
 * @param livenessPenalty the liveness penalty {@code C} ({@code >= 1}), in proof-cost units
 * @param stake the slashable stake at risk {@code B} ({@code >= 0}), in proof-cost units
 * @param policy where the seized stake goes when the designate fails
 */
public record DesignatedOptimum(
    int n,
    int h,
    int committeeSize,
    double mixingProbability,
    double loss,
    double totalPrize,
    double committeePrize,
    double livenessPenalty,
    double stake,
    FailurePolicy policy) {

  /**
   * The number of provers an adversary may control, {@code k = n - h} (docs/MECHANISM.md §1).
   *
   * @return {@code n - h}
   */
  public int adversaryBudget() {
    return n - h;
  }

  /**
   * The designate's payment when at least one committee member delivers, {@code T - Q}, in
   * proof-cost units (docs/MECHANISM.md §3). Never negative.
   *
   * @return {@code T - Q}
   */
  public double designatePrizeWithCommitteeDelivery() {
    return totalPrize - committeePrize;
  }
}
