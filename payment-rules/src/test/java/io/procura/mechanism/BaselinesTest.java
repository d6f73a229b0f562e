package io.procura.mechanism;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tests of {@link Baselines} against docs/MECHANISM.md §5. */
class BaselinesTest {

  /** docs/MECHANISM.md §5 check values. */
  @ParameterizedTest(name = "n={0} h={1} C={2}")
  @CsvSource({
    "30,   17,  1e4, 14,  18.50, 0.01, 13.55, 0.01, 10.6156",
    "1000, 667, 1e6, 334, 341,   0.5,  21.4,  0.05, 17.2892",
  })
  void baselinesShouldMatchTheCheckValuesAndLoseToTheDesignatedRule(
      int n, int h, double c, double subset, double payDeliverers, double payTolerance,
      double lottery, double lotteryTolerance, double designated) {
    BaselineOptimum fixed = Baselines.fixedSubset(n, h, c);
    BaselineOptimum pay = Baselines.payDeliverers(n, h, c);
    BaselineOptimum lot = Baselines.lottery(n, h, c);
    DesignatedOptimum best = DesignatedMechanism.optimizeFullCommittee(n, h, c, 0, FailurePolicy.PAPER);

    assertThat(fixed.loss()).isEqualTo(subset);
    assertThat(fixed.askedProvers()).isEqualTo(n - h + 1);
    assertThat(pay.loss()).isCloseTo(payDeliverers, within(payTolerance));
    assertThat(lot.loss()).isCloseTo(lottery, within(lotteryTolerance));
    assertThat(best.loss()).isCloseTo(designated, within(5e-5));
    assertThat(best.loss()).isLessThan(lot.loss()).isLessThan(fixed.loss());
    assertThat(best.loss()).isLessThan(pay.loss());
    assertThat(lot.prize()).isCloseTo(Baselines.lotteryPrize(n, lot.mixingProbability()), within(1e-12));
  }

  @ParameterizedTest(name = "n={0} h={1} C={2}")
  @CsvSource({"30, 17, 1e4", "10, 5, 100", "100, 51, 1e7", "12, 12, 100", "5, 1, 3"})
  void optimaShouldBeatAFineScanOfTheMixingProbability(int n, int h, double c) {
    BaselineOptimum pay = Baselines.payDeliverers(n, h, c);
    BaselineOptimum lot = Baselines.lottery(n, h, c);

    assertThat(pay.loss()).isEqualTo(Baselines.payDeliverersLoss(n, h, pay.mixingProbability(), c));
    assertThat(lot.loss()).isCloseTo(Baselines.lotteryLoss(n, h, lot.mixingProbability(), c), within(1e-12));
    for (int i = 0; i <= 100_000; i++) {
      double q = i / 100_000.0;
      assertThat(Baselines.payDeliverersLoss(n, h, q, c)).isGreaterThanOrEqualTo(pay.loss() - 1e-9);
      assertThat(Baselines.lotteryLoss(n, h, q, c)).isGreaterThanOrEqualTo(lot.loss() - 1e-9);
    }
  }

  @Test
  void lotteryPrizeShouldMakeADeliverersExpectedPaymentOne() {
    int n = 40;
    double q = 0.17;
    double r = Baselines.lotteryPrize(n, q);
    var others = new org.hipparchus.distribution.discrete.BinomialDistribution(n - 1, q);
    double expected = 0;
    for (int y = 0; y < n; y++) {
      expected += others.probability(y) * r / (1 + y);
    }
    assertThat(expected).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void askingNobodyShouldWinWhenThePenaltyIsBelowKPlusOne() {
    BaselineOptimum fixed = Baselines.fixedSubset(10, 3, 5);
    assertThat(fixed.askedProvers()).isZero();
    assertThat(fixed.loss()).isEqualTo(5.0);
  }

  @Test
  void badArgumentsShouldBeRejected() {
    assertThatThrownBy(() -> Baselines.lottery(10, 11, 100))
        .isInstanceOf(MechanismException.class).hasMessageContaining("h = 11");
    assertThatThrownBy(() -> Baselines.payDeliverers(10, 5, 0))
        .isInstanceOf(MechanismException.class).hasMessageContaining("C = 0.0");
    assertThatThrownBy(() -> Baselines.lotteryLoss(10, 5, 1.1, 100))
        .isInstanceOf(MechanismException.class).hasMessageContaining("p = 1.1");
    assertThatThrownBy(() -> Baselines.lotteryPrize(0, 0.5))
        .isInstanceOf(MechanismException.class).hasMessageContaining("n = 0");
  }
}
