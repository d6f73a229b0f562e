package io.procura.db;

/** Life-cycle state of a slot in the store. */
public enum SlotState {
    /** Opened, not settled yet (proofs may still arrive before the deadline). */
    OPEN,
    /** Settled: payouts, refund and slash are final. */
    SETTLED
}
