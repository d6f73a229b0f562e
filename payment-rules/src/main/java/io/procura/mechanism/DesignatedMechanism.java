package io.procura.mechanism;

import org.hipparchus.analysis.UnivariateFunction;
import org.hipparchus.analysis.solvers.BrentSolver;
import org.hipparchus.analysis.solvers.UnivariateSolver;
import org.hipparchus.exception.MathRuntimeException;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.univariate.BrentOptimizer;
import org.hipparchus.optim.univariate.SearchInterval;
import org.hipparchus.optim.univariate.UnivariateObjectiveFunction;
import org.hipparchus.optim.univariate.UnivariatePointValuePair;

/**
 * DesignatedMechanism is the designated uniform committee mechanism of docs/MECHANISM.md §3
 * (paper Def. 3.1, Lem. 3.4): one <i>designate</i> delivers with probability 1, a
 * <i>committee</i> of {@code m} provers each deliver with a private mixing probability
 * {@code p}; when the designate delivers the protocol pays {@code T = 1 + m*p} in total, of
 * which the committee prize {@code Q = m*p / (1 - (1-p)^m)} is split among the committee
 * members who delivered; when it fails, its bond (stake at risk {@code B}) is slashed and
 * handed out according to the {@link FailurePolicy}.
 *
 * <p>This class evaluates the worst-case loss {@code L_desig(m, p)} and solves PROG5 (the
 * choice of {@code m} and {@code p} that minimises it). Every amount is in <b>proof-cost
 * units</b> (1 = the cost of producing one proof; on chain, {@code proofPrice} tokens). Root
 * finding uses Hipparchus' {@link BrentSolver}, local minimisation Hipparchus'
 * {@link BrentOptimizer}. The integer (token) version of the prizes is {@link PaymentRule}.
 *
 * <p>Stateless and thread-safe; all methods are static.
 */
public final class DesignatedMechanism {

  /**
   * Absolute accuracy on {@code p} of the Brent searches. Near an optimum with a large committee
   * the right branch is steep (slope about {@code e * C * (1-p)^e}), so {@code p} is resolved
   * nearly to the last bit for the loss to match {@code T} to about 1e-12.
   */
  private static final double P_ABSOLUTE_ACCURACY = 1e-18;

  /** Relative accuracy on {@code p} of the Brent searches (a few ulps). */
  private static final double P_RELATIVE_ACCURACY = 1e-15;

  /** Maximum function evaluations of one Brent search. */
  private static final int MAX_EVALUATIONS = 1_000;

  /**
   * Cells of the scan used to bracket the crossings and local minima of the
   * {@link FailurePolicy#COMPENSATE_COMMITTEE} branches. The scan points are {@code (i/N)^2}, so
   * they are dense near {@code p = 0}, where optima with a large committee lie.
   */
  private static final int SCAN_CELLS = 2_048;

  private DesignatedMechanism() {}

  /**
   * The total prize {@code T = 1 + m*p} that the protocol pays when the designate delivers,
   * however many committee copies arrive (docs/MECHANISM.md §3; Def. 3.1).
   *
   * @param m committee size, {@code m >= 0}
   * @param p mixing probability in {@code [0, 1]}
   * @return {@code T} in proof-cost units, {@code >= 1}
   * @throws MechanismException if {@code m < 0} or {@code p} is NaN or outside {@code [0, 1]}
   */
  public static double totalPrize(int m, double p) {
    requireCommitteeSize(m);
    requireProbability(p);
    return 1.0 + m * p;
  }

