/**
 * The mechanism math of Procura (docs/MECHANISM.md; M. Bahrani, M. Neuder, S. M. Weinberg,
 * <i>Adversarial procurement in blockchains</i>, arXiv:2605.05559).
 *
 * <ul>
 *   <li>{@link io.procura.mechanism.LowerBound}: the lower bound {@code L_B(pi)} of any strategy
 *       profile (§2; Lem. 3.1, Cor. 3.2).
 *   <li>{@link io.procura.mechanism.DesignatedMechanism}: the designated uniform committee
 *       mechanism (§3; Def. 3.1, Lem. 3.4): worst-case loss, prizes {@code T} and {@code Q}, the
 *       payouts of every delivery outcome, and the PROG5 optimiser (general {@code m}, fixed
 *       {@code m}, full committee {@code m = n - 1}).
 *   <li>{@link io.procura.mechanism.PaymentRule}: the same rule in ERC-20 base units with the
 *       exact integer recipe that the on-chain market reproduces (§6), and the settlement of a
 *       slot.
 *   <li>{@link io.procura.mechanism.SymmetricMechanism}: the symmetric committee (§4; Def. 3.2,
 *       Lem. 3.5): its lower bound and the best implementable rule by LP1 (Hipparchus simplex).
 *   <li>{@link io.procura.mechanism.Baselines}: fixed subset, pay-deliverers, lottery (§5;
 *       Ex. 3.1–3.3) at their optimal parameters.
 *   <li>{@link io.procura.mechanism.ExactEvaluator}: the worst-case loss of Def. 2.2 and expected
 *       payments by enumeration, for any {@link io.procura.mechanism.PaymentFunction}.
 *   <li>{@link io.procura.mechanism.SlotSimulator}: Monte Carlo slots against a named
 *       {@link io.procura.mechanism.Adversary}.
 *   <li>{@link io.procura.mechanism.LossSweep}: the loss against {@code C} per honest fraction
 *       and stake (the paper's Fig. 3.3; Lem. 3.11, 3.12).
 * </ul>
 *
 * <p>Every amount in the real-valued API is in <b>proof-cost units</b> (1 = the cost of producing
 * one Groth16 proof; on chain, {@code proofPrice} tokens). Every amount in the integer API is in
 * <b>token base units</b> (wei of the market's ERC-20). Probabilities in the integer API are
 * 1e18-scaled fixed point ("wad"). Bad input raises {@link io.procura.mechanism.MechanismException}.
 */
package io.procura.mechanism;
