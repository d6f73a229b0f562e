package io.procura.mechanism;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Tests of {@link ExactEvaluator}: the closed forms of docs/MECHANISM.md §3 against enumeration. */
class ExactEvaluatorTest {

  private static final double TOLERANCE = 1e-9;

  @Test
  void exhaustiveLossShouldEqualTheClosedFormOnRandomSmallInstances() {
    Random random = new Random(20260521L);
    for (int trial = 0; trial < 80; trial++) {
      int n = 2 + random.nextInt(11); // up to 12 provers
      int h = 1 + random.nextInt(n);
      int m = random.nextInt(n);
      double p = random.nextInt(10) == 0 ? random.nextInt(2) : random.nextDouble();
      double c = Math.pow(10, 5 * random.nextDouble());
      double b = random.nextBoolean() ? 0 : 2 * c * random.nextDouble();
      FailurePolicy policy = FailurePolicy.values()[random.nextInt(2)];

      WorstCase exact =
          ExactEvaluator.worstCaseLoss(DesignatedMechanism.profile(n, m, p), h, c,
              DesignatedMechanism.paymentFunction(n, m, p, b, policy));
      double closed = DesignatedMechanism.worstCaseLoss(n, h, m, p, c, b, policy);

      assertThat(exact.loss())
          .as("n=%d h=%d m=%d p=%s C=%s B=%s %s", n, h, m, p, c, b, policy)
          .isCloseTo(closed, within(TOLERANCE * Math.max(1, c)));
      assertThat(exact.adversarySet()).hasSize(n - h).containsAll(exact.adversaryDeliveries());
    }
  }

  @Test
  void exhaustiveLossAtTheOptimumShouldEqualTheOptimisersLoss() {
    for (FailurePolicy policy : FailurePolicy.values()) {
      for (double b : new double[] {0, 5}) {
        DesignatedOptimum o = DesignatedMechanism.optimize(10, 5, 100, b, policy);
        int m = o.committeeSize();
        double p = o.mixingProbability();
        WorstCase exact = ExactEvaluator.worstCaseLoss(DesignatedMechanism.profile(10, m, p), 5,
            100, DesignatedMechanism.paymentFunction(10, m, p, b, policy));

        assertThat(exact.loss()).isCloseTo(o.loss(), within(TOLERANCE));
        // At the optimum the branches are equal: silencing the designate and k - 1 = 4 committee
        // members costs exactly the loss (and so does behaving honestly).
        double silent = ExactEvaluator.expectedCost(DesignatedMechanism.profile(10, m, p),
            List.of(0, 1, 2, 3, 4), List.of(), 100,
            DesignatedMechanism.paymentFunction(10, m, p, b, policy));
        assertThat(silent).isCloseTo(o.loss(), within(TOLERANCE));
      }
    }
  }

  @Test
  void designateAndCommitteeMembersShouldExpectExactlyOneProofCostByEnumeration() {
    Random random = new Random(11);
    for (int trial = 0; trial < 60; trial++) {
      int n = 2 + random.nextInt(11);
      int m = 1 + random.nextInt(n - 1);
      double p = random.nextDouble();
      double b = 10 * random.nextDouble();
      FailurePolicy policy = FailurePolicy.values()[random.nextInt(2)];
      double[] profile = DesignatedMechanism.profile(n, m, p);
      PaymentFunction rule = DesignatedMechanism.paymentFunction(n, m, p, b, policy);

      double designate = ExactEvaluator.expectedPayment(profile, rule, 0, true);
      int member = 1 + random.nextInt(m);
      double delivering = ExactEvaluator.expectedPayment(profile, rule, member, true);
      double idle = ExactEvaluator.expectedPayment(profile, rule, member, false);

      assertThat(designate).as("designate n=%d m=%d p=%s", n, m, p).isCloseTo(1.0, within(TOLERANCE));
      assertThat(delivering).as("member delivers").isCloseTo(1.0, within(TOLERANCE));
      assertThat(idle).as("member withholds").isCloseTo(0.0, within(TOLERANCE));
      // The designate loses its stake by withholding: delivering is strictly better.
      assertThat(ExactEvaluator.expectedPayment(profile, rule, 0, false)).isCloseTo(-b, within(TOLERANCE));
    }
  }

