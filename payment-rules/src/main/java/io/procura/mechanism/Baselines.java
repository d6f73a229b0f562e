package io.procura.mechanism;

import org.hipparchus.analysis.UnivariateFunction;
import org.hipparchus.exception.MathRuntimeException;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.univariate.BrentOptimizer;
import org.hipparchus.optim.univariate.SearchInterval;
import org.hipparchus.optim.univariate.UnivariateObjectiveFunction;
import org.hipparchus.optim.univariate.UnivariatePointValuePair;

/**
 * Baselines computes the rules that users would otherwise pick (docs/MECHANISM.md §5; paper
 * Ex. 3.1–3.3) at their optimal parameters: {@link #fixedSubset}, {@link #payDeliverers} and
 * {@link #lottery}. None of them has a stake. All amounts are in <b>proof-cost units</b>; the
 * one-dimensional minimisations over {@code q} use Hipparchus' {@link BrentOptimizer}.
 *
 * <p>Stateless and thread-safe; all methods are static.
 */
public final class Baselines {

  private static final double Q_RELATIVE_ACCURACY = 1e-12;
  private static final double Q_ABSOLUTE_ACCURACY = 1e-14;
  private static final int MAX_EVALUATIONS = 1_000;

  /** Grid cells that bracket the lottery's minimum before Brent refines it. */
  private static final int LOTTERY_GRID_CELLS = 4_096;

  private Baselines() {}

  /**
   * Pay a fixed subset (Ex. 3.1): ask {@code s} provers, pay 1 per delivery. With {@code s >= k+1}
   * at least one asked prover is honest and the adversary can at most make its {@code k} deliver
   * too: loss {@code s}, best at {@code s = k + 1}. With {@code s <= k} it corrupts them all and
   * withholds: loss {@code max(C, s)}. So the optimum is {@code s = k + 1} with loss {@code k + 1},
   * unless {@code C <= k + 1}, where asking nobody (loss {@code C}) is no worse.
   *
   * @param n provers in the eligible set, {@code n >= 1}
   * @param h provers assumed honest, {@code 1 <= h <= n}
   * @param livenessPenalty liveness penalty {@code C >= 1}, proof-cost units
   * @return the optimum ({@code askedProvers} is {@code s}; {@code mixingProbability} 1)
   * @throws MechanismException if an argument is outside the ranges above, NaN or infinite
   */
  public static BaselineOptimum fixedSubset(int n, int h, double livenessPenalty) {
    DesignatedMechanism.requireSetting(n, h, livenessPenalty, 0.0, FailurePolicy.PAPER);
    int k = n - h;
    if (livenessPenalty <= k + 1) {
      return new BaselineOptimum(Baseline.FIXED_SUBSET, n, h, 0, 1.0, 1.0, livenessPenalty,
          livenessPenalty);
    }
    return new BaselineOptimum(Baseline.FIXED_SUBSET, n, h, k + 1, 1.0, 1.0, k + 1.0,
        livenessPenalty);
  }

  /**
   * The worst-case loss of paying every deliverer 1 when every prover mixes with {@code q}
   * (Ex. 3.2): {@code max(h*q + C*(1-q)^h, k + h*q)} (the adversary either withholds, or delivers
   * with all {@code k} to be paid).
   *
   * @param n provers in the eligible set, {@code n >= 1}
   * @param h provers assumed honest, {@code 1 <= h <= n}
   * @param q mixing probability in {@code [0, 1]}
   * @param livenessPenalty liveness penalty {@code C >= 1}, proof-cost units
   * @return the loss, proof-cost units
   * @throws MechanismException if an argument is outside the ranges above
   */
  public static double payDeliverersLoss(int n, int h, double q, double livenessPenalty) {
    DesignatedMechanism.requireSetting(n, h, livenessPenalty, 0.0, FailurePolicy.PAPER);
    DesignatedMechanism.requireProbability(q);
    return payDeliverersUnchecked(n - h, h, q, livenessPenalty);
  }

  /**
   * Pay deliverers at the optimal {@code q} (Ex. 3.2): {@link #payDeliverersLoss} is the maximum of
   * a convex and a linear function of {@code q}, hence convex, and Brent's method finds its
   * minimum on {@code [0, 1]}.
   *
   * @param n provers in the eligible set, {@code n >= 1}
   * @param h provers assumed honest, {@code 1 <= h <= n}
   * @param livenessPenalty liveness penalty {@code C >= 1}, proof-cost units
   * @return the optimum ({@code prize} 1, {@code askedProvers} {@code n})
   * @throws MechanismException if an argument is outside the ranges above, or Brent fails
   */
  public static BaselineOptimum payDeliverers(int n, int h, double livenessPenalty) {
    DesignatedMechanism.requireSetting(n, h, livenessPenalty, 0.0, FailurePolicy.PAPER);
    int k = n - h;
    UnivariatePointValuePair best =
        minimise(q -> payDeliverersUnchecked(k, h, q, livenessPenalty), 0.0, 1.0, 0.5,
            "pay-deliverers", n, h, livenessPenalty);
    double q = best.getPoint();
    double loss = payDeliverersUnchecked(k, h, q, livenessPenalty);
    for (double edge : new double[] {0.0, 1.0}) {
      double edgeLoss = payDeliverersUnchecked(k, h, edge, livenessPenalty);
      if (edgeLoss < loss) {
        loss = edgeLoss;
        q = edge;
      }
    }
    return new BaselineOptimum(Baseline.PAY_DELIVERERS, n, h, n, q, 1.0, loss, livenessPenalty);
  }

