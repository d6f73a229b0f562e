package io.procura.mechanism;

import java.util.ArrayList;
import java.util.List;

/**
 * LossSweep computes the optimal designated worst-case loss over a log-spaced range of liveness
 * penalties {@code C}, one curve per honest fraction {@code alpha} and stake level: the data of
 * the paper's Fig. 3.3 (docs/MECHANISM.md §3 "Asymptotics", Lem. 3.11, 3.12). Without stake the loss
 * grows like {@code ln(C)/alpha}; with a stake of the order of {@code C} it stays bounded. Each
 * point is {@link DesignatedMechanism#optimizeFullCommittee} (the rule the contract implements,
 * {@code m = n - 1}). Amounts are in <b>proof-cost units</b>.
 *
 * <p>Stateless and thread-safe; all methods are static.
 */
public final class LossSweep {

  /** The most points a sweep may hold (curves times penalties). */
  public static final int MAX_POINTS = 1_000_000;

  private LossSweep() {}

  /**
   * The liveness penalties of a sweep: {@code pointsPerDecade} per factor of 10, log-spaced from
   * {@code from} to {@code to}, both included.
   *
   * @param from the smallest {@code C}, {@code >= 1}, proof-cost units
   * @param to the largest {@code C}, {@code >= from}, finite
   * @param pointsPerDecade points per factor of 10, in {@code [1, 1000]}
   * @return the penalties, increasing
   * @throws MechanismException if an argument is outside the ranges above
   */
  public static double[] penalties(double from, double to, int pointsPerDecade) {
    if (!Double.isFinite(from) || from < 1.0) {
      throw new MechanismException("sweep start C must be finite and >= 1, got C = " + from);
    }
    if (!Double.isFinite(to) || to < from) {
      throw new MechanismException(
          "sweep end C must be finite and >= the start " + from + ", got C = " + to);
    }
    if (pointsPerDecade < 1 || pointsPerDecade > 1000) {
      throw new MechanismException(
          "points per decade must lie in [1, 1000], got " + pointsPerDecade);
    }
    double decades = Math.log10(to / from);
    int steps = Math.max(1, (int) Math.ceil(decades * pointsPerDecade - 1e-9));
    double[] out = new double[steps + 1];
    for (int i = 0; i <= steps; i++) {
      out[i] = i == steps ? to : from * Math.pow(10.0, decades * i / steps);
    }
    return out;
  }

  /**
   * The sweep: for every {@code alpha}, every stake level and every {@code C}, the optimal
   * full-committee designated rule with {@code h = round(alpha * n)}.
   *
   * @param n provers in the eligible set, {@code n >= 1}
   * @param alphas honest fractions, each in {@code (0, 1]}
   * @param penalties liveness penalties {@code C >= 1}, proof-cost units (see {@link #penalties})
   * @param stakes stake levels (include {@link StakeLevel#NONE} for the unstaked curves)
   * @param policy where the seized stake goes when the designate fails
   * @return the points, grouped by {@code alpha}, then stake level, then {@code C}
   * @throws MechanismException if an argument is outside the ranges above, a list is empty, or
   *     the sweep would exceed {@link #MAX_POINTS}
   */
  public static List<SweepPoint> sweep(
      int n, double[] alphas, double[] penalties, List<StakeLevel> stakes, FailurePolicy policy) {
    if (alphas == null || alphas.length == 0 || penalties == null || penalties.length == 0
        || stakes == null || stakes.isEmpty()) {
      throw new MechanismException("a sweep needs at least one alpha, one C and one stake level");
    }
    long size = (long) alphas.length * penalties.length * stakes.size();
    if (size > MAX_POINTS) {
      throw new MechanismException(
          "a sweep may hold at most " + MAX_POINTS + " points, got " + size);
    }
    List<SweepPoint> out = new ArrayList<>((int) size);
    for (double alpha : alphas) {
      int h = honestProvers(n, alpha);
      for (StakeLevel level : stakes) {
        for (double c : penalties) {
          double b = level.at(c);
          DesignatedOptimum o = DesignatedMechanism.optimizeFullCommittee(n, h, c, b, policy);
          out.add(new SweepPoint(alpha, n, h, level, c, b, o.mixingProbability(), o.loss()));
        }
      }
    }
    return List.copyOf(out);
  }

  /**
   * The honest provers for a fraction: {@code round(alpha * n)} clamped to {@code [1, n]}.
   *
   * @param n provers in the eligible set, {@code n >= 1}
   * @param alpha honest fraction in {@code (0, 1]}
   * @return {@code h}
   * @throws MechanismException if {@code n < 1} or {@code alpha} is outside {@code (0, 1]}
   */
  public static int honestProvers(int n, double alpha) {
    if (n < 1) {
      throw new MechanismException("eligible provers n must be at least 1, got n = " + n);
    }
    if (!(alpha > 0.0 && alpha <= 1.0)) {
      throw new MechanismException("honest fraction alpha must lie in (0, 1], got " + alpha);
    }
    return (int) Math.max(1, Math.min(n, Math.round(alpha * n)));
  }
}
