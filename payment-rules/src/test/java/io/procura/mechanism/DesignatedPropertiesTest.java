package io.procura.mechanism;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Property tests of {@link DesignatedMechanism} (docs/MECHANISM.md §3) on random instances. */
class DesignatedPropertiesTest {

  private static final double SLACK = 1e-9;

  @Test
  void optimalLossShouldRiseWithThePenaltyAndFallWithStakeAndWithHonestProvers() {
    Random random = new Random(31);
    for (int trial = 0; trial < 300; trial++) {
      int n = 3 + random.nextInt(300);
      int h = 1 + random.nextInt(n - 1);
      double c = Math.pow(10, 1 + 6 * random.nextDouble());
      double b = random.nextBoolean() ? 0 : c * random.nextDouble();
      FailurePolicy policy = FailurePolicy.values()[random.nextInt(2)];
      double loss = DesignatedMechanism.optimizeFullCommittee(n, h, c, b, policy).loss();

      assertThat(DesignatedMechanism.optimizeFullCommittee(n, h, 2 * c, b, policy).loss())
          .as("C up: n=%d h=%d C=%s B=%s %s", n, h, c, b, policy).isGreaterThanOrEqualTo(loss - SLACK);
      assertThat(DesignatedMechanism.optimizeFullCommittee(n, h, c, b + 1 + c / 10, policy).loss())
          .as("B up").isLessThanOrEqualTo(loss + SLACK);
      assertThat(DesignatedMechanism.optimizeFullCommittee(n, h + 1, c, b, policy).loss())
          .as("h up").isLessThanOrEqualTo(loss + SLACK);
    }
  }

  @Test
  void lossOfTheGeneralOptimumShouldAlsoBeMonotone() {
    Random random = new Random(37);
    for (int trial = 0; trial < 60; trial++) {
      int n = 3 + random.nextInt(40);
      int h = 1 + random.nextInt(n - 1);
      double c = Math.pow(10, 1 + 5 * random.nextDouble());
      double b = random.nextBoolean() ? 0 : c * random.nextDouble();
      FailurePolicy policy = FailurePolicy.values()[random.nextInt(2)];
      double loss = DesignatedMechanism.optimize(n, h, c, b, policy).loss();

      assertThat(DesignatedMechanism.optimize(n, h, 3 * c, b, policy).loss()).isGreaterThanOrEqualTo(loss - SLACK);
      assertThat(DesignatedMechanism.optimize(n, h, c, 2 * b + 1, policy).loss()).isLessThanOrEqualTo(loss + SLACK);
      assertThat(DesignatedMechanism.optimize(n, h + 1, c, b, policy).loss()).isLessThanOrEqualTo(loss + SLACK);
    }
  }

  /**
   * The precise form of "the designated optimum always has m = n - 1" (docs/MECHANISM.md §3): over a
   * grid of small markets the optimum over m is always at m = n - 1 or at m = k, so the full
   * committee is optimal exactly when its loss is at most the m = k optimum, which under PAPER is
   * {@code ((k+1) C - k B)/(C + k)}. In the paper's regime (the adversary large against ln(C)/alpha,
   * as in every check value) that holds; with a small adversary it does not.
   */
  @Test
  void optimumShouldBeTheFullCommitteeExactlyWhenItBeatsTheCommitteeOfSizeK() {
    int full = 0;
    int sizeK = 0;
    for (int n = 2; n <= 16; n++) {
      for (int h = 1; h <= n - 1; h++) {
        int k = n - h;
        for (double c : new double[] {1.5, 5, 30, 1e3, 1e5, 1e8}) {
          for (double b : new double[] {0, 3, 0.2 * c}) {
            for (FailurePolicy policy : FailurePolicy.values()) {
              DesignatedOptimum general = DesignatedMechanism.optimize(n, h, c, b, policy);
              DesignatedOptimum whole = DesignatedMechanism.optimizeFullCommittee(n, h, c, b, policy);
              DesignatedOptimum small = DesignatedMechanism.optimizeCommittee(n, h, k, c, b, policy);
              String where = "n=" + n + " h=" + h + " C=" + c + " B=" + b + " " + policy;

              assertThat(general.loss()).as(where).isEqualTo(Math.min(whole.loss(), small.loss()));
              boolean fullWins = whole.loss() <= small.loss();
              assertThat(general.committeeSize()).as(where).isEqualTo(fullWins ? n - 1 : k);
              if (policy == FailurePolicy.PAPER && c - b > 1) {
                assertThat(small.loss()).as(where)
                    .isCloseTo(((k + 1) * c - k * b) / (c + k), within(1e-9 * c));
              }
              if (fullWins) {
                full++;
              } else {
                sizeK++;
              }
            }
          }
        }
      }
    }
    assertThat(full).isGreaterThan(100);
    assertThat(sizeK).isGreaterThan(100);
  }

