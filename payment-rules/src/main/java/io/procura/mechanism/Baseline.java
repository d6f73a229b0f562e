package io.procura.mechanism;

/**
 * Baseline names the simple rules that requesters would otherwise pick (docs/MECHANISM.md §5; paper
 * Ex. 3.1–3.3), against which the designated rule is compared by {@link Baselines}.
 */
public enum Baseline {

  /**
   * Ask a fixed subset of {@code s} provers, pay each 1 on delivery (Ex. 3.1). Safe only for
   * {@code s >= k + 1}; loss {@code min(k + 1, C)}.
   */
  FIXED_SUBSET,

  /**
   * Every prover mixes with {@code q}, every deliverer is paid 1 (Ex. 3.2); loss
   * {@code min_q max(h*q + C*(1-q)^h, k + h*q)}.
   */
  PAY_DELIVERERS,

  /**
   * Every prover mixes with {@code q}, a prize {@code R} goes to one uniformly random deliverer,
   * with {@code R*E[1/(1+Y)] = 1}, {@code Y ~ Bin(n-1, q)} (Ex. 3.3); loss
   * {@code min_q max(R, R*(1-(1-q)^h) + C*(1-q)^h)}.
   */
  LOTTERY
}
