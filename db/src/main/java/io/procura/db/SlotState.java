package io.procura.db;

/** Life-cycle state of a slot in the store: {@code OPEN → DRAWN → SETTLED}, or {@code OPEN → CANCELLED}. */
public enum SlotState {
    /** Opened, no designate yet: waiting for {@code draw} (from the block after its draw block). */
    OPEN,
    /** Designate drawn ({@code SlotDrawn}): proofs are accepted until the deadline, then it is settled. */
    DRAWN,
    /** Settled: payouts, refund and slash are final. */
    SETTLED,
    /** Cancelled before a draw ({@code SlotCancelled}): the escrow was credited back to the requester. */
    CANCELLED
}
