package io.procura.mechanism;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Tests of {@link LowerBound} against docs/MECHANISM.md §2–§4. */
class LowerBoundTest {

  @Test
  void boundOfTheDesignatedProfileShouldEqualThePaperDesignatedLoss() {
    Random random = new Random(3);
    for (int trial = 0; trial < 500; trial++) {
      int n = 2 + random.nextInt(60);
      int h = 1 + random.nextInt(n);
      int k = n - h;
      int m = Math.max(0, k - 1) + random.nextInt(n - Math.max(0, k - 1));
      double p = random.nextDouble();
      double c = Math.pow(10, 4 * random.nextDouble());
      double b = random.nextBoolean() ? 0 : c * random.nextDouble();

      double bound = LowerBound.of(DesignatedMechanism.profile(n, m, p), h, c, b);

      // The designated profile never reaches C*prod(1-pi) in the left branch (pi_0 = 1).
      assertThat(bound)
          .as("n=%d h=%d m=%d p=%s C=%s B=%s", n, h, m, p, c, b)
          .isCloseTo(DesignatedMechanism.worstCaseLoss(n, h, m, p, c, b, FailurePolicy.PAPER),
              within(1e-9 * Math.max(1, c)));
    }
  }

  @Test
  void boundOfTheSymmetricProfileShouldEqualTheSymmetricBound() {
    Random random = new Random(5);
    for (int trial = 0; trial < 500; trial++) {
      int n = 2 + random.nextInt(60);
      int h = 1 + random.nextInt(n);
      int m = n - h + 1 + random.nextInt(h);
      double p = random.nextDouble();
      double c = Math.pow(10, 4 * random.nextDouble());
      double b = random.nextBoolean() ? 0 : c * random.nextDouble();
      double[] profile = new double[n];
      for (int i = 0; i < m; i++) {
        profile[n - 1 - i] = p; // unsorted on purpose
      }

      assertThat(LowerBound.of(profile, h, c, b))
          .isCloseTo(SymmetricMechanism.lowerBoundLoss(n, h, m, p, c, b), within(1e-9 * c));
    }
  }

  @Test
  void boundShouldTakeTheKMostLikelyDeliverersForTheAdversary() {
    double[] profile = {0.1, 0.9, 0.5, 0.3};
    // k = 2: the adversary takes 0.9 and 0.5; the rest deliver with 0.1 and 0.3.
    double honest = 1.8 + 100 * 0.9 * 0.1 * 0.5 * 0.7;
    double withheld = 100 * 0.9 * 0.7 - 4;

    assertThat(LowerBound.of(profile, 2, 100, 4)).isCloseTo(Math.max(honest, withheld), within(1e-12));
    assertThat(profile).containsExactly(0.1, 0.9, 0.5, 0.3);
  }

  @Test
  void badProfilesShouldBeRejected() {
    assertThatThrownBy(() -> LowerBound.of(new double[0], 1, 10, 0))
        .isInstanceOf(MechanismException.class).hasMessageContaining("at least one prover");
    assertThatThrownBy(() -> LowerBound.of(new double[] {0.5, 1.2}, 1, 10, 0))
        .isInstanceOf(MechanismException.class).hasMessageContaining("p = 1.2");
    assertThatThrownBy(() -> LowerBound.of(new double[] {0.5, 0.2}, 3, 10, 0))
        .isInstanceOf(MechanismException.class).hasMessageContaining("h = 3");
    assertThatThrownBy(() -> LowerBound.of(new double[] {0.5, 0.2}, 1, 0.5, 0))
        .isInstanceOf(MechanismException.class).hasMessageContaining("C = 0.5");
    assertThatThrownBy(() -> LowerBound.of(new double[] {0.5, 0.2}, 1, 10, -2))
        .isInstanceOf(MechanismException.class).hasMessageContaining("B = -2.0");
  }
}
