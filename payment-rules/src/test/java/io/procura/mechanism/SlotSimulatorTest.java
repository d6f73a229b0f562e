package io.procura.mechanism;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Tests of {@link SlotSimulator}. */
class SlotSimulatorTest {

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "HONEST, PAPER", "SILENT_DESIGNATE, PAPER", "SILENT_DESIGNATE_AND_COMMITTEE, PAPER",
    "OVER_DELIVERING_COMMITTEE, PAPER", "HONEST, COMPENSATE_COMMITTEE",
    "SILENT_DESIGNATE, COMPENSATE_COMMITTEE", "SILENT_DESIGNATE_AND_COMMITTEE, COMPENSATE_COMMITTEE",
    "OVER_DELIVERING_COMMITTEE, COMPENSATE_COMMITTEE",
  })
  void realisedMeanShouldContainTheTheoreticalCostInItsConfidenceInterval(
      Adversary adversary, FailurePolicy policy) {
    DesignatedOptimum o = DesignatedMechanism.optimizeFullCommittee(30, 17, 1e4, 100, policy);

    SimulationResult r = SlotSimulator.simulate(30, 17, 29, o.mixingProbability(), 1e4, 100,
        policy, adversary, 200_000, 42 + adversary.ordinal(), 0.99);

    assertThat(r.theoryWithinInterval()).as("%s", r).isTrue();
    assertThat(r.lower()).isLessThanOrEqualTo(r.meanCost()).isLessThanOrEqualTo(r.upper());
    assertThat(r.worstCaseLoss()).isCloseTo(o.loss(), within(1e-12));
    assertThat(r.expectedCost()).isLessThanOrEqualTo(r.worstCaseLoss() + 1e-9);
  }

  @Test
  void theSilentCoalitionShouldAttainTheWorstCaseLoss() {
    DesignatedOptimum o = DesignatedMechanism.optimizeFullCommittee(30, 17, 1e4, 0, FailurePolicy.PAPER);
    SimulationResult r = SlotSimulator.simulate(30, 17, 29, o.mixingProbability(), 1e4, 0,
        FailurePolicy.PAPER, Adversary.SILENT_DESIGNATE_AND_COMMITTEE, 20_000, 7, 0.95);

    // At the optimum both branches are equal: the silent coalition costs exactly L_desig.
    assertThat(r.expectedCost()).isCloseTo(r.worstCaseLoss(), within(1e-9));
    assertThat(r.designateFailures()).isEqualTo(20_000);
    assertThat(r.slotsWithoutProof()).isPositive();
  }

  @ParameterizedTest
  @EnumSource(value = Adversary.class, names = {"HONEST", "OVER_DELIVERING_COMMITTEE"})
  void deliveringDesignateShouldAlwaysCostExactlyTheTotalPrize(Adversary adversary) {
    SimulationResult r = SlotSimulator.simulate(10, 5, 9, 0.45, 100, 0, FailurePolicy.PAPER,
        adversary, 10_000, 1, 0.95);

    assertThat(r.meanCost()).isEqualTo(1 + 9 * 0.45);
    assertThat(r.standardError()).isZero();
    assertThat(r.designateFailures()).isZero();
  }

  @Test
  void anUnobservedNoProofEventShouldStillLeaveTheTheoryInsideTheInterval() {
    // n=30, h=17, C=1e4: with a silent designate a slot goes without proof with probability
    // (1-p)^29 ~ 8e-6, so 20,000 slots almost surely never see one and every slot costs 0.
    DesignatedOptimum o = DesignatedMechanism.optimizeFullCommittee(30, 17, 1e4, 0, FailurePolicy.COMPENSATE_COMMITTEE);
    SimulationResult r = SlotSimulator.simulate(30, 17, 29, o.mixingProbability(), 1e4, 0,
        FailurePolicy.COMPENSATE_COMMITTEE, Adversary.SILENT_DESIGNATE, 20_000, 7, 0.95);
    assertThat(r.slotsWithoutProof()).isZero();
    assertThat(r.standardError()).isZero();
    assertThat(r.expectedCost()).isPositive();
    assertThat(r.theoryWithinInterval()).isTrue();
    // the widening is the one-sided bound on the unseen event, not an arbitrary margin
    assertThat(r.upper() - r.meanCost()).isCloseTo(1e4 * (1 - Math.pow(0.05, 1.0 / 20_000)), org.assertj.core.data.Offset.offset(1e-6));
  }

  /**
   * C = 1e20, B = 1e19 under the paper's policy (n = 5, h = 1): every slot's designate fails, so
   * each slot costs C - B or -B. Summed in doubles the expectation C (1-p) - B cancelled to -2048
   * (an ulp of 1e19) and the mean drifted; both must equal their exact values.
   */
  @Test
  void atAHugePenaltyMeansAndExpectationsAreExactAndGrossAndRefundApart() {
    double c = 1e20;
    double b = 1e19;
    DesignatedOptimum o = DesignatedMechanism.optimizeFullCommittee(5, 1, c, b, FailurePolicy.PAPER);
    SimulationResult r = SlotSimulator.simulate(5, 1, o.committeeSize(), o.mixingProbability(), c, b,
        FailurePolicy.PAPER, Adversary.SILENT_DESIGNATE_AND_COMMITTEE, 100_000, 3, 0.95);

    // one honest committee member (k - 1 = 3 of the 4 are corrupt and silent): no proof with
    // probability 1 - p; the paper's policy pays the committee nothing, the requester keeps B
    java.math.BigDecimal q = java.math.BigDecimal.ONE.subtract(new java.math.BigDecimal(o.mixingProbability()));
    java.math.BigDecimal exact = new java.math.BigDecimal(c).multiply(q).subtract(new java.math.BigDecimal(b));
    assertThat(r.expectedCost()).isEqualTo(exact.doubleValue());
    assertThat(r.expectedGrossCost()).isEqualTo(new java.math.BigDecimal(c).multiply(q).doubleValue());
    assertThat(r.expectedRefund()).isEqualTo(b);
    // the exact expectation under the silent coalition is the right branch, at most the worst case
    assertThat(r.expectedCost()).isLessThanOrEqualTo(r.worstCaseLoss());
    assertThat(Math.abs(r.expectedCost())).isLessThan(1e6);

    java.math.BigDecimal mean = new java.math.BigDecimal(c).multiply(java.math.BigDecimal.valueOf(r.slotsWithoutProof()))
        .divide(java.math.BigDecimal.valueOf(100_000)).subtract(new java.math.BigDecimal(b));
    assertThat(r.meanCost()).isEqualTo(mean.doubleValue());
    assertThat(r.meanGrossCost()).isNotNegative();
    assertThat(r.meanRefund()).isEqualTo(b);
    assertThat(r.theoryWithinInterval()).as("%s", r).isTrue();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "SILENT_DESIGNATE, PAPER", "SILENT_DESIGNATE_AND_COMMITTEE, PAPER",
    "SILENT_DESIGNATE, COMPENSATE_COMMITTEE", "SILENT_DESIGNATE_AND_COMMITTEE, COMPENSATE_COMMITTEE",
  })
  void grossCostAndRefundAreNeverNegativeAndTheExactExpectationMatchesTheDoubleOne(
      Adversary adversary, FailurePolicy policy) {
    DesignatedOptimum o = DesignatedMechanism.optimizeFullCommittee(30, 17, 1e4, 100, policy);
    SimulationResult r = SlotSimulator.simulate(30, 17, 29, o.mixingProbability(), 1e4, 100,
        policy, adversary, 20_000, 5, 0.95);
    assertThat(r.meanGrossCost()).isNotNegative();
    assertThat(r.meanRefund()).isEqualTo(100.0);
    assertThat(r.meanCost()).isCloseTo(r.meanGrossCost() - r.meanRefund(), within(1e-9));
    int k = 13;
    int corrupt = adversary == Adversary.SILENT_DESIGNATE ? 0 : Math.min(k - 1, 29);
    assertThat(r.expectedCost()).isCloseTo(ExactEvaluator.designatedExpectedCost(29, o.mixingProbability(),
        1e4, 100, policy, false, corrupt, 0), within(1e-9));
  }

  @Test
  void sameSeedShouldGiveTheSameRun() {
    SimulationResult a = SlotSimulator.simulate(20, 12, 19, 0.2, 1e3, 0, FailurePolicy.PAPER,
        Adversary.SILENT_DESIGNATE, 5_000, 99, 0.95);
    SimulationResult b = SlotSimulator.simulate(20, 12, 19, 0.2, 1e3, 0, FailurePolicy.PAPER,
        Adversary.SILENT_DESIGNATE, 5_000, 99, 0.95);
    assertThat(a).isEqualTo(b);
  }

  @Test
  void adversaryNamesShouldParseAndBadArgumentsShouldBeRejected() {
    assertThat(Adversary.parse("silent-designate-and-committee"))
        .isEqualTo(Adversary.SILENT_DESIGNATE_AND_COMMITTEE);
    assertThat(Adversary.OVER_DELIVERING_COMMITTEE.cliName()).isEqualTo("over-delivering-committee");
    assertThatThrownBy(() -> Adversary.parse("sneaky"))
        .isInstanceOf(MechanismException.class).hasMessageContaining("'sneaky'");
    assertThatThrownBy(() -> SlotSimulator.simulate(5, 5, 4, 0.2, 10, 0, FailurePolicy.PAPER,
        Adversary.SILENT_DESIGNATE, 100, 1, 0.95))
        .isInstanceOf(MechanismException.class).hasMessageContaining("k = n - h = 0");
    assertThatThrownBy(() -> SlotSimulator.simulate(5, 3, 4, 0.2, 10, 0, FailurePolicy.PAPER,
        Adversary.HONEST, 1, 1, 0.95))
        .isInstanceOf(MechanismException.class).hasMessageContaining("got 1");
    assertThatThrownBy(() -> SlotSimulator.simulate(5, 3, 4, 0.2, 10, 0, FailurePolicy.PAPER,
        Adversary.HONEST, 100, 1, 1.0))
        .isInstanceOf(MechanismException.class).hasMessageContaining("confidence");
  }
}
