/**
 * The mechanism math of Procura (MECHANISM.md; M. Bahrani, M. Neuder, S. M. Weinberg,
 * <i>Adversarial procurement in blockchains</i>, arXiv:2605.05559).
 *
 * <ul>
 *   <li>{@link io.procura.mechanism.DesignatedMechanism}: the designated uniform committee
 *       mechanism (Def. 3.1, Lem. 3.4): worst-case loss, prizes {@code T} and {@code Q}, and the
 *       PROG5 optimiser, in units of the cost of one proof.
 *   <li>{@link io.procura.mechanism.PaymentRule}: the same rule in ERC-20 base units with the
 *       exact integer recipe that the on-chain market reproduces (MECHANISM.md §6), and the
 *       settlement of a slot.
 * </ul>
 *
 * <p>Every amount in the real-valued API is in <b>proof-cost units</b> (1 = the cost of producing
 * one Groth16 proof; on chain, {@code proofPrice} tokens). Every amount in the integer API is in
 * <b>token base units</b> (wei of the market's ERC-20). Probabilities in the integer API are
 * 1e18-scaled fixed point ("wad"). Bad input raises {@link io.procura.mechanism.MechanismException}.
 */
package io.procura.mechanism;