  /**
   * The committee prize {@code Q = m*p / (1 - (1-p)^m)}, split evenly among the committee members
   * who delivered (docs/MECHANISM.md §3; Def. 3.1). It makes a committee member's expected payment,
   * given that it delivers, exactly 1. At {@code p = 0} the value is the limit {@code Q -> 1}; at
   * {@code m = 0} (no committee) it is defined as 1, as in the integer recipe of
   * {@link PaymentRule#committeePrizeWad}. The denominator is evaluated as
   * {@code -expm1(m * log1p(-p))} so that small {@code p} keeps full precision.
   *
   * @param m committee size, {@code m >= 0}
   * @param p mixing probability in {@code [0, 1]}
   * @return {@code Q} in proof-cost units, in {@code [1, T]}
   * @throws MechanismException if {@code m < 0} or {@code p} is NaN or outside {@code [0, 1]}
   */
  public static double committeePrize(int m, double p) {
    requireCommitteeSize(m);
    requireProbability(p);
    if (m == 0 || p == 0.0) {
      return 1.0;
    }
    double anyDelivers = -Math.expm1(m * Math.log1p(-p));
    return m * p / anyDelivers;
  }

  /**
   * The worst-case loss {@code L_desig(m, p)} of the designated uniform committee mechanism
   * (docs/MECHANISM.md §3; Lem. 3.4 with Cor. 3.2): the maximum of the left branch {@code 1 + m*p}
   * (the adversary behaves honestly) and the right branch (it corrupts the designate and
   * {@code k - 1} committee members and withholds), where {@code k = n - h} and
   * {@code e = m - k + 1} honest committee members remain, {@code q0 = (1-p)^e}:
   *
   * <ul>
   *   <li>{@link FailurePolicy#PAPER}: right branch {@code C*q0 - B};
   *   <li>{@link FailurePolicy#COMPENSATE_COMMITTEE}: right branch
   *       {@code C*q0 + min(Q, B)*(1 - q0) - B};
   *   <li>if {@code e <= 0} (the adversary holds the whole committee): right branch
   *       {@code C - B} under both policies;
   *   <li>if {@code k = 0} the adversary controls nobody, the designate always delivers and the
   *       loss is the left branch {@code 1 + m*p}.
   * </ul>
   *
   * @param n provers in the eligible set, {@code n >= 1}
   * @param h provers assumed honest, {@code 1 <= h <= n}
   * @param m committee size, {@code 0 <= m <= n - 1}
   * @param p mixing probability in {@code [0, 1]}
   * @param livenessPenalty liveness penalty {@code C >= 1}, proof-cost units
   * @param stake slashable stake at risk {@code B >= 0}, proof-cost units
   * @param policy where the seized stake goes when the designate fails
   * @return the worst-case loss, proof-cost units
   * @throws MechanismException if any argument is outside the domain above, NaN or infinite
   */
  public static double worstCaseLoss(
      int n, int h, int m, double p, double livenessPenalty, double stake, FailurePolicy policy) {
    requireSetting(n, h, livenessPenalty, stake, policy);
    requireCommitteeSize(m);
    if (m > n - 1) {
      throw new MechanismException(
          "committee size m must be at most n - 1 = " + (n - 1) + ", got m = " + m);
    }
    requireProbability(p);
    return lossUnchecked(n - h, m, p, livenessPenalty, stake, policy);
  }

