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
