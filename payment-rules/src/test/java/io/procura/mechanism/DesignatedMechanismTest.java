package io.procura.mechanism;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.hipparchus.distribution.discrete.BinomialDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Tests of {@link DesignatedMechanism} against docs/MECHANISM.md §3. */
class DesignatedMechanismTest {

  /** docs/MECHANISM.md §3 "Public check values" table, and the COMPENSATE_COMMITTEE check values. */
  @ParameterizedTest(name = "n={0} h={1} C={2} B={3} {4}: m*={5} p*={6} loss={7}")
  @CsvSource({
    // n,  h,   C,     B,   policy,               m*,  p*,       p tolerance, loss
    "30,   17,  1e4,   0,   PAPER,                29,  0.33157,  5e-6,        10.6156",
    "30,   17,  1e4,   0,   COMPENSATE_COMMITTEE, 29,  0.33157,  5e-6,        10.6156",
    "30,   17,  1e4,   100, PAPER,                29,  0.23393,  5e-6,        7.7840",
    "30,   17,  1e4,   100, COMPENSATE_COMMITTEE, 29,  0.23683,  5e-6,        7.8679",
    "10,   5,   100,   0,   PAPER,                9,   0.44969,  5e-6,        5.0472",
    "10,   5,   100,   0,   COMPENSATE_COMMITTEE, 9,   0.44969,  5e-6,        5.0472",
    "10,   5,   100,   5,   PAPER,                9,   0.37691,  5e-5,        4.3922",
    "10,   5,   100,   5,   COMPENSATE_COMMITTEE, 9,   0.42631,  5e-6,        4.8368",
    "1000, 667, 1e6,   0,   PAPER,                999, 0.016306, 5e-7,        17.2892",
    "1000, 667, 1e6,   0,   COMPENSATE_COMMITTEE, 999, 0.016306, 5e-7,        17.2892",
    "50,   40,  1000,  0,   PAPER,                49,  0.11745,  5e-6,        6.7549",
    "50,   40,  1000,  0,   COMPENSATE_COMMITTEE, 49,  0.11745,  5e-6,        6.7549",
  })
  void optimumShouldMatchThePublishedCheckValue(
      int n,
      int h,
      double c,
      double b,
      FailurePolicy policy,
      int expectedM,
      double expectedP,
      double pTolerance,
      double expectedLoss) {
    DesignatedOptimum optimum = DesignatedMechanism.optimize(n, h, c, b, policy);

    assertThat(optimum.committeeSize()).isEqualTo(expectedM);
    assertThat(optimum.mixingProbability()).isCloseTo(expectedP, within(pTolerance));
    assertThat(optimum.loss()).isCloseTo(expectedLoss, within(5e-5));
    assertThat(optimum.totalPrize()).isCloseTo(1 + expectedM * optimum.mixingProbability(), within(1e-12));
    assertThat(optimum.loss())
        .isEqualTo(
            DesignatedMechanism.worstCaseLoss(
                n, h, optimum.committeeSize(), optimum.mixingProbability(), c, b, policy));
    assertThat(optimum)
        .extracting(
            DesignatedOptimum::n, DesignatedOptimum::h, DesignatedOptimum::livenessPenalty,
            DesignatedOptimum::stake, DesignatedOptimum::policy)
        .containsExactly(n, h, c, b, policy);
  }

  @ParameterizedTest(name = "n={0} h={1} C={2} B={3} {4}")
  @CsvSource({
    "30, 17, 1e4, 0, PAPER",
    "30, 17, 1e4, 100, COMPENSATE_COMMITTEE",
    "10, 5, 100, 5, COMPENSATE_COMMITTEE",
    "20, 10, 1e3, 50, PAPER",
    "20, 10, 1e3, 50, COMPENSATE_COMMITTEE",
    "40, 14, 1e5, 2000, COMPENSATE_COMMITTEE",
    "7, 2, 50, 0, PAPER",
    "100, 60, 1e8, 1e3, COMPENSATE_COMMITTEE",
    "60, 30, 1e6, 0, PAPER",
  })
  void optimumOverAllCommitteeSizesShouldBeTheFullCommitteeWhenTheAdversaryIsLarge(
      int n, int h, double c, double b, FailurePolicy policy) {
    DesignatedOptimum general = DesignatedMechanism.optimize(n, h, c, b, policy);
    DesignatedOptimum full = DesignatedMechanism.optimizeFullCommittee(n, h, c, b, policy);

    assertThat(general.committeeSize()).isEqualTo(n - 1);
    assertThat(full.committeeSize()).isEqualTo(n - 1);
    assertThat(full.loss()).isEqualTo(general.loss());
    assertThat(full.mixingProbability()).isEqualTo(general.mixingProbability());
  }

