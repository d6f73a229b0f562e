package io.procura.mechanism;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.hipparchus.analysis.UnivariateFunction;
import org.hipparchus.analysis.solvers.BrentSolver;
import org.hipparchus.distribution.discrete.BinomialDistribution;
import org.hipparchus.exception.MathRuntimeException;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.MaxIter;
import org.hipparchus.optim.PointValuePair;
import org.hipparchus.optim.linear.LinearConstraint;
import org.hipparchus.optim.linear.LinearConstraintSet;
import org.hipparchus.optim.linear.LinearObjectiveFunction;
import org.hipparchus.optim.linear.NonNegativeConstraint;
import org.hipparchus.optim.linear.Relationship;
import org.hipparchus.optim.linear.SimplexSolver;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.univariate.BrentOptimizer;
import org.hipparchus.optim.univariate.SearchInterval;
import org.hipparchus.optim.univariate.UnivariateObjectiveFunction;
import org.hipparchus.optim.univariate.UnivariatePointValuePair;

/**
 * SymmetricMechanism is the symmetric committee of docs/MECHANISM.md §4 (paper Def. 3.2, Lem. 3.5,
 * LP1), kept for comparison with the designated rule: {@code m} committee members each deliver
 * with probability {@code p}, nobody is designated.
 *
 * <ul>
 *   <li>{@link #lowerBoundLoss} and {@link #optimizeBound}: the lower bound
 *       {@code L_sym(m, p) = max(m*p + C*(1-p)^m, C*(1-p)^(m-k) - B)} over this shape, and its
 *       minimum over {@code m} in {@code (k, n]} and {@code p}; no rule of this shape does better.
 *   <li>{@link #implementableRule} and {@link #optimizeImplementable}: the best anonymous rule
 *       that actually implements the shape, the value of LP1 for one {@code (m, p)} (solved with
 *       Hipparchus' {@link SimplexSolver}) and its minimum over {@code m} and {@code p}. It can be
 *       worse than the bound (Ex. 3.4).
 * </ul>
 *
 * <p>All amounts are in <b>proof-cost units</b>. Stateless and thread-safe; all methods are
 * static.
 */
public final class SymmetricMechanism {

  private static final double P_ABSOLUTE_ACCURACY = 1e-15;
  private static final double P_RELATIVE_ACCURACY = 1e-14;
  private static final int MAX_EVALUATIONS = 1_000;

  /** Grid cells on {@code p} in the search of the implementable optimum, before refinement. */
  private static final int LP_GRID_CELLS = 40;

  /**
   * The largest eligible set {@link #optimizeImplementable} accepts: its cost grows about like {@code n^3} (up to
   * {@code 60 n} LP solves of {@code m + 1} variables); {@code n = 1000} took 47 s and {@code n = 10^7} ran out of
   * memory. Above it, {@link #optimizeBound} still answers.
   */
  public static final int MAX_IMPLEMENTABLE_N = 500;

  /** Accuracy on {@code p} of the Brent refinement of the implementable optimum. */
  private static final double LP_P_ACCURACY = 1e-7;

  /** Pivot iterations allowed to one LP1 solve. */
  private static final int LP_MAX_ITERATIONS = 100_000;

  private SymmetricMechanism() {}

  /**
   * The lower bound {@code L_sym(m, p)} over the symmetric committee shape (docs/MECHANISM.md §4;
   * Lem. 3.5): {@code max(m*p + C*(1-p)^m, C*(1-p)^(m-k) - B)} with {@code k = n - h}.
   *
   * @param n provers in the eligible set, {@code n >= 1}
   * @param h provers assumed honest, {@code 1 <= h <= n}
   * @param m committee size, {@code k < m <= n}
   * @param p mixing probability in {@code [0, 1]}
   * @param livenessPenalty liveness penalty {@code C >= 1}, proof-cost units
   * @param stake slashable stake {@code B >= 0}, proof-cost units
   * @return the bound, proof-cost units
   * @throws MechanismException if an argument is outside the ranges above, NaN or infinite
   */
  public static double lowerBoundLoss(
      int n, int h, int m, double p, double livenessPenalty, double stake) {
    DesignatedMechanism.requireSetting(n, h, livenessPenalty, stake, FailurePolicy.PAPER);
    requireSymmetricCommittee(n, h, m);
    DesignatedMechanism.requireProbability(p);
    return Math.max(honestBranch(m, p, livenessPenalty),
        withholdingBranch(n - h, m, p, livenessPenalty, stake));
  }