  @Test
  void fullCommitteeShouldBeOptimalInThePapersRegime() {
    // Large adversaries (k of the order of n) against moderate penalties: the check-value regime.
    Random random = new Random(41);
    for (int trial = 0; trial < 25; trial++) {
      int n = 20 + random.nextInt(80);
      double alpha = 0.5 + 0.3 * random.nextDouble();
      int h = (int) Math.round(alpha * n);
      int k = n - h;
      double c = Math.pow(10, 2 + 4 * random.nextDouble());
      DesignatedOptimum whole = DesignatedMechanism.optimizeFullCommittee(n, h, c, 0, FailurePolicy.PAPER);
      double sizeK = (k + 1) * c / (c + k);
      DesignatedOptimum general = DesignatedMechanism.optimize(n, h, c, 0, FailurePolicy.PAPER);

      assertThat(general.committeeSize() == n - 1).as("n=%d h=%d C=%s", n, h, c)
          .isEqualTo(whole.loss() <= sizeK);
    }
  }

  @Test
  void payoutsShouldFollowThePaymentRuleForEveryOutcome() {
    int m = 9;
    double p = 0.4;
    double t = DesignatedMechanism.totalPrize(m, p);
    double q = DesignatedMechanism.committeePrize(m, p);
    for (int j = 0; j <= m; j++) {
      DesignatedPayouts delivered =
          DesignatedMechanism.payouts(m, p, true, j, 100, 5, FailurePolicy.COMPENSATE_COMMITTEE);
      assertThat(delivered.designatePayout() + j * delivered.perCommitteeDeliverer())
          .isCloseTo(t, within(1e-12));
      assertThat(delivered.protocolCost()).isEqualTo(t);
      assertThat(delivered.designatePayout()).isEqualTo(j == 0 ? t : t - q);

      DesignatedPayouts paper = DesignatedMechanism.payouts(m, p, false, j, 100, 5, FailurePolicy.PAPER);
      assertThat(paper.perCommitteeDeliverer()).isZero();
      assertThat(paper.requesterRefund()).isEqualTo(5);
      assertThat(paper.protocolCost()).isEqualTo(j == 0 ? 95 : -5);

      DesignatedPayouts comp =
          DesignatedMechanism.payouts(m, p, false, j, 100, 5, FailurePolicy.COMPENSATE_COMMITTEE);
      double pot = j == 0 ? 0 : Math.min(q, 5);
      assertThat(comp.perCommitteeDeliverer() * j).isCloseTo(pot, within(1e-12));
      assertThat(comp.requesterRefund()).isCloseTo(5 - pot, within(1e-12));
      assertThat(comp.designatePayout()).isEqualTo(-5);
      assertThat(comp.proofDelivered()).isEqualTo(j > 0);
    }
  }

  @Test
  void realValuedPayoutsShouldMatchTheTokenSettlementUpToRounding() {
    int m = 29;
    double p = 0.23683;
    java.math.BigInteger price = PaymentRule.WAD;
    SlotPrizes prizes = PaymentRule.prizes(m, PaymentRule.toWad(p), price);
    for (int j = 0; j <= m; j += 7) {
      for (boolean delivered : new boolean[] {true, false}) {
        for (FailurePolicy policy : FailurePolicy.values()) {
          Settlement s = PaymentRule.settle(prizes.escrow(), prizes.committeePrize(), delivered, j,
              PaymentRule.WAD.multiply(java.math.BigInteger.valueOf(100)), policy);
          DesignatedPayouts real = DesignatedMechanism.payouts(m, p, delivered, j, 1e4, 100, policy);
          double perMember = s.perCommitteeMemberPayout().doubleValue() / 1e18;
          assertThat(perMember).isCloseTo(real.perCommitteeDeliverer(), within(1e-9));
          if (delivered) {
            assertThat(s.designatePayout().doubleValue() / 1e18)
                .isCloseTo(real.designatePayout(), within(1e-9));
          } else {
            assertThat(s.slashed().doubleValue() / 1e18).isEqualTo(-real.designatePayout());
          }
        }
      }
    }
  }

  @Test
  void badPayoutArgumentsShouldBeRejected() {
    assertThatThrownBy(() -> DesignatedMechanism.payouts(5, 0.2, true, 6, 10, 0, FailurePolicy.PAPER))
        .isInstanceOf(MechanismException.class).hasMessageContaining("j = 6");
    assertThatThrownBy(() -> DesignatedMechanism.payouts(5, 0.2, true, 1, 10, -1, FailurePolicy.PAPER))
        .isInstanceOf(MechanismException.class).hasMessageContaining("B = -1.0");
    assertThatThrownBy(() -> DesignatedMechanism.profile(5, 5, 0.2))
        .isInstanceOf(MechanismException.class).hasMessageContaining("m = 5");
    assertThatThrownBy(() -> DesignatedMechanism.optimizeCommittee(5, 3, 7, 10, 0, FailurePolicy.PAPER))
        .isInstanceOf(MechanismException.class).hasMessageContaining("m = 7");
  }
}
