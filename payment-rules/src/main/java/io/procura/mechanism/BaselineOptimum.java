package io.procura.mechanism;

/**
 * BaselineOptimum is a baseline rule of docs/MECHANISM.md §5 with its optimal parameters for one market
 * setting, as returned by {@link Baselines}. Amounts are in proof-cost units.
 *
 * @param baseline which rule
 * @param n provers in the eligible set ({@code n >= 1})
 * @param h provers assumed honest ({@code 1 <= h <= n})
 * @param askedProvers provers asked to deliver: {@code s} for {@link Baseline#FIXED_SUBSET} (0
 *     when asking nobody and paying {@code C} is cheaper), {@code n} for the others
 * @param mixingProbability each asked prover's delivery probability {@code q} in {@code [0, 1]}
 *     (1 for the fixed subset)
 * @param prize what one deliverer is paid, proof-cost units: 1, or the lottery prize {@code R}
 * @param loss the worst-case loss at these parameters, proof-cost units
 * @param livenessPenalty the liveness penalty {@code C >= 1}, proof-cost units
 */
public record BaselineOptimum(
    Baseline baseline,
    int n,
    int h,
    int askedProvers,
    double mixingProbability,
    double prize,
    double loss,
    double livenessPenalty) {}
