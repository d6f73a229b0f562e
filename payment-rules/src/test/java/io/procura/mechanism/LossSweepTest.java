package io.procura.mechanism;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests of {@link LossSweep}: the shape of the paper's Fig. 3.3 (Lem. 3.11, 3.12). */
class LossSweepTest {

  @Test
  void unstakedLossShouldGrowLikeLnCOverAlpha() {
    double[] alphas = {0.5, 0.67, 0.9};
    double[] penalties = LossSweep.penalties(1e3, 1e9, 2);
    List<SweepPoint> points =
        LossSweep.sweep(2000, alphas, penalties, List.of(StakeLevel.NONE), FailurePolicy.PAPER);

    assertThat(points).hasSize(alphas.length * penalties.length);
    double previousSlope = Double.POSITIVE_INFINITY;
    for (double alpha : alphas) {
      List<SweepPoint> curve = points.stream().filter(p -> p.alpha() == alpha).toList();
      for (int i = 1; i < curve.size(); i++) {
        assertThat(curve.get(i).loss()).isGreaterThan(curve.get(i - 1).loss());
      }
      // Slope of loss against ln C over the last six decades, and the level, both ~ 1/alpha.
      SweepPoint lo = curve.get(curve.size() - 13);
      SweepPoint hi = curve.get(curve.size() - 1);
      double slope = (hi.loss() - lo.loss()) / Math.log(hi.livenessPenalty() / lo.livenessPenalty());
      assertThat(slope * alpha).as("alpha = %s", alpha).isCloseTo(1.0, within(0.15));
      assertThat(hi.loss() * alpha / Math.log(hi.livenessPenalty())).isBetween(0.75, 1.05);
      assertThat(slope).isLessThan(previousSlope);
      previousSlope = slope;
    }
  }

  @Test
  void stakeProportionalToThePenaltyShouldKeepTheLossBounded() {
    double[] penalties = LossSweep.penalties(10, 1e9, 1);
    List<SweepPoint> staked = LossSweep.sweep(200, new double[] {0.5}, penalties,
        List.of(StakeLevel.parse("0.5C")), FailurePolicy.PAPER);
    List<SweepPoint> unstaked = LossSweep.sweep(200, new double[] {0.5}, penalties,
        List.of(StakeLevel.NONE), FailurePolicy.PAPER);

    assertThat(staked).allSatisfy(point -> assertThat(point.loss()).isLessThan(2.5));
    assertThat(unstaked.get(unstaked.size() - 1).loss() - unstaked.get(0).loss()).isGreaterThan(20);
    assertThat(staked.get(3).stake()).isEqualTo(0.5 * staked.get(3).livenessPenalty());
  }

  @Test
  void penaltiesShouldBeLogSpacedAndIncludeBothEnds() {
    double[] c = LossSweep.penalties(10, 1e9, 4);
    assertThat(c).hasSize(33);
    assertThat(c[0]).isEqualTo(10);
    assertThat(c[32]).isEqualTo(1e9);
    assertThat(c[4]).isCloseTo(100, within(1e-9));
    assertThat(LossSweep.honestProvers(100, 0.67)).isEqualTo(67);
    assertThat(LossSweep.honestProvers(3, 0.01)).isEqualTo(1);
  }

  @Test
  void stakeLevelsShouldParseAndLabel() {
    assertThat(StakeLevel.parse("500").at(1e6)).isEqualTo(500);
    assertThat(StakeLevel.parse("0.1C").at(1e6)).isEqualTo(1e5);
    assertThat(StakeLevel.parse("0.1C").label()).isEqualTo("B=0.1C");
    assertThat(StakeLevel.parse("500").label()).isEqualTo("B=500");
    assertThatThrownBy(() -> StakeLevel.parse("lots"))
        .isInstanceOf(MechanismException.class).hasMessageContaining("'lots'");
    assertThatThrownBy(() -> StakeLevel.parse("-1"))
        .isInstanceOf(MechanismException.class).hasMessageContaining("-1.0");
  }

  @Test
  void badSweepsShouldBeRejected() {
    assertThatThrownBy(() -> LossSweep.penalties(0.5, 10, 4))
        .isInstanceOf(MechanismException.class).hasMessageContaining("C = 0.5");
    assertThatThrownBy(() -> LossSweep.penalties(100, 10, 4))
        .isInstanceOf(MechanismException.class).hasMessageContaining("C = 10.0");
    assertThatThrownBy(() -> LossSweep.honestProvers(10, 1.5))
        .isInstanceOf(MechanismException.class).hasMessageContaining("1.5");
    assertThatThrownBy(() -> LossSweep.sweep(10, new double[0], new double[] {10},
        List.of(StakeLevel.NONE), FailurePolicy.PAPER))
        .isInstanceOf(MechanismException.class).hasMessageContaining("at least one alpha");
  }
}
