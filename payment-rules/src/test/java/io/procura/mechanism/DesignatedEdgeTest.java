package io.procura.mechanism;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The designated optimum at the edges of its domain, for liveness penalties up to {@code 1e300}: the loss is finite,
 * never below 1, never above the trivial rules' (the designate alone, {@code max(1, C - B)}; for the optimum over
 * committee sizes also the fixed set of {@code k + 1} provers), and never decreases as {@code C} grows (the search
 * runs on {@code -ln(1 - p)}: on {@code p} itself it cancelled near {@code p = 1} and the loss jumped about, e.g.
 * 4.60, 5.0, 6.0, 4.6 at {@code n = 5, h = 1} as {@code C} passed 1e14).
 */
class DesignatedEdgeTest {
    private static final int[][] SETTINGS = {{2, 1}, {5, 1}, {5, 4}, {10, 5}, {30, 17}, {101, 100}, {1000, 667}};

    @Test
    void shouldKeepTheLossBetweenOneAndTheTrivialRulesForEveryPenaltyUpTo1e300() {
        for (FailurePolicy policy : FailurePolicy.values()) {
            for (int[] s : SETTINGS) {
                int n = s[0];
                int h = s[1];
                int k = n - h;
                for (int exp = 0; exp <= 300; exp += 5) {
                    double c = Math.pow(10, exp);
                    for (double b : new double[] {0, 5, c / 10}) {
                        String at = "n=" + n + " h=" + h + " C=1e" + exp + " B=" + b + " " + policy;
                        DesignatedOptimum full = DesignatedMechanism.optimizeFullCommittee(n, h, c, b, policy);
                        assertThat(full.loss()).as(at).isFinite().isGreaterThanOrEqualTo(1.0 - 1e-12)
                                .isLessThanOrEqualTo(Math.max(1.0, c - b) * (1 + 1e-12));
                        assertThat(full.mixingProbability()).as(at).isBetween(0.0, 1.0);
                        if (n <= 101) {
                            DesignatedOptimum best = DesignatedMechanism.optimize(n, h, c, b, policy);
                            assertThat(best.loss()).as(at).isLessThanOrEqualTo(full.loss() * (1 + 1e-12))
                                    .isLessThanOrEqualTo((k + 1) * (1 + 1e-12)).isGreaterThanOrEqualTo(1.0 - 1e-12);
                        }
                    }
                }
            }
        }
    }

    @Test
    void shouldNeverLowerTheLossAsThePenaltyGrows() {
        for (FailurePolicy policy : FailurePolicy.values()) {
            for (int[] s : SETTINGS) {
                double previous = 0;
                for (int i = 0; i <= 600; i++) {
                    double c = Math.pow(10, i / 2.0);
                    double loss = DesignatedMechanism.optimizeFullCommittee(s[0], s[1], c, 0, policy).loss();
                    assertThat(loss).as("n=%d h=%d C=%g %s", s[0], s[1], c, policy)
                            .isGreaterThanOrEqualTo(previous * (1 - 1e-12));
                    previous = loss;
                }
            }
        }
    }

    @Test
    void shouldMatchTheClosedFormOfACommitteeOfKAtHugePenalties() {
        // PAPER, m = k (e = 1): p = (C - B - 1)/(C + k), loss = ((k + 1) C - k B)/(C + k): just under k + 1
        for (int exp = 2; exp <= 300; exp += 2) {
            double c = Math.pow(10, exp);
            DesignatedOptimum o = DesignatedMechanism.optimizeCommittee(5, 1, 4, c, 0, FailurePolicy.PAPER);
            double expected = 5 * c / (c + 4);
            assertThat(o.loss()).as("C=1e%d", exp).isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(1e-10));
        }
    }
}