  /**
   * Solves PROG5 (docs/MECHANISM.md §3): the committee size {@code m} in {@code [k, n - 1]} and the
   * mixing probability {@code p} that minimise {@code L_desig(m, p)}, with {@code k = n - h}.
   * For each {@code m} the optimal {@code p} equalises the two branches (found with Hipparchus'
   * {@link BrentSolver}); under {@link FailurePolicy#COMPENSATE_COMMITTEE}, whose right branch
   * need not be monotone, the global minimum of {@code max(left, right)} over {@code p} is taken
   * among every crossing of the branches, every local minimum of the right branch above the
   * left one, and {@code p = 0}. If {@code C - B <= 1} (or {@code k = 0}) the designate alone is
   * optimal: {@code p = 0}, loss 1. Ties between committee sizes go to the larger {@code m}, so
   * the full committee {@code m = n - 1} is returned whenever it is optimal.
   *
   * <p>Note: contrary to the "Committee size" paragraph of docs/MECHANISM.md §3, the full committee is
   * not always optimal. For a fixed {@code lambda = m*p} the withholding branch
   * {@code C*(1 - lambda/m)^(m-k+1)} decreases in {@code m} only for small {@code lambda/m} and
   * {@code k >= 2} (for {@code k = 1} it increases). When the adversary is small the committee
   * {@code m = k} with {@code p} close to 1 (loss just under {@code k + 1}, the fixed subset of
   * Ex. 3.1; e.g. {@code n = 40, h = 38, C = 10^4}) is better; this method returns it. In a scan of
   * {@code n <= 25} (all {@code h}, {@code C} from 1.5 to 1e9, several stakes, both policies)
   * the optimum was always {@code m = k} or {@code m = n - 1}, so the full committee is optimal
   * exactly when its loss is at most that of {@link #optimizeCommittee} at {@code m = k}
   * (under {@link FailurePolicy#PAPER}: at most {@code ((k + 1) C - k B)/(C + k)}). The loop
   * costs one root search per {@code m} whose loss can still beat the best found so far (PAPER or
   * {@code B = 0}: one power per other {@code m} decides that exactly), so typically a few searches.
   *
   * @param n provers in the eligible set, {@code n >= 1}
   * @param h provers assumed honest, {@code 1 <= h <= n}
   * @param livenessPenalty liveness penalty {@code C >= 1}, proof-cost units
   * @param stake slashable stake at risk {@code B >= 0}, proof-cost units
   * @param policy where the seized stake goes when the designate fails
   * @return the optimum, with {@code T} and {@code Q} filled in
   * @throws MechanismException if any argument is outside the domain above, NaN or infinite, or
   *     if the root finder fails
   */
  public static DesignatedOptimum optimize(
      int n, int h, double livenessPenalty, double stake, FailurePolicy policy) {
    requireSetting(n, h, livenessPenalty, stake, policy);
    int k = n - h;
    // The two usual winners first (m = n - 1, then m = k), so that the bound below prunes most of the rest.
    DesignatedOptimum best = optimizeFor(n, h, n - 1, livenessPenalty, stake, policy);
    if (k < n - 1) {
      best = better(best, n, h, k, livenessPenalty, stake, policy);
    }
    for (int m = n - 2; m > k; m--) {
      best = better(best, n, h, m, livenessPenalty, stake, policy);
    }
    return best;
  }

  /** {@code best}, or the optimum at {@code m} if it is lower (ties go to the larger committee). */
  private static DesignatedOptimum better(
      DesignatedOptimum best, int n, int h, int m, double c, double b, FailurePolicy policy) {
    if (!canBeat(n - h, m, c, b, policy, best.loss())) return best;
    DesignatedOptimum candidate = optimizeFor(n, h, m, c, b, policy);
    boolean lower = candidate.loss() < best.loss();
    boolean tieLarger = candidate.loss() == best.loss() && m > best.committeeSize();
    return lower || tieLarger ? candidate : best;
  }

  /**
   * Whether committee size {@code m} can reach a loss at or below {@code bound}. Exact for the
   * cases where the branches cross once (PAPER, or {@code B = 0}; {@code e >= 1}, {@code C - B > 1}):
   * the loss is {@code 1 + m p*} with {@code p*} the crossing, and {@code 1 + m p <= bound} exactly when
   * the crossing lies at or below {@code p0 = (bound - 1)/m}, i.e. when the withholding branch at
   * {@code p0} is already at or below {@code bound}. Otherwise (no such structure) it answers true, so
   * the caller solves.
   */
  private static boolean canBeat(int k, int m, double c, double b, FailurePolicy policy, double bound) {
    int e = m - k + 1;
    if (k == 0 || e <= 0 || c - b <= 1.0 || m == 0) return true;
    if (!(policy == FailurePolicy.PAPER || b == 0.0)) return true;
    double p0 = (bound - 1.0) / m;
    if (p0 >= 1.0) return true;
    // a small slack keeps candidates whose loss ties the bound up to rounding
    return rightBranch(k, m, p0, c, b, policy) <= bound * (1 + 1e-12) + 1e-12;
  }

