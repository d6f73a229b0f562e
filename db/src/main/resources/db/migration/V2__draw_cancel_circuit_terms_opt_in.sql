-- Procura coordinator store, version 2: the market draws a slot's designate after it opens.
--
-- openSlot no longer draws: SlotOpened carries the prove window (s) and the block whose hash draws the
-- designate; SlotDrawn (designate, seed, deadline) follows a few blocks later, or SlotCancelled when
-- nobody could be drawn (or nobody drew in time) and the escrow went back to the requester. Circuits have
-- terms that take effect after a notice (CircuitTermsSet), and provers opt into the circuits they prove
-- (OptedIn / OptedOut). Conventions as in V1.
--
-- Slot life cycle (slots.state):
--   OPEN       opened, no designate yet (designate, seed, deadline NULL)
--   DRAWN      designate drawn; proofs accepted until deadline (unix s, inclusive)
--   SETTLED    settled after the deadline: payouts, refund and slash are final
--   CANCELLED  cancelled before a draw: the escrow was credited back, nothing locked or slashed

-- The designate, seed and deadline are known from SlotDrawn only.
ALTER TABLE slots ALTER COLUMN designate DROP NOT NULL;
ALTER TABLE slots ALTER COLUMN seed DROP NOT NULL;
ALTER TABLE slots ALTER COLUMN deadline DROP NOT NULL;

-- prove_window: seconds from the draw to the deadline; draw_block: the block whose hash draws the
-- designate. Slots indexed before V2 (a market that drew inside openSlot) get prove_window 0 and their
-- opening block as draw block.
ALTER TABLE slots ADD COLUMN prove_window BIGINT NOT NULL DEFAULT 0 CHECK (prove_window >= 0);
ALTER TABLE slots ADD COLUMN draw_block block_number;
UPDATE slots SET draw_block = opened_block;
ALTER TABLE slots ALTER COLUMN draw_block SET NOT NULL;
ALTER TABLE slots ALTER COLUMN prove_window DROP DEFAULT;

-- The SlotDrawn event (slots indexed before V2 were drawn by their SlotOpened event).
ALTER TABLE slots ADD COLUMN drawn_tx hash32;
ALTER TABLE slots ADD COLUMN drawn_log_index log_index;
ALTER TABLE slots ADD COLUMN drawn_block block_number;
UPDATE slots SET drawn_tx = opened_tx, drawn_log_index = opened_log_index, drawn_block = opened_block;

-- The SlotCancelled event.
ALTER TABLE slots ADD COLUMN cancelled_tx hash32;
ALTER TABLE slots ADD COLUMN cancelled_log_index log_index;
ALTER TABLE slots ADD COLUMN cancelled_block block_number;
ALTER TABLE slots ADD COLUMN no_candidate BOOLEAN;
ALTER TABLE slots ADD COLUMN cancel_refunded uint256;

-- New states (V1 had OPEN = drawn and not settled).
ALTER TABLE slots DROP CONSTRAINT slots_state_check;
ALTER TABLE slots DROP CONSTRAINT slots_check;
ALTER TABLE slots DROP CONSTRAINT slots_check1;
UPDATE slots SET state = 'DRAWN' WHERE state = 'OPEN';
ALTER TABLE slots ADD CONSTRAINT slots_state_check CHECK (state IN ('OPEN', 'DRAWN', 'SETTLED', 'CANCELLED'));
ALTER TABLE slots ADD CONSTRAINT slots_drawn_check CHECK (
    (drawn_tx IS NULL) = (state IN ('OPEN', 'CANCELLED'))
    AND (drawn_tx IS NULL OR (drawn_log_index IS NOT NULL AND drawn_block IS NOT NULL
        AND designate IS NOT NULL AND seed IS NOT NULL AND deadline IS NOT NULL))
    AND (drawn_tx IS NOT NULL OR (designate IS NULL AND seed IS NULL AND deadline IS NULL)));
ALTER TABLE slots ADD CONSTRAINT slots_settled_check CHECK (
    (state = 'SETTLED') = (settled_tx IS NOT NULL)
    AND (settled_tx IS NULL OR (settled_log_index IS NOT NULL AND settled_block IS NOT NULL
        AND designate_delivered IS NOT NULL AND committee_deliveries IS NOT NULL
        AND designate_payout IS NOT NULL AND committee_payout_each IS NOT NULL
        AND refunded IS NOT NULL AND slashed IS NOT NULL)));
ALTER TABLE slots ADD CONSTRAINT slots_cancelled_check CHECK (
    (state = 'CANCELLED') = (cancelled_tx IS NOT NULL)
    AND (cancelled_tx IS NULL OR (cancelled_log_index IS NOT NULL AND cancelled_block IS NOT NULL
        AND no_candidate IS NOT NULL AND cancel_refunded IS NOT NULL)));

-- The keeper's queries: drawn slots by deadline, undrawn slots by draw block.
DROP INDEX slots_open;
CREATE INDEX slots_due ON slots (deadline) WHERE state = 'DRAWN';
CREATE INDEX slots_undrawn ON slots (draw_block) WHERE state = 'OPEN';

-- Circuit terms as set (CircuitTermsSet): what a slot of the circuit must offer, from effective_at on.
CREATE TABLE circuit_terms (
    tx_hash           hash32 NOT NULL,
    log_index         log_index NOT NULL,
    block_number      block_number NOT NULL,
    circuit_id        uint256 NOT NULL REFERENCES circuits (id),
    min_proof_price   uint256 NOT NULL,
    min_prove_window  BIGINT NOT NULL CHECK (min_prove_window >= 0),
    max_prove_window  BIGINT NOT NULL CHECK (max_prove_window >= min_prove_window),
    effective_at      BIGINT NOT NULL CHECK (effective_at >= 0),
    PRIMARY KEY (tx_hash, log_index)
);
CREATE INDEX circuit_terms_circuit ON circuit_terms (circuit_id, block_number, log_index);

-- Opt-ins and opt-outs of provers (OptedIn / OptedOut), as emitted; a prover's circuits are those whose
-- latest event is an opt-in.
CREATE TABLE circuit_opt_ins (
    tx_hash       hash32 NOT NULL,
    log_index     log_index NOT NULL,
    block_number  block_number NOT NULL,
    prover        eth_address NOT NULL,
    circuit_id    uint256 NOT NULL REFERENCES circuits (id),
    opted_in      BOOLEAN NOT NULL,
    PRIMARY KEY (tx_hash, log_index)
);
CREATE INDEX circuit_opt_ins_prover ON circuit_opt_ins (prover, circuit_id, block_number, log_index);
CREATE INDEX circuit_opt_ins_circuit ON circuit_opt_ins (circuit_id);
