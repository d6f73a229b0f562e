package io.procura.coordinator;

import io.procura.mechanism.FailurePolicy;
import java.math.BigInteger;

/**
 * The terms of one slot as the coordinator quotes them (docs/DESIGN.md §1 step 1): the optimal
 * designated parameters for the current eligible set and the token amounts the market will
 * derive from them.
 *
 * @param circuitId            the circuit the slot proves
 * @param eligibleProvers      {@code n}, provers eligible for the circuit now (opted in, bonded, not jailed)
 * @param honestProvers        {@code h}, provers assumed honest ({@code ceil(alpha * n)})
 * @param livenessPenalty      {@code C}, proof-cost units
 * @param stake                {@code B}, the stake the market seizes for the requester and committee when the
 *                             designate fails, proof-cost units ({@code market.stakeAtRisk() / proofPrice}, i.e.
 *                             {@code (slotBond - keeperFee) / proofPrice})
 * @param policy               the market's failure policy
 * @param committeeSize        {@code m = n - 1}
 * @param mixingProbability    {@code p}
 * @param mixingProbabilityWad {@code p} scaled by 1e18 (what {@code openSlot} takes)
 * @param totalPrize           {@code T = 1 + m p}, proof-cost units
 * @param committeePrize       {@code Q}, proof-cost units
 * @param worstCaseLoss        the mechanism's worst-case loss, proof-cost units (docs/MECHANISM.md §3)
 * @param proofPrice           tokens per proof-cost unit, token base units
 * @param escrow               tokens the requester escrows, base units
 * @param committeePrizeTokens tokens split among delivering committee members, base units
 * @param bondAtRisk           tokens locked from the designate ({@code slotBond}), base units
 */
public record Quote(java.math.BigInteger circuitId, int eligibleProvers, int honestProvers, double livenessPenalty, double stake, FailurePolicy policy,
                    int committeeSize, double mixingProbability, BigInteger mixingProbabilityWad, double totalPrize,
                    double committeePrize, double worstCaseLoss, BigInteger proofPrice, BigInteger escrow,
                    BigInteger committeePrizeTokens, BigInteger bondAtRisk) {}
