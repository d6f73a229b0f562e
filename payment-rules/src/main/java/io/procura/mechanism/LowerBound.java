package io.procura.mechanism;

import java.util.Arrays;

/**
 * LowerBound is the lower bound {@code L_B(pi)} on the worst-case loss of <i>any</i> payment rule
 * that implements the strategy profile {@code pi} (docs/MECHANISM.md §2; paper Lem. 3.1, Cor. 3.2):
 *
 * <pre>{@code
 * L_B(pi) = max( sum_i pi_i + C * prod_{i=1..n} (1 - pi_i),  C * prod_{i=k+1..n} (1 - pi_i) - B )
 * }</pre>
 *
 * with {@code pi} sorted decreasing and {@code k = n - h}. The left branch is the cost when the
 * adversary behaves honestly (every delivery must be paid at least its cost 1); the right branch
 * is the cost when it corrupts the {@code k} most likely deliverers and withholds, less the stake
 * {@code B} it can lose. All amounts are in <b>proof-cost units</b>.
 *
 * <p>Stateless and thread-safe; all methods are static.
 */
public final class LowerBound {

  private LowerBound() {}

  /**
   * {@code L_B(pi)} of docs/MECHANISM.md §2 for one strategy profile.
   *
   * @param profile delivery probabilities {@code pi_i}, one per prover, each in {@code [0, 1]}, in
   *     any order (sorted internally; the array is not modified); its length is {@code n >= 1}
   * @param h provers assumed honest, {@code 1 <= h <= n}
   * @param livenessPenalty liveness penalty {@code C >= 1}, proof-cost units
   * @param stake slashable stake {@code B >= 0}, proof-cost units
   * @return the lower bound, proof-cost units
   * @throws MechanismException if the profile is null or empty, a probability is outside
   *     {@code [0, 1]} or NaN, or {@code h}, {@code C}, {@code B} are outside their ranges
   */
  public static double of(double[] profile, int h, double livenessPenalty, double stake) {
    if (profile == null || profile.length == 0) {
      throw new MechanismException("strategy profile must hold at least one prover");
    }
    int n = profile.length;
    DesignatedMechanism.requireSetting(n, h, livenessPenalty, stake, FailurePolicy.PAPER);
    double[] sorted = profile.clone();
    for (double pi : sorted) {
      DesignatedMechanism.requireProbability(pi);
    }
    Arrays.sort(sorted);
    // Ascending: the k most likely deliverers are the last k entries.
    int k = n - h;
    double expectedDeliveries = 0.0;
    double logNoneOfAll = 0.0;
    double logNoneOfRest = 0.0;
    for (int i = 0; i < n; i++) {
      expectedDeliveries += sorted[i];
      double logMiss = Math.log1p(-sorted[i]);
      logNoneOfAll += logMiss;
      if (i < n - k) {
        logNoneOfRest += logMiss;
      }
    }
    double honest = expectedDeliveries + livenessPenalty * Math.exp(logNoneOfAll);
    if (k == 0) {
      return honest;
    }
    double withheld = livenessPenalty * Math.exp(logNoneOfRest) - stake;
    return Math.max(honest, withheld);
  }
}