  /**
   * Solves PROG5 with the committee fixed to every eligible prover other than the designate,
   * {@code m = n - 1}: the rule the market contract implements (docs/MECHANISM.md §3, "Committee
   * size"; docs/DESIGN.md §1 step 2). This is what the coordinator calls to quote a slot. The
   * optimisation over {@code p} is the one described at {@link #optimize}. Its loss can exceed
   * that of {@link #optimize} when the adversary budget {@code k} is small (see there).
   *
   * @param n provers in the eligible set, {@code n >= 1}
   * @param h provers assumed honest, {@code 1 <= h <= n}
   * @param livenessPenalty liveness penalty {@code C >= 1}, proof-cost units
   * @param stake slashable stake at risk {@code B >= 0}, proof-cost units
   * @param policy where the seized stake goes when the designate fails
   * @return the optimum with {@code committeeSize() == n - 1}
   * @throws MechanismException if any argument is outside the domain above, NaN or infinite, or
   *     if the root finder fails
   */
  public static DesignatedOptimum optimizeFullCommittee(
      int n, int h, double livenessPenalty, double stake, FailurePolicy policy) {
    requireSetting(n, h, livenessPenalty, stake, policy);
    return optimizeFor(n, h, n - 1, livenessPenalty, stake, policy);
  }

  /**
   * Solves PROG5 for one fixed committee size {@code m} (docs/MECHANISM.md §3): the {@code p} that
   * minimises {@code L_desig(m, p)}, by the method described at {@link #optimize}.
   *
   * <p>Under {@link FailurePolicy#PAPER} with {@code m = k} (so {@code e = 1}) and
   * {@code C - B > 1} the optimum has the closed form {@code p = (C - B - 1)/(C + k)},
   * {@code loss = ((k + 1) C - k B)/(C + k)}, just under {@code k + 1}: the committee of exactly
   * {@code k} members that beats the full committee when the adversary is small (see
   * {@link #optimize}).
   *
   * @param n provers in the eligible set, {@code n >= 1}
   * @param h provers assumed honest, {@code 1 <= h <= n}
   * @param m committee size, {@code 0 <= m <= n - 1}
   * @param livenessPenalty liveness penalty {@code C >= 1}, proof-cost units
   * @param stake slashable stake at risk {@code B >= 0}, proof-cost units
   * @param policy where the seized stake goes when the designate fails
   * @return the optimum for this {@code m}
   * @throws MechanismException if any argument is outside the domain above, NaN or infinite, or
   *     if the root finder fails
   */
  public static DesignatedOptimum optimizeCommittee(
      int n, int h, int m, double livenessPenalty, double stake, FailurePolicy policy) {
    requireSetting(n, h, livenessPenalty, stake, policy);
    requireCommittee(n, m);
    return optimizeFor(n, h, m, livenessPenalty, stake, policy);
  }