  /**
   * The minimum of {@link #lowerBoundLoss} over {@code m} in {@code (k, n]} and {@code p} in
   * {@code [0, 1]} (docs/MECHANISM.md §4). For each {@code m} the honest branch
   * {@code m*p + C*(1-p)^m} is convex with minimiser {@code p_L = 1 - C^(-1/(m-1))} and the
   * withholding branch decreases, so the optimum is {@code p_L} if the withholding branch is below
   * the honest one there, else the crossing of the branches above {@code p_L} (Hipparchus
   * {@link BrentSolver}). One root search per {@code m}: {@code O(n)}.
   *
   * @param n provers in the eligible set, {@code n >= 1}
   * @param h provers assumed honest, {@code 1 <= h <= n}
   * @param livenessPenalty liveness penalty {@code C >= 1}, proof-cost units
   * @param stake slashable stake {@code B >= 0}, proof-cost units
   * @return the optimum, with no payments ({@link SymmetricOptimum#implementable()} is false)
   * @throws MechanismException if an argument is outside the ranges above, NaN or infinite, or if
   *     the root finder fails
   */
  public static SymmetricOptimum optimizeBound(
      int n, int h, double livenessPenalty, double stake) {
    DesignatedMechanism.requireSetting(n, h, livenessPenalty, stake, FailurePolicy.PAPER);
    int k = n - h;
    int bestM = -1;
    double bestP = Double.NaN;
    double bestLoss = Double.POSITIVE_INFINITY;
    for (int m = k + 1; m <= n; m++) {
      double p = boundOptimalP(k, m, livenessPenalty, stake);
      double loss = Math.max(honestBranch(m, p, livenessPenalty),
          withholdingBranch(k, m, p, livenessPenalty, stake));
      if (loss < bestLoss) {
        bestLoss = loss;
        bestM = m;
        bestP = p;
      }
    }
    return new SymmetricOptimum(n, h, bestM, bestP, bestLoss, livenessPenalty, stake, List.of());
  }

  /**
   * The best implementable anonymous rule for one symmetric committee {@code (m, p)}: the value
   * of LP1 (docs/MECHANISM.md §4), solved with Hipparchus' {@link SimplexSolver}. Variables are the
   * totals {@code P_1..P_m} paid when exactly {@code j} committee proofs arrive (split evenly;
   * {@code P_0 = 0}, {@code P_j >= 0}) and the loss {@code t}; with {@code X ~ Bin(m-k, p)} and
   * {@code Y ~ Bin(m-1, p)}:
   *
   * <pre>{@code
   * minimise t  s.t.  E[P_{i+X}] + C*[i=0]*(1-p)^(m-k) <= t   for i = 0..k
   *                   E[P_{1+Y} / (1+Y)] = 1
   * }</pre>
   *
   * <p>The equality makes a delivering member's expected payment exactly 1 (incentive
   * compatibility); the inequalities bound the cost when the adversary holds {@code k} members
   * and delivers {@code i} proofs. LP1 has no stake: with nobody designated, nobody can be blamed
   * for a missing proof.
   *
   * @param n provers in the eligible set, {@code n >= 1}
   * @param h provers assumed honest, {@code 1 <= h <= n}
   * @param m committee size, {@code k < m <= n}
   * @param p mixing probability in {@code (0, 1]}
   * @param livenessPenalty liveness penalty {@code C >= 1}, proof-cost units
   * @return the rule with its payments {@code P_0..P_m} and loss {@code t}
   * @throws MechanismException if an argument is outside the ranges above (in particular
   *     {@code p = 0}, where no payment can make delivering worth its cost), or if the LP solver
   *     fails
   */
  public static SymmetricOptimum implementableRule(
      int n, int h, int m, double p, double livenessPenalty) {
    DesignatedMechanism.requireSetting(n, h, livenessPenalty, 0.0, FailurePolicy.PAPER);
    requireSymmetricCommittee(n, h, m);
    DesignatedMechanism.requireProbability(p);
    if (p == 0.0) {
      throw new MechanismException(
          "LP1 needs a mixing probability p in (0, 1]: at p = 0 nobody delivers, got p = 0");
    }
    return solveLp(n, h, m, p, livenessPenalty);
  }

