package io.procura.mechanism;

import java.util.ArrayList;
import java.util.List;
import org.hipparchus.distribution.discrete.BinomialDistribution;

/**
 * ExactEvaluator computes the worst-case loss of a payment rule given as code (paper Def. 2.2;
 * docs/MECHANISM.md §1) by enumeration, with no closed form: the maximum, over adversary sets
 * {@code A} and the adversary's deliveries {@code x_A}, of the expected protocol cost over the
 * honest provers' coins, where the cost of an outcome {@code x} is {@code sum_i P_i(x)} plus
 * {@code C} if nobody delivered. It also computes a prover's expected payment, which checks
 * incentive compatibility. It exists to confirm the closed forms of {@link DesignatedMechanism}
 * numerically.
 *
 * <p>Two evaluators:
 *
 * <ul>
 *   <li>{@link #worstCaseLoss(double[], int, double, PaymentFunction)}: any profile and any
 *       {@link PaymentFunction}, for up to {@link #MAX_PROVERS} provers. Only sets of exactly
 *       {@code k = n - h} provers are enumerated: a set of fewer is dominated, since a prover
 *       added to {@code A} can be told to deliver or not, and its honest coin is a mixture of
 *       the two (the expected cost is linear in its delivery probability). Provers whose
 *       {@code pi_i} is 0 or 1 need no coin, so the cost is {@code C(n, k) * 2^k * 2^r}
 *       payment evaluations with {@code r} the honest provers that mix.
 *   <li>{@link #designatedWorstCaseLoss}: the designated rule of {@link DesignatedMechanism#payouts}
 *       (code, not the closed form), exploiting that committee members are interchangeable:
 *       adversaries are enumerated by whether they hold the designate, how many committee
 *       members they hold and how many of those deliver; honest committee deliveries are
 *       binomial. Cost {@code O(k^2 m)}, fine for {@code n} in the thousands.
 * </ul>
 *
 * <p>All amounts are in <b>proof-cost units</b>. Stateless and thread-safe.
 */
public final class ExactEvaluator {

  /** The largest profile {@link #worstCaseLoss(double[], int, double, PaymentFunction)} accepts. */
  public static final int MAX_PROVERS = 20;

  private ExactEvaluator() {}

  /**
   * The worst-case loss of Def. 2.2 by enumeration of adversary sets, adversary deliveries and
   * honest coins (see the class documentation).
   *
   * @param profile delivery probabilities {@code pi_i} in {@code [0, 1]}, one per prover;
   *     {@code 1 <= n <= }{@link #MAX_PROVERS}
   * @param h provers assumed honest, {@code 1 <= h <= n}; the adversary controls {@code k = n - h}
   * @param livenessPenalty liveness penalty {@code C >= 1}, proof-cost units
   * @param rule the payment rule; it must return {@code n} payments
   * @return the loss and one worst adversary
   * @throws MechanismException if an argument is outside the ranges above, or the rule returns a
   *     payment vector of the wrong length or a non-finite payment
   */
  public static WorstCase worstCaseLoss(
      double[] profile, int h, double livenessPenalty, PaymentFunction rule) {
    int n = requireProfile(profile, rule);
    DesignatedMechanism.requireSetting(n, h, livenessPenalty, 0.0, FailurePolicy.PAPER);
    int k = n - h;
    double worst = Double.NEGATIVE_INFINITY;
    int worstSet = 0;
    int worstDeliveries = 0;
    for (int set = 0; set < (1 << n); set++) {
      if (Integer.bitCount(set) != k) {
        continue;
      }
      // Every subset of the adversary set, as a mask over all provers.
      for (int sub = set; ; sub = (sub - 1) & set) {
        double cost = expectedCostUnchecked(profile, set, sub, livenessPenalty, rule);
        if (cost > worst) {
          worst = cost;
          worstSet = set;
          worstDeliveries = sub;
        }
        if (sub == 0) {
          break;
        }
      }
    }
    return new WorstCase(worst, members(worstSet, n), members(worstDeliveries, n));
  }

  /**
   * The expected protocol cost when the provers of {@code adversarySet} follow the adversary
   * (those in {@code adversaryDeliveries} deliver, the others withhold) and every other prover
   * delivers with its probability {@code pi_i} (docs/MECHANISM.md §1).
   *
   * @param profile delivery probabilities in {@code [0, 1]}, {@code 1 <= n <= }{@link #MAX_PROVERS}
   * @param adversarySet indices of the corrupted provers, each in {@code [0, n)}
   * @param adversaryDeliveries indices of the corrupted provers that deliver, a subset of
   *     {@code adversarySet}
   * @param livenessPenalty liveness penalty {@code C >= 1}, proof-cost units
   * @param rule the payment rule
   * @return the expected cost, proof-cost units
   * @throws MechanismException on an invalid argument or a malformed rule output
   */
  public static double expectedCost(
      double[] profile, List<Integer> adversarySet, List<Integer> adversaryDeliveries,
      double livenessPenalty, PaymentFunction rule) {
    int n = requireProfile(profile, rule);
    DesignatedMechanism.requireSetting(n, 1, livenessPenalty, 0.0, FailurePolicy.PAPER);
    int set = mask(adversarySet, n, "adversary set");
    int sub = mask(adversaryDeliveries, n, "adversary deliveries");
    if ((sub & ~set) != 0) {
      throw new MechanismException("adversary deliveries " + adversaryDeliveries
          + " must be a subset of the adversary set " + adversarySet);
    }
    return expectedCostUnchecked(profile, set, sub, livenessPenalty, rule);
  }

