package io.procura.mechanism;

/**
 * PaymentFunction is a payment rule "as code": the payments {@code P_i(x)} of docs/MECHANISM.md §1 for
 * every prover {@code i} given the delivery vector {@code x}. It is what
 * {@link ExactEvaluator} evaluates (paper Def. 2.2). Payments are in <b>proof-cost units</b>; a
 * negative payment is stake seized from that prover and handed to the requester (docs/MECHANISM.md §3,
 * Rem. 3.9), so it lowers the requester's cost.
 *
 * <p>Implementations must be pure functions of {@code delivered} (no randomness, no state).
 */
@FunctionalInterface
public interface PaymentFunction {

  /**
   * The payments for one delivery outcome.
   *
   * @param delivered {@code delivered[i]} is true if prover {@code i} delivered a valid proof; the
   *     array has one entry per prover of the slot and must not be modified
   * @return a fresh array of the same length: the payment to each prover, proof-cost units
   */
  double[] payments(boolean[] delivered);
}
