package io.procura.agent;

import java.math.BigInteger;
import java.time.Duration;

/**
 * What one agent did about one slot.
 *
 * @param slotId    the slot
 * @param prover    the agent's address
 * @param role      designate, committee member, or not in the slot's eligible set (or not opted into its circuit)
 * @param action    what it did
 * @param predictedClass the circuit output it proved, or -1 when it did not prove
 * @param proveTime wall time of the Groth16 proof, {@link Duration#ZERO} when it did not prove
 * @param gasUsed   gas used by {@code submitProof} (units of gas), zero when it did not submit
 * @param detail    a human-readable reason
 */
public record SlotOutcome(BigInteger slotId, String prover, Role role, Action action, int predictedClass,
                          Duration proveTime, BigInteger gasUsed, String detail) {
    /**
     * The agent's role in a drawn slot (docs/MECHANISM.md §3: every prover eligible for the slot's circuit when it
     * opened, other than the designate, is a committee member).
     */
    public enum Role { DESIGNATE, COMMITTEE, NOT_ELIGIBLE }

    /** What the agent did. */
    public enum Action {
        /** proved and the market accepted the proof */
        SUBMITTED,
        /** a committee member whose private coin said not to prove */
        SKIPPED_BY_COIN,
        /** a faulty designate (fault mode) that stayed silent on purpose */
        WITHHELD,
        /** proving or submission failed; see detail */
        FAILED,
        /** the prove window had closed before the proof was ready */
        TOO_LATE,
        /** not in the slot's eligible set, or the agent does not take slots of its circuit (not opted in) */
        NOT_ELIGIBLE,
        /** nothing left to do: the slot is settled or cancelled, or this prover's proof was already accepted (an
         *  agent reading old events after a restart) */
        ALREADY_DONE
    }
}
