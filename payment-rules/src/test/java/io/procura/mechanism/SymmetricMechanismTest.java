package io.procura.mechanism;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.hipparchus.distribution.discrete.BinomialDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tests of {@link SymmetricMechanism} against docs/MECHANISM.md §4. */
class SymmetricMechanismTest {

  /** docs/MECHANISM.md §4 check value: n=10, h=5, C=100 gives about 5.195 at m=8, p~0.63. */
  @Test
  void implementableOptimumShouldMatchTheCheckValueAndLoseToTheDesignatedRule() {
    SymmetricOptimum lp = SymmetricMechanism.optimizeImplementable(10, 5, 100);
    DesignatedOptimum designated =
        DesignatedMechanism.optimize(10, 5, 100, 0, FailurePolicy.PAPER);

    assertThat(lp.committeeSize()).isEqualTo(8);
    assertThat(lp.mixingProbability()).isCloseTo(0.63, within(0.01));
    assertThat(lp.loss()).isCloseTo(5.195, within(0.005));
    assertThat(lp.loss()).isGreaterThan(designated.loss());
    assertThat(lp.implementable()).isTrue();
    // Ex. 3.4: the implementable rule is worse than the bound over its shape.
    assertThat(lp.loss()).isGreaterThan(SymmetricMechanism.optimizeBound(10, 5, 100, 0).loss());
  }

  @ParameterizedTest(name = "n={0} h={1} m={2} p={3} C={4}")
  @CsvSource({"10, 5, 8, 0.63, 100", "30, 17, 30, 0.35, 1e4", "12, 4, 9, 0.8, 50", "6, 5, 2, 0.3, 20"})
  void lpPaymentsShouldSatisfyEveryConstraintOfLp1AndTheValueShouldBeBindingAndAboveTheBound(
      int n, int h, int m, double p, double c) {
    SymmetricOptimum rule = SymmetricMechanism.implementableRule(n, h, m, p, c);
    List<Double> pay = rule.payments();
    int k = n - h;

    assertThat(pay).hasSize(m + 1);
    assertThat(pay.get(0)).isZero();
    assertThat(pay).allSatisfy(x -> assertThat(x).isGreaterThanOrEqualTo(-1e-9));
    BinomialDistribution others = new BinomialDistribution(m - 1, p);
    double member = 0;
    for (int y = 0; y <= m - 1; y++) {
      member += others.probability(y) * pay.get(1 + y) / (1 + y);
    }
    assertThat(member).as("IC: a deliverer expects exactly 1").isCloseTo(1.0, within(1e-7));
    BinomialDistribution honest = new BinomialDistribution(m - k, p);
    double worst = 0;
    for (int i = 0; i <= k; i++) {
      double cost = i == 0 ? c * Math.pow(1 - p, m - k) : 0;
      for (int x = 0; x <= m - k; x++) {
        cost += honest.probability(x) * pay.get(i + x);
      }
      assertThat(cost).as("adversary delivers %d", i).isLessThanOrEqualTo(rule.loss() + 1e-7);
      worst = Math.max(worst, cost);
    }
    assertThat(worst).as("the loss is the binding constraint").isCloseTo(rule.loss(), within(1e-7));
    assertThat(rule.loss())
        .isGreaterThanOrEqualTo(SymmetricMechanism.lowerBoundLoss(n, h, m, p, c, 0) - 1e-9);
  }

  @ParameterizedTest(name = "n={0} h={1} C={2} B={3}")
  @CsvSource({"10, 5, 100, 0", "30, 17, 1e4, 0", "30, 17, 1e4, 100", "200, 120, 1e6, 0", "7, 7, 50, 0"})
  void boundOptimumShouldBeatAFineScanOfEveryCommitteeSize(int n, int h, double c, double b) {
    SymmetricOptimum optimum = SymmetricMechanism.optimizeBound(n, h, c, b);

    assertThat(optimum.implementable()).isFalse();
    assertThat(optimum.loss())
        .isEqualTo(SymmetricMechanism.lowerBoundLoss(n, h, optimum.committeeSize(),
            optimum.mixingProbability(), c, b));
    for (int m = n - h + 1; m <= n; m++) {
      for (int i = 0; i <= 4_000; i++) {
        double p = i / 4_000.0;
        assertThat(SymmetricMechanism.lowerBoundLoss(n, h, m, p, c, b))
            .isGreaterThanOrEqualTo(optimum.loss() - 1e-9);
      }
    }
  }

  @Test
  void symmetricBoundShouldBeBelowTheDesignatedLossInThePapersSettings() {
    // The paper's point is not that the bound is worse, but that it is not implementable: the
    // designated rule is compared with the implementable LP value, and with this bound.
    SymmetricOptimum bound = SymmetricMechanism.optimizeBound(30, 17, 1e4, 0);
    assertThat(bound.loss()).isLessThan(10.6156).isGreaterThan(5);
  }

  @Test
  void badArgumentsShouldBeRejected() {
    assertThatThrownBy(() -> SymmetricMechanism.lowerBoundLoss(10, 5, 5, 0.5, 100, 0))
        .isInstanceOf(MechanismException.class).hasMessageContaining("m = 5");
    assertThatThrownBy(() -> SymmetricMechanism.lowerBoundLoss(10, 5, 11, 0.5, 100, 0))
        .isInstanceOf(MechanismException.class).hasMessageContaining("m = 11");
    assertThatThrownBy(() -> SymmetricMechanism.implementableRule(10, 5, 8, 0.0, 100))
        .isInstanceOf(MechanismException.class).hasMessageContaining("p = 0");
    assertThatThrownBy(() -> SymmetricMechanism.optimizeBound(10, 11, 100, 0))
        .isInstanceOf(MechanismException.class).hasMessageContaining("h = 11");
    assertThatThrownBy(() -> SymmetricMechanism.optimizeImplementable(10, 5, 0.9))
        .isInstanceOf(MechanismException.class).hasMessageContaining("C = 0.9");
  }
}