  /**
   * The payouts of the designated uniform committee rule for one delivery outcome, in proof-cost
   * units (docs/MECHANISM.md §3 "Payment rule" and "Failure policy"; Def. 3.1, Rem. 3.9). If the
   * designate delivers, the protocol pays {@code T = 1 + m*p} in total: {@code Q} split evenly
   * among the {@code j} committee deliverers and {@code T - Q} to the designate (all of {@code T}
   * if {@code j = 0}). If it fails, its stake at risk {@code B} is seized; under
   * {@link FailurePolicy#COMPENSATE_COMMITTEE} the committee deliverers first share
   * {@code min(Q, B)}, the rest refunds the requester; under {@link FailurePolicy#PAPER} all of
   * {@code B} refunds the requester. The requester's cost adds the liveness penalty {@code C} when
   * no proof arrived at all. The token version with the rounding of §6 is
   * {@link PaymentRule#settle}.
   *
   * @param m committee size, {@code m >= 0}
   * @param p mixing probability in {@code [0, 1]} (fixes {@code T} and {@code Q})
   * @param designateDelivered whether the designate's proof arrived
   * @param committeeDeliveries committee members whose proof arrived, in {@code [0, m]}
   * @param livenessPenalty liveness penalty {@code C >= 1}, proof-cost units
   * @param stake stake at risk {@code B >= 0} seized when the designate fails, proof-cost units
   * @param policy where the seized stake goes when the designate fails
   * @return the payouts and the requester's cost of this outcome
   * @throws MechanismException if an argument is outside the ranges above, NaN or infinite
   */
  public static DesignatedPayouts payouts(
      int m,
      double p,
      boolean designateDelivered,
      int committeeDeliveries,
      double livenessPenalty,
      double stake,
      FailurePolicy policy) {
    requireCommitteeSize(m);
    requireProbability(p);
    requireSetting(Math.max(1, m + 1), 1, livenessPenalty, stake, policy);
    if (committeeDeliveries < 0 || committeeDeliveries > m) {
      throw new MechanismException(
          "committee deliveries j must lie in [0, m = " + m + "], got j = " + committeeDeliveries);
    }
    return payoutsUnchecked(m, p, designateDelivered, committeeDeliveries, livenessPenalty, stake,
        policy);
  }

  /**
   * The strategy profile {@code pi} of the designated uniform committee (docs/MECHANISM.md §1, §3;
   * Def. 3.1): prover 0 is the designate ({@code pi_0 = 1}), provers {@code 1..m} the committee
   * ({@code pi_i = p}), the others idle ({@code pi_i = 0}). Pair it with {@link #paymentFunction}
   * for {@link ExactEvaluator} or {@link LowerBound}.
   *
   * @param n provers in the eligible set, {@code n >= 1}
   * @param m committee size, {@code 0 <= m <= n - 1}
   * @param p mixing probability in {@code [0, 1]}
   * @return a fresh array of {@code n} delivery probabilities
   * @throws MechanismException if an argument is outside the ranges above
   */
  public static double[] profile(int n, int m, double p) {
    requireCommittee(n, m);
    requireProbability(p);
    double[] pi = new double[n];
    pi[0] = 1.0;
    for (int i = 1; i <= m; i++) {
      pi[i] = p;
    }
    return pi;
  }