  /**
   * The best implementable symmetric rule: the minimum of the LP1 value
   * ({@link #implementableRule}) over {@code m} in {@code (k, n]} and {@code p} in {@code (0, 1]}
   * (docs/MECHANISM.md §4). For each {@code m}, LP1 is solved on a grid of 40 values of {@code p} and
   * the best cell is refined with Hipparchus' {@link BrentOptimizer} to {@code 1e-7} in {@code p}.
   * Since the LP1 value is at least {@link #lowerBoundLoss} with {@code B = 0}, committee sizes and
   * grid points whose bound already exceeds the best value found are skipped without solving.
   * The LP value need not be unimodal in {@code p}; the grid makes a missed basin unlikely but
   * this is a numerical search, not a proof of optimality. Cost: up to about {@code 60 n} LP
   * solves of {@code m + 1} variables and {@code k + 2} constraints.
   *
   * @param n provers in the eligible set, {@code n >= 1}
   * @param h provers assumed honest, {@code 1 <= h <= n}
   * @param livenessPenalty liveness penalty {@code C >= 1}, proof-cost units
   * @return the best rule found, with its payments
   * @throws MechanismException if an argument is outside the ranges above, {@code n} is above
   *     {@link #MAX_IMPLEMENTABLE_N}, or the LP solver fails
   */
  public static SymmetricOptimum optimizeImplementable(int n, int h, double livenessPenalty) {
    DesignatedMechanism.requireSetting(n, h, livenessPenalty, 0.0, FailurePolicy.PAPER);
    if (n > MAX_IMPLEMENTABLE_N) {
      throw new MechanismException("the implementable symmetric rule (LP1) is solved for n <= " + MAX_IMPLEMENTABLE_N
          + " only (its cost grows like n^3), got n = " + n + "; the symmetric lower bound answers for any n");
    }
    int k = n - h;
    SymmetricOptimum best = null;
    double bestLoss = Double.POSITIVE_INFINITY;
    for (int m = k + 1; m <= n; m++) {
      double boundP = boundOptimalP(k, m, livenessPenalty, 0.0);
      double bound = Math.max(honestBranch(m, boundP, livenessPenalty),
          withholdingBranch(k, m, boundP, livenessPenalty, 0.0));
      if (bound >= bestLoss) {
        continue;
      }
      int bestCell = -1;
      double bestCellLoss = Double.POSITIVE_INFINITY;
      for (int i = 1; i <= LP_GRID_CELLS; i++) {
        double p = (double) i / LP_GRID_CELLS;
        double cellBound = Math.max(honestBranch(m, p, livenessPenalty),
            withholdingBranch(k, m, p, livenessPenalty, 0.0));
        if (cellBound >= Math.min(bestLoss, bestCellLoss)) {
          continue;
        }
        double value = solveLp(n, h, m, p, livenessPenalty).loss();
        if (value < bestCellLoss) {
          bestCellLoss = value;
          bestCell = i;
        }
      }
      if (bestCell < 0) {
        continue;
      }
      final int size = m;
      double lo = (double) (bestCell - 1) / LP_GRID_CELLS;
      double hi = Math.min(1.0, (double) (bestCell + 1) / LP_GRID_CELLS);
      double start = (double) bestCell / LP_GRID_CELLS;
      UnivariateFunction value =
          q -> q <= 0.0 ? Double.POSITIVE_INFINITY : solveLp(n, h, size, q, livenessPenalty).loss();
      UnivariatePointValuePair refined;
      try {
        refined =
            new BrentOptimizer(1e-10, LP_P_ACCURACY)
                .optimize(new MaxEval(MAX_EVALUATIONS), new UnivariateObjectiveFunction(value),
                    GoalType.MINIMIZE, new SearchInterval(lo, hi, start));
      } catch (MathRuntimeException ex) {
        throw new MechanismException("cannot minimise the LP1 value over p for n = " + n + ", h = "
            + h + ", m = " + m + ", C = " + livenessPenalty, ex);
      }
      double p = refined.getValue() < bestCellLoss ? refined.getPoint() : start;
      SymmetricOptimum candidate = solveLp(n, h, m, p, livenessPenalty);
      if (candidate.loss() < bestLoss) {
        bestLoss = candidate.loss();
        best = candidate;
      }
    }
    return best;
  }

