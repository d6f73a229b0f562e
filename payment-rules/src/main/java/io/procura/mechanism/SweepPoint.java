package io.procura.mechanism;

/**
 * SweepPoint is one point of a {@link LossSweep}: the optimal full-committee designated rule at
 * one honest fraction, liveness penalty and stake. Amounts are in proof-cost units.
 *
 * @param alpha the requested honest fraction {@code alpha} in {@code (0, 1]}
 * @param n provers in the eligible set
 * @param h provers assumed honest, {@code round(alpha * n)} clamped to {@code [1, n]}
 * @param stakeLevel the stake curve this point belongs to
 * @param livenessPenalty {@code C}, proof-cost units
 * @param stake {@code B} at this {@code C}, proof-cost units
 * @param mixingProbability the optimal {@code p}
 * @param loss the optimal worst-case loss
 */
public record SweepPoint(
    double alpha,
    int n,
    int h,
    StakeLevel stakeLevel,
    double livenessPenalty,
    double stake,
    double mixingProbability,
    double loss) {}
