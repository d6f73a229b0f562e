-- Procura coordinator store (docs/DESIGN.md §5). PostgreSQL only.
--
-- Conventions
--   * token amounts are uint256 ERC-20 base units: NUMERIC(78,0) constrained to [0, 2^256)
--   * the mixing probability p is an integer scaled by 1e18, in [0, 1e18]
--   * addresses are lowercase 0x-prefixed hex (20 bytes), hashes lowercase 0x hex (32 bytes)
--   * block numbers are BIGINT, deadlines unix seconds (BIGINT)
--   * every row that mirrors a contract event carries (tx_hash, log_index) as its key, so the
--     indexer can replay a block and every insert is a no-op (ON CONFLICT DO NOTHING)

CREATE DOMAIN uint256 AS NUMERIC(78, 0)
    CHECK (VALUE >= 0 AND VALUE <= 115792089237316195423570985008687907853269984665640564039457584007913129639935);
CREATE DOMAIN eth_address AS TEXT CHECK (VALUE ~ '^0x[0-9a-f]{40}$');
CREATE DOMAIN hash32 AS TEXT CHECK (VALUE ~ '^0x[0-9a-f]{64}$');
CREATE DOMAIN block_number AS BIGINT CHECK (VALUE >= 0);
CREATE DOMAIN log_index AS INTEGER CHECK (VALUE >= 0);