  /**
   * docs/MECHANISM.md §3 says the full committee is always optimal; it is not when {@code k + 1} is
   * below the full committee's loss: then a committee of exactly {@code k} members that nearly
   * always deliver (the "fixed subset" of Ex. 3.1 with {@code p -> 1}) wins. PROG5 over general
   * {@code m} must find it.
   */
  @ParameterizedTest(name = "n={0} h={1} C={2} B={3} {4}")
  @CsvSource({
    "3, 2, 1e3, 10, PAPER",
    "40, 38, 1e4, 0, PAPER",
    "40, 38, 1e4, 100, COMPENSATE_COMMITTEE",
    "23, 2, 1e4, 0, PAPER",
  })
  void smallerCommitteeOfSizeKShouldWinWhenTheAdversaryIsSmall(
      int n, int h, double c, double b, FailurePolicy policy) {
    int k = n - h;
    DesignatedOptimum general = DesignatedMechanism.optimize(n, h, c, b, policy);
    DesignatedOptimum full = DesignatedMechanism.optimizeFullCommittee(n, h, c, b, policy);

    assertThat(general.committeeSize()).isEqualTo(k);
    assertThat(general.loss()).isLessThan(full.loss()).isLessThan(k + 1.0);
    for (int m = k; m <= n - 1; m++) {
      assertThat(DesignatedMechanism.worstCaseLoss(n, h, m, general.mixingProbability(), c, b, policy))
          .isGreaterThanOrEqualTo(general.loss());
    }
  }

  @ParameterizedTest(name = "n={0} h={1} C={2} B={3} {4}")
  @CsvSource({
    "30, 17, 1e4, 100, COMPENSATE_COMMITTEE",
    "10, 5, 100, 5, COMPENSATE_COMMITTEE",
    "10, 5, 100, 5, PAPER",
    "12, 3, 30, 25, COMPENSATE_COMMITTEE",
    "12, 3, 30, 25, PAPER",
    "6, 3, 14, 11, COMPENSATE_COMMITTEE",
    "25, 20, 1e4, 9e3, COMPENSATE_COMMITTEE",
  })
  void optimalMixingProbabilityShouldBeatEveryOtherProbabilityOnAFineScan(
      int n, int h, double c, double b, FailurePolicy policy) {
    DesignatedOptimum optimum = DesignatedMechanism.optimizeFullCommittee(n, h, c, b, policy);

    for (int i = 0; i <= 100_000; i++) {
      double p = i / 100_000.0;
      assertThat(DesignatedMechanism.worstCaseLoss(n, h, n - 1, p, c, b, policy))
          .as("loss at p = %s", p)
          .isGreaterThanOrEqualTo(optimum.loss() - 1e-9);
    }
  }

  @ParameterizedTest
  @EnumSource(FailurePolicy.class)
  void paperOptimumShouldEqualiseTheTwoLossBranches(FailurePolicy policy) {
    int n = 30;
    int h = 17;
    double c = 1e4;
    DesignatedOptimum optimum = DesignatedMechanism.optimizeFullCommittee(n, h, c, 0, policy);
    int e = optimum.committeeSize() - (n - h) + 1;
    double right = c * Math.pow(1 - optimum.mixingProbability(), e);

    assertThat(optimum.loss()).isCloseTo(right, within(1e-9));
    assertThat(optimum.loss()).isCloseTo(optimum.totalPrize(), within(1e-12));
  }

  @ParameterizedTest
  @EnumSource(FailurePolicy.class)
  void designateAloneShouldBeOptimalWhenPenaltyMinusStakeIsAtMostOne(FailurePolicy policy) {
    DesignatedOptimum optimum = DesignatedMechanism.optimize(10, 5, 50, 49, policy);

    assertThat(optimum.mixingProbability()).isZero();
    assertThat(optimum.loss()).isEqualTo(1.0);
    assertThat(optimum.totalPrize()).isEqualTo(1.0);
    assertThat(optimum.committeePrize()).isEqualTo(1.0);
  }

