package io.procura.mechanism;

/**
 * FailurePolicy says where the seized stake {@code B} goes when the designate of a slot fails
 * to deliver (docs/MECHANISM.md §3, "Failure policy"; docs/DESIGN.md §3). It is a market parameter and
 * changes only the off-equilibrium path, so incentive compatibility is the same under both.
 */
public enum FailurePolicy {

  /**
   * The paper's rule (Lem. 3.4 with Cor. 3.2, Rem. 3.9): the whole slashed stake refunds the
   * requester; committee members who delivered get nothing. Worst-case right branch:
   * {@code C*(1-p)^e - B}.
   */
  PAPER,

  /**
   * The project's default: committee members who delivered first share {@code min(Q, B)}
   * evenly (as if the designate had delivered), the rest of the slashed stake refunds the
   * requester. Worst-case right branch: {@code C*q0 + min(Q, B)*(1 - q0) - B} with
   * {@code q0 = (1-p)^e}. Coincides with {@link #PAPER} when {@code B = 0}.
   */
  COMPENSATE_COMMITTEE
}
