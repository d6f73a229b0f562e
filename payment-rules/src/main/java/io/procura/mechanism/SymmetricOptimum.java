package io.procura.mechanism;

import java.util.List;

/**
 * SymmetricOptimum is the best symmetric committee for one market setting (docs/MECHANISM.md §4;
 * paper Def. 3.2, Lem. 3.5, LP1), as returned by {@link SymmetricMechanism#optimizeBound} (the
 * lower bound over the symmetric shape) and {@link SymmetricMechanism#optimizeImplementable} (the
 * best rule that LP1 can implement). All amounts are in proof-cost units.
 *
 * @param n provers in the eligible set ({@code n >= 1})
 * @param h provers assumed honest ({@code 1 <= h <= n})
 * @param committeeSize committee size {@code m}, in {@code (k, n]}
 * @param mixingProbability probability {@code p} in {@code [0, 1]} that each committee member
 *     delivers
 * @param loss the worst-case loss, proof-cost units: {@code L_sym(m, p)} for the bound, the LP1
 *     value for the implementable rule
 * @param livenessPenalty the liveness penalty {@code C >= 1}, proof-cost units
 * @param stake the stake {@code B >= 0} used (always 0 for the implementable rule: with no
 *     designate nobody can be blamed, so LP1 has no stake)
 * @param payments for the implementable rule, {@code P_0 .. P_m}: the total paid when exactly
 *     {@code j} committee proofs arrive, split evenly among them ({@code P_0 = 0}); empty for the
 *     bound
 */
public record SymmetricOptimum(
    int n,
    int h,
    int committeeSize,
    double mixingProbability,
    double loss,
    double livenessPenalty,
    double stake,
    List<Double> payments) {

  /**
   * Whether this is the LP1 rule (with payments) rather than the lower bound over the shape.
   *
   * @return true if {@link #payments()} is not empty
   */
  public boolean implementable() {
    return !payments.isEmpty();
  }
}
