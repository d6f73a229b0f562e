package io.procura.mechanism;

/**
 * DesignatedPayouts is what the designated uniform committee rule pays for one delivery outcome of
 * a slot, in <b>proof-cost units</b> (docs/MECHANISM.md §3, payment rule and failure policy; paper
 * Def. 3.1, Rem. 3.9), as computed by {@link DesignatedMechanism#payouts}. The integer (token)
 * version of the same outcome, with the rounding of docs/MECHANISM.md §6, is
 * {@link PaymentRule#settle}.
 *
 * @param designateDelivered whether the designate's proof arrived
 * @param committeeDeliveries committee members whose proof arrived, {@code j} in {@code [0, m]}
 * @param designatePayout paid to the designate: {@code T - Q} if it delivered and {@code j >= 1},
 *     {@code T} if it delivered and {@code j = 0}, and {@code -B} (its stake at risk is seized) if
 *     it failed
 * @param perCommitteeDeliverer paid to each of the {@code j} committee deliverers: {@code Q / j}
 *     if the designate delivered; {@code min(Q, B) / j} under
 *     {@link FailurePolicy#COMPENSATE_COMMITTEE} and 0 under {@link FailurePolicy#PAPER} if it
 *     failed
 * @param requesterRefund returned to the requester out of the seized stake when the designate
 *     failed ({@code B} minus what the committee deliverers received), 0 otherwise
 * @param protocolCost the requester's cost of this outcome: the total paid to provers, minus the
 *     refund, plus the liveness penalty {@code C} if no proof at all arrived (docs/MECHANISM.md §1)
 */
public record DesignatedPayouts(
    boolean designateDelivered,
    int committeeDeliveries,
    double designatePayout,
    double perCommitteeDeliverer,
    double requesterRefund,
    double protocolCost) {

  /**
   * Whether any valid proof arrived in this outcome (from the designate or a committee member).
   *
   * @return true if the requester received a proof
   */
  public boolean proofDelivered() {
    return designateDelivered || committeeDeliveries > 0;
  }
}