  @Test
  void designateAloneShouldBeOptimalWhenEveryProverIsHonest() {
    DesignatedOptimum optimum =
        DesignatedMechanism.optimize(8, 8, 1e6, 0, FailurePolicy.COMPENSATE_COMMITTEE);

    assertThat(optimum.mixingProbability()).isZero();
    assertThat(optimum.loss()).isEqualTo(1.0);
    assertThat(optimum.committeeSize()).isEqualTo(7);
  }

  @Test
  void singleProverMarketShouldHaveNoCommittee() {
    DesignatedOptimum optimum = DesignatedMechanism.optimizeFullCommittee(1, 1, 100, 0, FailurePolicy.PAPER);

    assertThat(optimum.committeeSize()).isZero();
    assertThat(optimum.loss()).isEqualTo(1.0);
  }

  @Test
  void lossShouldUseThePenaltyMinusStakeWhenTheAdversaryHoldsTheWholeCommittee() {
    // n = 10, h = 3, k = 7, m = 5 < k - 1: e = -1, every committee member is corrupted.
    for (FailurePolicy policy : FailurePolicy.values()) {
      assertThat(DesignatedMechanism.worstCaseLoss(10, 3, 5, 0.2, 100, 30, policy)).isEqualTo(70.0);
      assertThat(DesignatedMechanism.worstCaseLoss(10, 3, 5, 0.9, 100, 97, policy)).isEqualTo(5.5);
    }
  }

  @Test
  void compensatingTheCommitteeShouldAddMinOfPrizeAndStakeTimesDeliveryProbability() {
    int n = 10;
    int h = 5;
    int m = 9;
    double p = 0.3;
    double c = 100;
    double b = 5;
    double q0 = Math.pow(1 - p, m - (n - h) + 1);
    double q = DesignatedMechanism.committeePrize(m, p);

    double paper = DesignatedMechanism.worstCaseLoss(n, h, m, p, c, b, FailurePolicy.PAPER);
    double compensate =
        DesignatedMechanism.worstCaseLoss(n, h, m, p, c, b, FailurePolicy.COMPENSATE_COMMITTEE);

    assertThat(paper).isCloseTo(c * q0 - b, within(1e-12));
    assertThat(compensate).isCloseTo(c * q0 + Math.min(q, b) * (1 - q0) - b, within(1e-12));
    assertThat(compensate).isGreaterThan(paper);
  }

  /**
   * IC (docs/MECHANISM.md §3, Lem. 3.4): the designate's expected payment is 1 and a committee member's
   * expected payment given that it delivers is 1, summed over the binomial outcomes of the others.
   */
  @Test
  void designateAndCommitteeMembersShouldExpectExactlyTheCostOfOneProof() {
    Random random = new Random(20260514L);
    for (int trial = 0; trial < 300; trial++) {
      int m = 1 + random.nextInt(400);
      double p = trial == 0 ? 1.0 : random.nextDouble();
      assertIncentiveCompatible(m, p);
    }
    DesignatedOptimum optimum = DesignatedMechanism.optimizeFullCommittee(1000, 667, 1e6, 0, FailurePolicy.PAPER);
    assertIncentiveCompatible(optimum.committeeSize(), optimum.mixingProbability());
    assertIncentiveCompatible(5, 1e-9);
  }

  private static void assertIncentiveCompatible(int m, double p) {
    double t = DesignatedMechanism.totalPrize(m, p);
    double q = DesignatedMechanism.committeePrize(m, p);
    BinomialDistribution committee = new BinomialDistribution(m, p);
    double designate = 0;
    for (int j = 0; j <= m; j++) {
      designate += committee.probability(j) * (j == 0 ? t : t - q);
    }
    BinomialDistribution others = new BinomialDistribution(m - 1, p);
    double member = 0;
    for (int y = 0; y <= m - 1; y++) {
      member += others.probability(y) * q / (1 + y);
    }
    assertThat(designate).as("designate, m = %d, p = %s", m, p).isCloseTo(1.0, within(1e-9));
    assertThat(member).as("committee member, m = %d, p = %s", m, p).isCloseTo(1.0, within(1e-9));
    assertThat(q).as("Q <= T").isLessThanOrEqualTo(t + 1e-12);
  }

