package io.procura.mechanism;

import java.math.BigInteger;

/**
 * SlotPrizes holds the token amounts of one slot of the designated uniform committee mechanism
 * as the market contract derives them from {@code p} and {@code m} (docs/MECHANISM.md §6), computed
 * by {@link PaymentRule#prizes}. Token amounts are in ERC-20 base units; {@code *Wad} values are
 * 1e18-scaled fixed point.
 *
 * @param committeeSize committee size {@code m} ({@code n - 1} on chain)
 * @param mixingProbabilityWad {@code p} scaled by 1e18, in {@code [0, 1e18]}
 * @param proofPrice the price of one proof, token base units
 * @param totalPrizeWad {@code T_wad = 1e18 + m * p_wad}
 * @param committeePrizeWad {@code Q_wad}, see {@link PaymentRule#committeePrizeWad}
 * @param escrow {@code floor(T_wad * proofPrice / 1e18)}: tokens escrowed from the requester
 * @param committeePrize {@code min(floor(Q_wad * proofPrice / 1e18), escrow)}: tokens split among
 *     the committee members who deliver
 */
public record SlotPrizes(
    int committeeSize,
    BigInteger mixingProbabilityWad,
    BigInteger proofPrice,
    BigInteger totalPrizeWad,
    BigInteger committeePrizeWad,
    BigInteger escrow,
    BigInteger committeePrize) {

  /**
   * The designate's payout when at least one committee member delivers, {@code escrow -
   * committeePrize}, in token base units (docs/MECHANISM.md §3, {@code T - Q}).
   *
   * @return a non-negative token amount
   */
  public BigInteger designatePrizeWithCommitteeDelivery() {
    return escrow.subtract(committeePrize);
  }
}