  @Test
  void countingEvaluatorShouldEqualTheClosedFormForLargeCommittees() {
    Random random = new Random(23);
    for (int trial = 0; trial < 40; trial++) {
      int n = 2 + random.nextInt(400);
      int h = 1 + random.nextInt(n);
      int m = random.nextInt(n);
      double p = random.nextDouble() * random.nextDouble();
      double c = Math.pow(10, 6 * random.nextDouble());
      double b = random.nextBoolean() ? 0 : c * random.nextDouble();
      FailurePolicy policy = FailurePolicy.values()[random.nextInt(2)];

      assertThat(ExactEvaluator.designatedWorstCaseLoss(n, h, m, p, c, b, policy))
          .as("n=%d h=%d m=%d p=%s C=%s B=%s %s", n, h, m, p, c, b, policy)
          .isCloseTo(DesignatedMechanism.worstCaseLoss(n, h, m, p, c, b, policy),
              within(TOLERANCE * Math.max(1, c)));
    }
    DesignatedOptimum o = DesignatedMechanism.optimizeFullCommittee(1000, 667, 1e6, 0, FailurePolicy.PAPER);
    assertThat(ExactEvaluator.designatedWorstCaseLoss(1000, 667, 999, o.mixingProbability(), 1e6, 0,
        FailurePolicy.PAPER)).isCloseTo(17.2892, within(5e-5));
  }

  @Test
  void moreHonestProversShouldNeverRaiseTheExhaustiveLoss() {
    // Justifies enumerating only sets of exactly k: the loss with k - 1 is at most that with k.
    Random random = new Random(29);
    for (int trial = 0; trial < 40; trial++) {
      int n = 3 + random.nextInt(8);
      double[] profile = new double[n];
      for (int i = 0; i < n; i++) {
        profile[i] = random.nextDouble();
      }
      PaymentFunction payDeliverers = delivered -> {
        double[] pay = new double[delivered.length];
        for (int i = 0; i < pay.length; i++) {
          pay[i] = delivered[i] ? 1.0 : 0.0;
        }
        return pay;
      };
      for (int h = 1; h < n; h++) {
        assertThat(ExactEvaluator.worstCaseLoss(profile, h + 1, 50, payDeliverers).loss())
            .isLessThanOrEqualTo(ExactEvaluator.worstCaseLoss(profile, h, 50, payDeliverers).loss() + 1e-12);
      }
    }
  }

  @Test
  void expectedCostShouldAddThePenaltyOnlyWhenNobodyDelivers() {
    double[] profile = {0.5, 0.5};
    PaymentFunction payDeliverers = delivered ->
        new double[] {delivered[0] ? 1 : 0, delivered[1] ? 1 : 0};
    // Prover 0 withholds for the adversary; prover 1 delivers with 1/2: cost 1/2 * 1 + 1/2 * 10.
    assertThat(ExactEvaluator.expectedCost(profile, List.of(0), List.of(), 10, payDeliverers))
        .isCloseTo(5.5, within(1e-12));
    assertThat(ExactEvaluator.expectedCost(profile, List.of(0), List.of(0), 10, payDeliverers))
        .isCloseTo(1.5, within(1e-12));
  }

  @Test
  void badArgumentsShouldBeRejected() {
    PaymentFunction nothing = delivered -> new double[delivered.length];
    assertThatThrownBy(() -> ExactEvaluator.worstCaseLoss(new double[21], 10, 10, nothing))
        .isInstanceOf(MechanismException.class).hasMessageContaining("got 21");
    assertThatThrownBy(() -> ExactEvaluator.worstCaseLoss(new double[] {0.5, 0.2}, 1, 10, d -> new double[1]))
        .isInstanceOf(MechanismException.class).hasMessageContaining("must return 2 payments");
    assertThatThrownBy(() -> ExactEvaluator.worstCaseLoss(new double[] {0.5, 0.2}, 3, 10, nothing))
        .isInstanceOf(MechanismException.class).hasMessageContaining("h = 3");
    assertThatThrownBy(() -> ExactEvaluator.expectedCost(new double[] {0.5, 0.2}, List.of(0), List.of(1), 10, nothing))
        .isInstanceOf(MechanismException.class).hasMessageContaining("subset");
    assertThatThrownBy(() -> ExactEvaluator.expectedPayment(new double[] {0.5}, nothing, 1, true))
        .isInstanceOf(MechanismException.class).hasMessageContaining("got 1");
    assertThatThrownBy(() -> ExactEvaluator.designatedExpectedCost(5, 0.3, 100, 0, FailurePolicy.PAPER, true, 2, 3))
        .isInstanceOf(MechanismException.class).hasMessageContaining("got 3");
  }
}