  @Test
  void committeePrizeShouldTendToOneAsMixingProbabilityVanishes() {
    assertThat(DesignatedMechanism.committeePrize(50, 0.0)).isEqualTo(1.0);
    assertThat(DesignatedMechanism.committeePrize(50, 1e-15)).isCloseTo(1.0, within(1e-12));
    assertThat(DesignatedMechanism.committeePrize(50, 1e-4))
        .isCloseTo(50 * 1e-4 / (1 - Math.pow(1 - 1e-4, 50)), within(1e-9));
    assertThat(DesignatedMechanism.committeePrize(7, 1.0)).isEqualTo(7.0);
  }

  @Test
  void optimalLossShouldGrowLogarithmicallyInPenaltyWithoutStakeAndStayBoundedWithStake() {
    double previous = 0;
    for (int exponent = 2; exponent <= 8; exponent++) {
      double c = Math.pow(10, exponent);
      double unstaked = DesignatedMechanism.optimizeFullCommittee(30, 17, c, 0, FailurePolicy.PAPER).loss();
      double staked = DesignatedMechanism.optimizeFullCommittee(30, 17, c, c, FailurePolicy.PAPER).loss();
      assertThat(unstaked).isGreaterThan(previous).isLessThan(3 * Math.log(c) / (17.0 / 30));
      assertThat(staked).isEqualTo(1.0);
      previous = unstaked;
    }
  }

  @Test
  void invalidSettingsShouldBeRejectedWithTheBadValueNamed() {
    FailurePolicy paper = FailurePolicy.PAPER;
    assertThatThrownBy(() -> DesignatedMechanism.optimize(0, 1, 10, 0, paper))
        .isInstanceOf(MechanismException.class).hasMessageContaining("n = 0");
    assertThatThrownBy(() -> DesignatedMechanism.optimize(5, 0, 10, 0, paper))
        .isInstanceOf(MechanismException.class).hasMessageContaining("h = 0");
    assertThatThrownBy(() -> DesignatedMechanism.optimize(5, 6, 10, 0, paper))
        .isInstanceOf(MechanismException.class).hasMessageContaining("h = 6");
    assertThatThrownBy(() -> DesignatedMechanism.optimize(5, 3, 0.5, 0, paper))
        .isInstanceOf(MechanismException.class).hasMessageContaining("C = 0.5");
    assertThatThrownBy(() -> DesignatedMechanism.optimize(5, 3, Double.NaN, 0, paper))
        .isInstanceOf(MechanismException.class).hasMessageContaining("C = NaN");
    assertThatThrownBy(() -> DesignatedMechanism.optimize(5, 3, Double.POSITIVE_INFINITY, 0, paper))
        .isInstanceOf(MechanismException.class).hasMessageContaining("C = Infinity");
    assertThatThrownBy(() -> DesignatedMechanism.optimizeFullCommittee(5, 3, 10, -1, paper))
        .isInstanceOf(MechanismException.class).hasMessageContaining("B = -1.0");
    assertThatThrownBy(() -> DesignatedMechanism.optimizeFullCommittee(5, 3, 10, Double.NaN, paper))
        .isInstanceOf(MechanismException.class).hasMessageContaining("B = NaN");
    assertThatThrownBy(() -> DesignatedMechanism.optimize(5, 3, 10, 0, null))
        .isInstanceOf(MechanismException.class).hasMessageContaining("policy");
    assertThatThrownBy(() -> DesignatedMechanism.worstCaseLoss(5, 3, 4, 1.5, 10, 0, paper))
        .isInstanceOf(MechanismException.class).hasMessageContaining("p = 1.5");
    assertThatThrownBy(() -> DesignatedMechanism.worstCaseLoss(5, 3, 4, -0.1, 10, 0, paper))
        .isInstanceOf(MechanismException.class).hasMessageContaining("p = -0.1");
    assertThatThrownBy(() -> DesignatedMechanism.worstCaseLoss(5, 3, 4, Double.NaN, 10, 0, paper))
        .isInstanceOf(MechanismException.class).hasMessageContaining("p = NaN");
    assertThatThrownBy(() -> DesignatedMechanism.worstCaseLoss(5, 3, 5, 0.1, 10, 0, paper))
        .isInstanceOf(MechanismException.class).hasMessageContaining("m = 5");
    assertThatThrownBy(() -> DesignatedMechanism.totalPrize(-1, 0.1))
        .isInstanceOf(MechanismException.class).hasMessageContaining("m = -1");
    assertThatThrownBy(() -> DesignatedMechanism.committeePrize(3, 2.0))
        .isInstanceOf(MechanismException.class).hasMessageContaining("p = 2.0");
  }
}