  /**
   * The expected payment to one prover when it delivers (or not) and every other prover delivers
   * with its probability {@code pi_i}. Incentive compatibility (docs/MECHANISM.md §1) asks, for
   * {@code 0 < pi_i < 1}, {@code E[P_i | deliver] - 1 = E[P_i | not deliver]}.
   *
   * @param profile delivery probabilities in {@code [0, 1]}, {@code 1 <= n <= }{@link #MAX_PROVERS}
   * @param rule the payment rule
   * @param prover the prover's index in {@code [0, n)}
   * @param delivers whether that prover delivers
   * @return its expected payment, proof-cost units
   * @throws MechanismException on an invalid argument or a malformed rule output
   */
  public static double expectedPayment(
      double[] profile, PaymentFunction rule, int prover, boolean delivers) {
    int n = requireProfile(profile, rule);
    if (prover < 0 || prover >= n) {
      throw new MechanismException("prover index must lie in [0, " + n + "), got " + prover);
    }
    int fixed = 1 << prover;
    int fixedDeliveries = delivers ? fixed : 0;
    double[] total = new double[1];
    forEachHonestOutcome(profile, fixed, fixedDeliveries, rule, (probability, delivered, pay) ->
        total[0] += probability * pay[prover]);
    return total[0];
  }

  /**
   * The worst-case loss of the designated uniform committee rule, computed from the rule's code
   * ({@link DesignatedMechanism#payouts}) by enumerating adversaries by counts (see the class
   * documentation), not from the closed form of {@link DesignatedMechanism#worstCaseLoss}.
   *
   * @param n provers in the eligible set, {@code n >= 1}
   * @param h provers assumed honest, {@code 1 <= h <= n}
   * @param m committee size, {@code 0 <= m <= n - 1}
   * @param p mixing probability in {@code [0, 1]}
   * @param livenessPenalty liveness penalty {@code C >= 1}, proof-cost units
   * @param stake stake at risk {@code B >= 0}, proof-cost units
   * @param policy where the seized stake goes when the designate fails
   * @return the worst-case loss, proof-cost units
   * @throws MechanismException if an argument is outside the ranges above
   */
  public static double designatedWorstCaseLoss(
      int n, int h, int m, double p, double livenessPenalty, double stake, FailurePolicy policy) {
    DesignatedMechanism.requireSetting(n, h, livenessPenalty, stake, policy);
    DesignatedMechanism.profile(n, m, p); // validates m and p
    int k = n - h;
    double worst = Double.NEGATIVE_INFINITY;
    for (int holdsDesignate = 0; holdsDesignate <= Math.min(1, k); holdsDesignate++) {
      int maxMembers = Math.min(m, k - holdsDesignate);
      for (int members = 0; members <= maxMembers; members++) {
        double[] honest = binomialPmf(m - members, p);
        for (int designateDelivers = holdsDesignate == 1 ? 0 : 1; designateDelivers <= 1;
            designateDelivers++) {
          for (int delivering = 0; delivering <= members; delivering++) {
            double cost = 0.0;
            for (int j = 0; j < honest.length; j++) {
              cost += honest[j] * DesignatedMechanism.payoutsUnchecked(m, p,
                  designateDelivers == 1, delivering + j, livenessPenalty, stake, policy)
                  .protocolCost();
            }
            worst = Math.max(worst, cost);
          }
        }
      }
    }
    return worst;
  }