-- Where each indexer stands: the last block whose events are fully stored.
CREATE TABLE chain_cursor (
    name        TEXT PRIMARY KEY,
    last_block  block_number NOT NULL,
    block_hash  hash32,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Registered provers (ProverRegistry registration events; state, one row per prover).
CREATE TABLE provers (
    address           eth_address PRIMARY KEY,
    endpoint          TEXT NOT NULL,
    vrf_key_hash      hash32 NOT NULL,
    registered_block  block_number NOT NULL,
    updated_block     block_number NOT NULL
);

-- Every bond-changing registry event (bonded, unbond requested, withdrawn, locked, unlocked,
-- slashed, jailed, unjailed, delegated, ...), exactly as emitted.
CREATE TABLE bond_events (
    tx_hash       hash32 NOT NULL,
    log_index     log_index NOT NULL,
    block_number  block_number NOT NULL,
    prover        eth_address NOT NULL,
    kind          TEXT NOT NULL CHECK (length(kind) > 0),
    account       eth_address,
    amount        uint256 NOT NULL,
    PRIMARY KEY (tx_hash, log_index)
);
CREATE INDEX bond_events_prover ON bond_events (prover, block_number, log_index);

-- Current bond state of each prover, as of the newest bond event stored.
CREATE TABLE bond_state (
    prover            eth_address PRIMARY KEY,
    bond              uint256 NOT NULL,
    locked            uint256 NOT NULL,
    pending_unbond    uint256 NOT NULL,
    jailed            BOOLEAN NOT NULL,
    updated_block     block_number NOT NULL,
    updated_log_index log_index NOT NULL
);

-- Circuits registered with the market.
CREATE TABLE circuits (
    id                  uint256 PRIMARY KEY,
    verifier            eth_address NOT NULL,
    num_fixed_inputs    INTEGER NOT NULL CHECK (num_fixed_inputs >= 0),
    num_outputs         INTEGER NOT NULL CHECK (num_outputs >= 0),
    tx_hash             hash32 NOT NULL,
    log_index           log_index NOT NULL,
    block_number        block_number NOT NULL,
    UNIQUE (tx_hash, log_index)
);

-- One row per slot: the SlotOpened fields, then the SlotSettled fields once settled.
CREATE TABLE slots (
    slot_id                 uint256 PRIMARY KEY,
    circuit_id              uint256 NOT NULL,
    requester               eth_address NOT NULL,
    designate               eth_address NOT NULL,
    eligible_count          INTEGER NOT NULL CHECK (eligible_count >= 1),
    mixing_probability      NUMERIC(78, 0) NOT NULL
                            CHECK (mixing_probability >= 0 AND mixing_probability <= 1000000000000000000),
    proof_price             uint256 NOT NULL,
    escrow                  uint256 NOT NULL,
    committee_prize         uint256 NOT NULL,
    bond_at_risk            uint256 NOT NULL,
    deadline                BIGINT NOT NULL CHECK (deadline >= 0),
    seed                    hash32 NOT NULL,
    payload                 BYTEA,
    fixed_inputs            NUMERIC(78, 0)[] NOT NULL,
    state                   TEXT NOT NULL DEFAULT 'OPEN' CHECK (state IN ('OPEN', 'SETTLED')),
    opened_tx               hash32 NOT NULL,
    opened_log_index        log_index NOT NULL,
    opened_block            block_number NOT NULL,
    settled_tx              hash32,
    settled_log_index       log_index,
    settled_block           block_number,
    designate_delivered     BOOLEAN,
    committee_deliveries    INTEGER CHECK (committee_deliveries >= 0),
    designate_payout        uint256,
    committee_payout_each   uint256,
    refunded                uint256,
    slashed                 uint256,
    UNIQUE (opened_tx, opened_log_index),
    CHECK ((state = 'OPEN') = (settled_tx IS NULL)),
    CHECK (state = 'OPEN' OR (settled_log_index IS NOT NULL AND settled_block IS NOT NULL
        AND designate_delivered IS NOT NULL AND committee_deliveries IS NOT NULL
        AND designate_payout IS NOT NULL AND committee_payout_each IS NOT NULL
        AND refunded IS NOT NULL AND slashed IS NOT NULL))
);
CREATE INDEX slots_newest ON slots (opened_block DESC, opened_log_index DESC);
CREATE INDEX slots_open ON slots (deadline) WHERE state = 'OPEN';
CREATE INDEX slots_designate ON slots (designate);

-- Accepted proofs (ProofSubmitted events).
CREATE TABLE deliveries (
    tx_hash       hash32 NOT NULL,
    log_index     log_index NOT NULL,
    block_number  block_number NOT NULL,
    slot_id       uint256 NOT NULL REFERENCES slots (slot_id),
    prover        eth_address NOT NULL,
    is_designate  BOOLEAN NOT NULL,
    outputs       NUMERIC(78, 0)[] NOT NULL,
    gas_used      BIGINT NOT NULL CHECK (gas_used >= 0),
    PRIMARY KEY (tx_hash, log_index)
);
CREATE INDEX deliveries_slot ON deliveries (slot_id);
CREATE INDEX deliveries_prover ON deliveries (prover);

-- Amounts credited by settlement (pull payments: designate, committee, refund, compensation ...).
CREATE TABLE payouts (
    tx_hash       hash32 NOT NULL,
    log_index     log_index NOT NULL,
    block_number  block_number NOT NULL,
    slot_id       uint256 NOT NULL REFERENCES slots (slot_id),
    account       eth_address NOT NULL,
    amount        uint256 NOT NULL,
    kind          TEXT NOT NULL CHECK (length(kind) > 0),
    PRIMARY KEY (tx_hash, log_index)
);
CREATE INDEX payouts_slot ON payouts (slot_id);
CREATE INDEX payouts_account ON payouts (account);

-- Withdrawals of credited amounts.
CREATE TABLE claims (
    tx_hash       hash32 NOT NULL,
    log_index     log_index NOT NULL,
    block_number  block_number NOT NULL,
    account       eth_address NOT NULL,
    amount        uint256 NOT NULL,
    PRIMARY KEY (tx_hash, log_index)
);
CREATE INDEX claims_account ON claims (account);

-- Bonds seized from a designate that failed its slot.
CREATE TABLE slashes (
    tx_hash       hash32 NOT NULL,
    log_index     log_index NOT NULL,
    block_number  block_number NOT NULL,
    slot_id       uint256 NOT NULL REFERENCES slots (slot_id),
    prover        eth_address NOT NULL,
    amount        uint256 NOT NULL,
    recipient     eth_address NOT NULL,
    PRIMARY KEY (tx_hash, log_index)
);
CREATE INDEX slashes_slot ON slashes (slot_id);
CREATE INDEX slashes_prover ON slashes (prover);