  /**
   * The lottery prize {@code R = n*q / (1 - (1-q)^n)} that makes a deliverer's expected payment
   * exactly 1 when the others mix with {@code q} ({@code R*E[1/(1+Y)] = 1}, {@code Y ~ Bin(n-1,
   * q)}; Ex. 3.3); 1 at {@code q = 0} (the limit).
   *
   * @param n provers in the eligible set, {@code n >= 1}
   * @param q mixing probability in {@code [0, 1]}
   * @return {@code R}, proof-cost units, in {@code [1, n]}
   * @throws MechanismException if {@code n < 1} or {@code q} is outside {@code [0, 1]}
   */
  public static double lotteryPrize(int n, double q) {
    if (n < 1) {
      throw new MechanismException("eligible provers n must be at least 1, got n = " + n);
    }
    DesignatedMechanism.requireProbability(q);
    return DesignatedMechanism.committeePrize(n, q);
  }

  /**
   * The worst-case loss of the lottery with mixing probability {@code q} (Ex. 3.3):
   * {@code max(R, R*(1-(1-q)^h) + C*(1-q)^h)} with {@code R = }{@link #lotteryPrize}.
   *
   * @param n provers in the eligible set, {@code n >= 1}
   * @param h provers assumed honest, {@code 1 <= h <= n}
   * @param q mixing probability in {@code [0, 1]}
   * @param livenessPenalty liveness penalty {@code C >= 1}, proof-cost units
   * @return the loss, proof-cost units
   * @throws MechanismException if an argument is outside the ranges above
   */
  public static double lotteryLoss(int n, int h, double q, double livenessPenalty) {
    DesignatedMechanism.requireSetting(n, h, livenessPenalty, 0.0, FailurePolicy.PAPER);
    DesignatedMechanism.requireProbability(q);
    return lotteryUnchecked(n, h, q, livenessPenalty);
  }

  /**
   * The lottery at the optimal {@code q} (Ex. 3.3). The loss need not be unimodal in {@code q},
   * so a grid of 4,096 cells (dense near 0, {@code q = (i/N)^2}) brackets the minimum and Brent
   * refines it.
   *
   * @param n provers in the eligible set, {@code n >= 1}
   * @param h provers assumed honest, {@code 1 <= h <= n}
   * @param livenessPenalty liveness penalty {@code C >= 1}, proof-cost units
   * @return the optimum ({@code prize} is {@code R}, {@code askedProvers} {@code n})
   * @throws MechanismException if an argument is outside the ranges above, or Brent fails
   */
  public static BaselineOptimum lottery(int n, int h, double livenessPenalty) {
    DesignatedMechanism.requireSetting(n, h, livenessPenalty, 0.0, FailurePolicy.PAPER);
    int bestCell = 0;
    double bestLoss = Double.POSITIVE_INFINITY;
    for (int i = 0; i <= LOTTERY_GRID_CELLS; i++) {
      double q = gridPoint(i);
      double loss = lotteryUnchecked(n, h, q, livenessPenalty);
      if (loss < bestLoss) {
        bestLoss = loss;
        bestCell = i;
      }
    }
    double q = gridPoint(bestCell);
    if (bestCell > 0 && bestCell < LOTTERY_GRID_CELLS) {
      UnivariatePointValuePair refined =
          minimise(x -> lotteryUnchecked(n, h, x, livenessPenalty), gridPoint(bestCell - 1),
              gridPoint(bestCell + 1), q, "lottery", n, h, livenessPenalty);
      if (refined.getValue() < bestLoss) {
        bestLoss = refined.getValue();
        q = refined.getPoint();
      }
    }
    return new BaselineOptimum(Baseline.LOTTERY, n, h, n, q, DesignatedMechanism.committeePrize(n, q),
        bestLoss, livenessPenalty);
  }

  // ---------------------------------------------------------------------------------------------

  private static double gridPoint(int i) {
    double x = (double) i / LOTTERY_GRID_CELLS;
    return x * x;
  }

  private static double payDeliverersUnchecked(int k, int h, double q, double c) {
    double honest = h * q + c * Math.exp(h * Math.log1p(-q));
    return k == 0 ? honest : Math.max(honest, k + h * q);
  }

  private static double lotteryUnchecked(int n, int h, double q, double c) {
    double prize = DesignatedMechanism.committeePrize(n, q);
    double noHonest = Math.exp(h * Math.log1p(-q));
    return Math.max(prize, prize * (1.0 - noHonest) + c * noHonest);
  }

  private static UnivariatePointValuePair minimise(
      UnivariateFunction f, double lo, double hi, double start, String what, int n, int h,
      double c) {
    try {
      return new BrentOptimizer(Q_RELATIVE_ACCURACY, Q_ABSOLUTE_ACCURACY)
          .optimize(new MaxEval(MAX_EVALUATIONS), new UnivariateObjectiveFunction(f),
              GoalType.MINIMIZE, new SearchInterval(lo, hi, start));
    } catch (MathRuntimeException ex) {
      throw new MechanismException(
          "cannot optimise the " + what + " baseline for n = " + n + ", h = " + h + ", C = " + c,
          ex);
    }
  }
}