  /**
   * The designated uniform committee payment rule as a {@link PaymentFunction} over the provers of
   * {@link #profile}: prover 0 is the designate, provers {@code 1..m} the committee, the rest are
   * never paid (docs/MECHANISM.md §3). Payments are those of {@link #payouts}; the designate's payment
   * is {@code -B} when it fails (its seized stake).
   *
   * @param n provers in the eligible set, {@code n >= 1}
   * @param m committee size, {@code 0 <= m <= n - 1}
   * @param p mixing probability in {@code [0, 1]}
   * @param stake stake at risk {@code B >= 0}, proof-cost units
   * @param policy where the seized stake goes when the designate fails
   * @return the rule; its arrays have length {@code n}
   * @throws MechanismException if an argument is outside the ranges above
   */
  public static PaymentFunction paymentFunction(
      int n, int m, double p, double stake, FailurePolicy policy) {
    requireCommittee(n, m);
    requireProbability(p);
    requireSetting(n, 1, 1.0, stake, policy);
    return delivered -> {
      if (delivered.length != n) {
        throw new MechanismException(
            "delivery vector must have n = " + n + " entries, got " + delivered.length);
      }
      int j = 0;
      for (int i = 1; i <= m; i++) {
        if (delivered[i]) {
          j++;
        }
      }
      DesignatedPayouts outcome = payoutsUnchecked(m, p, delivered[0], j, 1.0, stake, policy);
      double[] payments = new double[n];
      payments[0] = outcome.designatePayout();
      for (int i = 1; i <= m; i++) {
        payments[i] = delivered[i] ? outcome.perCommitteeDeliverer() : 0.0;
      }
      return payments;
    };
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * The optimal {@code p} for one committee size; arguments already validated. The search runs on
   * {@code t = -ln(1 - p)} in {@code [0, ln(C)/e + 1]} rather than on {@code p}: near {@code p = 1}
   * (a large {@code C}) the withholding branch {@code C*(1-p)^e} would cancel catastrophically in
   * {@code p} (one ulp of {@code p} near 1 is worth {@code C * 1e-16}), while in {@code t} both
   * branches are computed without cancellation ({@code p = -expm1(-t)}, {@code (1-p)^e = exp(-e t)}),
   * so the loss holds to about 1e-12 relative for any {@code C} up to {@code 1e300}.
   */
  private static DesignatedOptimum optimizeFor(
      int n, int h, int m, double c, double b, FailurePolicy policy) {
    int k = n - h;
    int e = m - k + 1;
    double t;
    if (k == 0 || e <= 0 || c - b <= 1.0) {
      // No adversary, or no honest committee member, or withholding costs at most the designate:
      // the right branch cannot be lowered below max(1, C - B) by mixing, so p = 0 is optimal.
      t = 0.0;
    } else {
      // at tMax the withholding branch is below e^-e < 1 <= the left branch, so the optimum lies in [0, tMax]
      double tMax = Math.log(c) / e + 1.0;
      if (policy == FailurePolicy.PAPER || b == 0.0) {
        // PAPER's right branch C*(1-p)^e - B is strictly decreasing, so the branches cross once;
        // with B = 0 the COMPENSATE_COMMITTEE branch is the same function.
        t = equaliseBranches(k, m, c, b, policy, 0.0, tMax);
      } else {
        t = minimiseMaxOfBranches(k, m, c, b, policy, tMax);
      }
    }
    double p = pOf(t);
    double loss = lossOfT(k, m, t, c, b, policy);
    return new DesignatedOptimum(
        n, h, m, p, loss, totalPrize(m, p), committeePrize(m, p), c, b, policy);
  }

  /** {@code p = 1 - e^{-t}} without cancellation. */
  private static double pOf(double t) {
    return -Math.expm1(-t);
  }

  /** The loss at {@code t = -ln(1 - p)}, both branches computed without cancellation. */
  private static double lossOfT(int k, int m, double t, double c, double b, FailurePolicy policy) {
    double left = 1.0 + m * pOf(t);
    if (k == 0) {
      return left;
    }
    return Math.max(left, rightOfT(k, m, t, c, b, policy));
  }

  /** The withholding branch of docs/MECHANISM.md §3 at {@code t = -ln(1 - p)}, for {@code k >= 1}. */
  private static double rightOfT(int k, int m, double t, double c, double b, FailurePolicy policy) {
    int e = m - k + 1;
    if (e <= 0) {
      return c - b;
    }
    double q0 = Math.exp(-e * t);
    if (policy == FailurePolicy.PAPER) {
      return c * q0 - b;
    }
    // Q = m p / (1 - (1-p)^m), which tends to 1 as p -> 0
    double q = t == 0.0 ? 1.0 : m * pOf(t) / -Math.expm1(-m * t);
    return c * q0 + Math.min(q, b) * -Math.expm1(-e * t) - b;
  }

  /**
   * The root of {@code left(t) - right(t)} in {@code [lo, hi]}, where the difference changes
   * sign (Hipparchus {@link BrentSolver}).
   */
  private static double equaliseBranches(
      int k, int m, double c, double b, FailurePolicy policy, double lo, double hi) {
    UnivariateFunction gap = t -> 1.0 + m * pOf(t) - rightOfT(k, m, t, c, b, policy);
    UnivariateSolver solver = new BrentSolver(P_RELATIVE_ACCURACY, P_ABSOLUTE_ACCURACY);
    try {
      double root = solver.solve(MAX_EVALUATIONS, gap, lo, hi);
      // The branches meet between two doubles; where the withholding branch is steep (a large C, or B close
      // to C q0) one ulp of t moves it by far more than the left branch. Take the neighbouring double on the
      // side where the left branch is not below the right one, so the loss is the left branch, 1 + m p.
      if (gap.value(root) < 0.0) {
        boolean up = gap.value(hi) >= 0.0;
        double t = root;
        for (int i = 0; i < 4_096 && gap.value(t) < 0.0; i++) {
          t = up ? Math.nextUp(t) : Math.nextDown(t);
        }
        root = gap.value(t) >= 0.0 ? t : (up ? hi : lo);
      }
      return root;
    } catch (MathRuntimeException ex) {
      throw new MechanismException(
          "cannot equalise the loss branches for k = " + k + ", m = " + m + ", C = " + c
              + ", B = " + b + ", policy = " + policy + " on t = -ln(1-p) in [" + lo + ", " + hi + "]",
          ex);
    }
  }

  /**
   * The {@code t = -ln(1 - p)} in {@code [0, tMax]} minimising {@code max(left, right)} when the
   * right branch need not be monotone. The left branch is strictly increasing, so the minimum lies
   * at {@code t = 0}, at a crossing of the branches, or at a local minimum of the right branch
   * where it is above the left one. A scan on {@code tMax (i/N)^2} brackets each candidate; a Brent
   * root search (crossings) or Brent minimisation (local minima) refines it; the best candidate
   * wins.
   */
  private static double minimiseMaxOfBranches(
      int k, int m, double c, double b, FailurePolicy policy, double tMax) {
    double[] grid = new double[SCAN_CELLS + 1];
    double[] gap = new double[SCAN_CELLS + 1];
    double[] worst = new double[SCAN_CELLS + 1];
    for (int i = 0; i <= SCAN_CELLS; i++) {
      double q = (double) i / SCAN_CELLS;
      grid[i] = tMax * q * q;
      double left = 1.0 + m * pOf(grid[i]);
      double right = rightOfT(k, m, grid[i], c, b, policy);
      gap[i] = left - right;
      worst[i] = Math.max(left, right);
    }
    double bestT = 0.0;
    double bestLoss = worst[0];
    for (int i = 0; i < SCAN_CELLS; i++) {
      double candidate = Double.NaN;
      if (gap[i] == 0.0) {
        candidate = grid[i];
      } else if (Math.signum(gap[i]) != Math.signum(gap[i + 1]) && gap[i + 1] != 0.0) {
        candidate = equaliseBranches(k, m, c, b, policy, grid[i], grid[i + 1]);
      }
      if (!Double.isNaN(candidate)) {
        double loss = lossOfT(k, m, candidate, c, b, policy);
        if (loss < bestLoss) {
          bestLoss = loss;
          bestT = candidate;
        }
      }
    }
    UnivariateFunction objective = t -> lossOfT(k, m, t, c, b, policy);
    BrentOptimizer optimizer = new BrentOptimizer(P_RELATIVE_ACCURACY, P_ABSOLUTE_ACCURACY);
    for (int i = 1; i < SCAN_CELLS; i++) {
      boolean localMinimum = worst[i] <= worst[i - 1] && worst[i] <= worst[i + 1];
      if (localMinimum && gap[i] < 0.0) {
        UnivariatePointValuePair found;
        try {
          found =
              optimizer.optimize(
                  new MaxEval(MAX_EVALUATIONS),
                  new UnivariateObjectiveFunction(objective),
                  GoalType.MINIMIZE,
                  new SearchInterval(grid[i - 1], grid[i + 1], grid[i]));
        } catch (MathRuntimeException ex) {
          throw new MechanismException(
              "cannot minimise the right loss branch for k = " + k + ", m = " + m + ", C = " + c
                  + ", B = " + b + " near p = " + pOf(grid[i]),
              ex);
        }
        if (found.getValue() < bestLoss) {
          bestLoss = found.getValue();
          bestT = found.getPoint();
        }
      }
    }
    return bestT;
  }

  private static double lossUnchecked(
      int k, int m, double p, double c, double b, FailurePolicy policy) {
    double left = leftBranch(m, p);
    if (k == 0) {
      return left;
    }
    return Math.max(left, rightBranch(k, m, p, c, b, policy));
  }

  private static double leftBranch(int m, double p) {
    return 1.0 + m * p;
  }

  /** The adversary's withholding branch of docs/MECHANISM.md §3 for {@code k >= 1}. */
  private static double rightBranch(
      int k, int m, double p, double c, double b, FailurePolicy policy) {
    int e = m - k + 1;
    if (e <= 0) {
      return c - b;
    }
    double q0 = Math.exp(e * Math.log1p(-p));
    if (policy == FailurePolicy.PAPER) {
      return c * q0 - b;
    }
    return c * q0 + Math.min(committeePrize(m, p), b) * (1.0 - q0) - b;
  }

  static void requireSetting(
      int n, int h, double livenessPenalty, double stake, FailurePolicy policy) {
    if (n < 1) {
      throw new MechanismException("eligible provers n must be at least 1, got n = " + n);
    }
    if (h < 1) {
      throw new MechanismException("honest provers h must be at least 1, got h = " + h);
    }
    if (h > n) {
      throw new MechanismException(
          "honest provers h must be at most n = " + n + ", got h = " + h);
    }
    if (!Double.isFinite(livenessPenalty) || livenessPenalty < 1.0) {
      throw new MechanismException(
          "liveness penalty C must be finite and at least 1 proof-cost unit, got C = "
              + livenessPenalty);
    }
    if (!Double.isFinite(stake) || stake < 0.0) {
      throw new MechanismException(
          "stake B must be finite and non-negative (proof-cost units), got B = " + stake);
    }
    if (policy == null) {
      throw new MechanismException("failure policy must not be null");
    }
  }

  /** {@link #payouts} on validated arguments. */
  static DesignatedPayouts payoutsUnchecked(
      int m, double p, boolean designateDelivered, int j, double c, double b, FailurePolicy policy) {
    if (designateDelivered) {
      double t = 1.0 + m * p;
      if (j == 0) {
        return new DesignatedPayouts(true, 0, t, 0.0, 0.0, t);
      }
      double q = committeePrize(m, p);
      return new DesignatedPayouts(true, j, t - q, q / j, 0.0, t);
    }
    double pot = 0.0;
    if (policy == FailurePolicy.COMPENSATE_COMMITTEE && j > 0) {
      pot = Math.min(committeePrize(m, p), b);
    }
    double perMember = j > 0 ? pot / j : 0.0;
    double cost = pot - b + (j == 0 ? c : 0.0);
    return new DesignatedPayouts(false, j, -b, perMember, b - pot, cost);
  }

  private static void requireCommittee(int n, int m) {
    if (n < 1) {
      throw new MechanismException("eligible provers n must be at least 1, got n = " + n);
    }
    requireCommitteeSize(m);
    if (m > n - 1) {
      throw new MechanismException(
          "committee size m must be at most n - 1 = " + (n - 1) + ", got m = " + m);
    }
  }

  private static void requireCommitteeSize(int m) {
    if (m < 0) {
      throw new MechanismException("committee size m must be non-negative, got m = " + m);
    }
  }

  static void requireProbability(double p) {
    if (!(p >= 0.0 && p <= 1.0)) {
      throw new MechanismException("mixing probability p must lie in [0, 1], got p = " + p);
    }
  }
}
