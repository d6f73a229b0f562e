package io.procura.mechanism;

import java.math.BigInteger;

/**
 * Settlement is the outcome of settling one slot (docs/MECHANISM.md §3 and §6), as computed by
 * {@link PaymentRule#settle}: who receives how many tokens. All amounts are in ERC-20 base units.
 * Tokens in ({@code escrow + slashed}) equal tokens out ({@code designatePayout +
 * committeeDeliveries * perCommitteeMemberPayout + requesterRefund}) to the unit; see
 * {@link #isConserved()}.
 *
 * @param escrow tokens escrowed by the requester when the slot opened ({@code T * proofPrice})
 * @param slashed tokens seized from the stake at risk (zero if the designate delivered)
 * @param designatePayout tokens paid to the designate
 * @param committeeDeliveries committee members whose valid proof arrived ({@code j >= 0})
 * @param perCommitteeMemberPayout tokens paid to each of those {@code j} committee members
 * @param requesterRefund tokens returned to the requester: refunded escrow, slashed stake and
 *     rounding dust (the dust is included here)
 * @param dust rounding remainder of the even split among committee deliverers, already included
 *     in {@code requesterRefund}
 */
public record Settlement(
    BigInteger escrow,
    BigInteger slashed,
    BigInteger designatePayout,
    int committeeDeliveries,
    BigInteger perCommitteeMemberPayout,
    BigInteger requesterRefund,
    BigInteger dust) {

  /**
   * The tokens paid to the committee in total, {@code committeeDeliveries *
   * perCommitteeMemberPayout}.
   *
   * @return a non-negative token amount
   */
  public BigInteger committeePayoutTotal() {
    return perCommitteeMemberPayout.multiply(BigInteger.valueOf(committeeDeliveries));
  }

  /**
   * Whether tokens in equal tokens out (docs/MECHANISM.md §6): {@code escrow + slashed ==
   * designatePayout + committeeDeliveries * perCommitteeMemberPayout + requesterRefund}, with
   * every amount non-negative.
   *
   * @return true if the settlement conserves tokens
   */
  public boolean isConserved() {
    boolean nonNegative =
        escrow.signum() >= 0
            && slashed.signum() >= 0
            && designatePayout.signum() >= 0
            && perCommitteeMemberPayout.signum() >= 0
            && requesterRefund.signum() >= 0
            && dust.signum() >= 0
            && committeeDeliveries >= 0;
    BigInteger in = escrow.add(slashed);
    BigInteger out = designatePayout.add(committeePayoutTotal()).add(requesterRefund);
    return nonNegative && in.equals(out);
  }

  /**
   * Asserts {@link #isConserved()}.
   *
   * @return this settlement
   * @throws MechanismException naming every amount if tokens in differ from tokens out
   */
  public Settlement requireConserved() {
    if (!isConserved()) {
      throw new MechanismException("settlement does not conserve tokens: " + this);
    }
    return this;
  }
}