  // ---------------------------------------------------------------------------------------------

  private static double honestBranch(int m, double p, double c) {
    return m * p + c * Math.exp(m * Math.log1p(-p));
  }

  private static double withholdingBranch(int k, int m, double p, double c, double b) {
    return c * Math.exp((m - k) * Math.log1p(-p)) - b;
  }

  /** The {@code p} minimising {@code L_sym(m, .)}; see {@link #optimizeBound}. */
  private static double boundOptimalP(int k, int m, double c, double b) {
    double honestMinimiser = m == 1 ? 1.0 : -Math.expm1(-Math.log(c) / (m - 1));
    if (withholdingBranch(k, m, honestMinimiser, c, b) <= honestBranch(m, honestMinimiser, c)) {
      return honestMinimiser;
    }
    UnivariateFunction gap = q -> honestBranch(m, q, c) - withholdingBranch(k, m, q, c, b);
    try {
      return new BrentSolver(P_RELATIVE_ACCURACY, P_ABSOLUTE_ACCURACY)
          .solve(MAX_EVALUATIONS, gap, honestMinimiser, 1.0);
    } catch (MathRuntimeException ex) {
      throw new MechanismException("cannot equalise the symmetric loss branches for k = " + k
          + ", m = " + m + ", C = " + c + ", B = " + b, ex);
    }
  }

  private static SymmetricOptimum solveLp(int n, int h, int m, double p, double c) {
    int k = n - h;
    int variables = m + 1; // P_1..P_m at 0..m-1, t at m
    BinomialDistribution honest = new BinomialDistribution(m - k, p);
    double[] honestPmf = new double[m - k + 1];
    for (int x = 0; x <= m - k; x++) {
      honestPmf[x] = honest.probability(x);
    }
    Collection<LinearConstraint> constraints = new ArrayList<>();
    double noneOfHonest = Math.exp((m - k) * Math.log1p(-p));
    for (int i = 0; i <= k; i++) {
      double[] row = new double[variables];
      for (int x = 0; x <= m - k; x++) {
        int j = i + x;
        if (j >= 1) {
          row[j - 1] += honestPmf[x];
        }
      }
      row[m] = -1.0;
      double rhs = i == 0 ? -c * noneOfHonest : 0.0;
      constraints.add(new LinearConstraint(row, Relationship.LEQ, rhs));
    }
    BinomialDistribution others = new BinomialDistribution(m - 1, p);
    double[] equilibrium = new double[variables];
    for (int y = 0; y <= m - 1; y++) {
      equilibrium[y] = others.probability(y) / (1 + y);
    }
    constraints.add(new LinearConstraint(equilibrium, Relationship.EQ, 1.0));
    double[] objective = new double[variables];
    objective[m] = 1.0;
    PointValuePair solution;
    try {
      solution =
          new SimplexSolver()
              .optimize(new MaxIter(LP_MAX_ITERATIONS),
                  new LinearObjectiveFunction(objective, 0.0), new LinearConstraintSet(constraints),
                  GoalType.MINIMIZE, new NonNegativeConstraint(true));
    } catch (MathRuntimeException ex) {
      throw new MechanismException("LP1 failed for n = " + n + ", h = " + h + ", m = " + m
          + ", p = " + p + ", C = " + c, ex);
    }
    double[] point = solution.getPoint();
    List<Double> payments = new ArrayList<>(m + 1);
    payments.add(0.0);
    for (int j = 1; j <= m; j++) {
      payments.add(point[j - 1]);
    }
    return new SymmetricOptimum(n, h, m, p, solution.getValue(), c, 0.0, List.copyOf(payments));
  }

  private static void requireSymmetricCommittee(int n, int h, int m) {
    int k = n - h;
    if (m <= k || m > n) {
      throw new MechanismException("symmetric committee size m must lie in (k, n] = (" + k + ", "
          + n + "], got m = " + m);
    }
  }
}