  /**
   * The expected protocol cost of the designated rule against one adversary described by counts:
   * whether it holds (and silences or not) the designate, how many committee members it holds
   * and how many of them deliver; the other committee members mix with {@code p}. Computed from
   * {@link DesignatedMechanism#payouts} and the binomial law of honest deliveries.
   *
   * @param m committee size, {@code m >= 0}
   * @param p mixing probability in {@code [0, 1]}
   * @param livenessPenalty liveness penalty {@code C >= 1}, proof-cost units
   * @param stake stake at risk {@code B >= 0}, proof-cost units
   * @param policy where the seized stake goes when the designate fails
   * @param designateDelivers whether the designate delivers (false only if the adversary holds it)
   * @param corruptMembers committee members the adversary holds, in {@code [0, m]}
   * @param corruptDeliveries how many of those deliver, in {@code [0, corruptMembers]}
   * @return the expected cost, proof-cost units
   * @throws MechanismException if an argument is outside the ranges above
   */
  public static double designatedExpectedCost(
      int m, double p, double livenessPenalty, double stake, FailurePolicy policy,
      boolean designateDelivers, int corruptMembers, int corruptDeliveries) {
    DesignatedMechanism.requireSetting(m + 1, 1, livenessPenalty, stake, policy);
    DesignatedMechanism.profile(m + 1, m, p);
    if (corruptMembers < 0 || corruptMembers > m) {
      throw new MechanismException(
          "corrupt committee members must lie in [0, m = " + m + "], got " + corruptMembers);
    }
    if (corruptDeliveries < 0 || corruptDeliveries > corruptMembers) {
      throw new MechanismException("corrupt deliveries must lie in [0, " + corruptMembers
          + "], got " + corruptDeliveries);
    }
    double[] honest = binomialPmf(m - corruptMembers, p);
    double cost = 0.0;
    for (int j = 0; j < honest.length; j++) {
      cost += honest[j] * DesignatedMechanism.payoutsUnchecked(m, p, designateDelivers,
          corruptDeliveries + j, livenessPenalty, stake, policy).protocolCost();
    }
    return cost;
  }

  // ---------------------------------------------------------------------------------------------

  @FunctionalInterface
  private interface OutcomeVisitor {
    void visit(double probability, boolean[] delivered, double[] payments);
  }

  private static double expectedCostUnchecked(
      double[] profile, int set, int sub, double c, PaymentFunction rule) {
    double[] total = new double[1];
    forEachHonestOutcome(profile, set, sub, rule, (probability, delivered, pay) -> {
      double cost = 0.0;
      boolean any = false;
      for (int i = 0; i < pay.length; i++) {
        cost += pay[i];
        any |= delivered[i];
      }
      total[0] += probability * (any ? cost : cost + c);
    });
    return total[0];
  }

  /**
   * Visits every outcome of the honest coins: provers in {@code fixed} deliver as in
   * {@code fixedDeliveries}, the others with their {@code pi_i} (deterministic when 0 or 1).
   */
  private static void forEachHonestOutcome(
      double[] profile, int fixed, int fixedDeliveries, PaymentFunction rule,
      OutcomeVisitor visitor) {
    int n = profile.length;
    int[] mixing = new int[n];
    int r = 0;
    boolean[] delivered = new boolean[n];
    for (int i = 0; i < n; i++) {
      if ((fixed & (1 << i)) != 0) {
        delivered[i] = (fixedDeliveries & (1 << i)) != 0;
      } else if (profile[i] == 1.0) {
        delivered[i] = true;
      } else if (profile[i] > 0.0) {
        mixing[r++] = i;
      }
    }
    for (int coins = 0; coins < (1 << r); coins++) {
      double probability = 1.0;
      for (int b = 0; b < r; b++) {
        boolean delivers = (coins & (1 << b)) != 0;
        delivered[mixing[b]] = delivers;
        probability *= delivers ? profile[mixing[b]] : 1.0 - profile[mixing[b]];
      }
      double[] pay = rule.payments(delivered);
      if (pay == null || pay.length != n) {
        throw new MechanismException("payment rule must return " + n + " payments, got "
            + (pay == null ? "null" : pay.length));
      }
      for (double x : pay) {
        if (!Double.isFinite(x)) {
          throw new MechanismException("payment rule returned a non-finite payment " + x);
        }
      }
      visitor.visit(probability, delivered, pay);
    }
  }

  private static int requireProfile(double[] profile, PaymentFunction rule) {
    if (profile == null || profile.length == 0 || profile.length > MAX_PROVERS) {
      throw new MechanismException("exhaustive evaluation needs 1 to " + MAX_PROVERS
          + " provers, got " + (profile == null ? "null" : profile.length));
    }
    for (double pi : profile) {
      DesignatedMechanism.requireProbability(pi);
    }
    if (rule == null) {
      throw new MechanismException("payment rule must not be null");
    }
    return profile.length;
  }

  private static int mask(List<Integer> provers, int n, String what) {
    if (provers == null) {
      throw new MechanismException(what + " must not be null");
    }
    int mask = 0;
    for (Integer i : provers) {
      if (i == null || i < 0 || i >= n) {
        throw new MechanismException(what + " holds an index outside [0, " + n + "): " + i);
      }
      mask |= 1 << i;
    }
    return mask;
  }

  private static List<Integer> members(int mask, int n) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if ((mask & (1 << i)) != 0) {
        out.add(i);
      }
    }
    return List.copyOf(out);
  }

  private static double[] binomialPmf(int trials, double p) {
    double[] pmf = new double[trials + 1];
    if (p == 0.0 || p == 1.0) {
      pmf[p == 0.0 ? 0 : trials] = 1.0;
      return pmf;
    }
    BinomialDistribution law = new BinomialDistribution(trials, p);
    for (int j = 0; j <= trials; j++) {
      pmf[j] = law.probability(j);
    }
    return pmf;
  }
}
