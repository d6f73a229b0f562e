// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

// The ABI types of ProcurementMarket (slot terms, slot state, circuit terms, failure policy, payout kinds).

/// @notice What happens to the designate's seized bond when it fails (docs/MECHANISM.md §3).
/// @dev PAPER (0): all of it refunds the requester (Lem. 3.4 with Cor. 3.2).
///      COMPENSATE_COMMITTEE (1): committee deliverers first share min(Q, B), the rest refunds the requester.
enum FailurePolicy {
    PAPER,
    COMPENSATE_COMMITTEE
}

/// @notice Kind of a `PayoutCredited` credit.
/// @dev DESIGNATE (0): the designate's payment. COMMITTEE (1): a committee deliverer's share of the committee
///      prize, credited by `creditCommittee` after settlement. REFUND (2): the escrow back to the requester (designate failed). SLASH_REFUND (3): seized bond
///      handed to the requester. SLASH_COMPENSATION (4): a committee deliverer's share of the seized bond
///      (COMPENSATE_COMMITTEE), credited by `creditCommittee`. DUST (5): rounding remainder of an even split, to the requester. KEEPER_FEE (6):
///      the settler's fee out of a failed designate's seized bond.
enum PayoutKind {
    DESIGNATE,
    COMMITTEE,
    REFUND,
    SLASH_REFUND,
    SLASH_COMPENSATION,
    DUST,
    KEEPER_FEE
}

/// @notice Whether a slot keeps the outputs of its first accepted proof on chain (`resultOf`).
/// @dev NOT_KEPT (0): opened without `keepResult`; the outputs are only in `ProofSubmitted` events. PENDING (1): opened
///      with `keepResult`, no proof accepted yet. DELIVERED (2): the first accepted proof's outputs hash is kept.
///      FAILED (3): only returned by `resultOf`, never stored: a PENDING slot whose prove window closed (or that was
///      cancelled) without an accepted proof.
enum ResultStatus {
    NOT_KEPT,
    PENDING,
    DELIVERED,
    FAILED
}

/// @notice Terms of a slot, fixed when it opens. Only `keccak256(abi.encode(terms))` is stored; callers pass the
///         terms back to `submitProof`, `settle` and `creditCommittee` (they are in the `SlotOpened` event), and the
///         market checks them against the stored hash (`Market_TermsMismatch`).
/// @param requester Account that opened (and funded) the slot.
/// @param designate Prover drawn to deliver (address(0) until `draw`).
/// @param circuitId Circuit to prove.
/// @param verifier The circuit's Groth16 verifier (copied from the circuit so proofs need no circuit lookup).
/// @param selector The verifier's `verifyProof(uint256[8],uint256[N])` selector.
/// @param numOutputs Public inputs a proof supplies (its outputs).
/// @param eligibleCount n: eligible provers when the slot opened (committee size m = n - 1).
/// @param snapshot Registry eligibility epoch when the slot opened (the committee is the eligible set then).
/// @param mixingProbability p scaled by 1e18.
/// @param proofPrice Price of one proof (base units).
/// @param escrow T * proofPrice escrowed from the requester (base units).
/// @param committeePrize Q * proofPrice, capped at escrow (base units).
/// @param bondAtRisk Designate stake locked for the slot: the market's slotBond when the slot opened (base units).
/// @param keeperFee Part of a seized bond paid to whoever settles the failed slot (base units, <= bondAtRisk).
/// @param payloadHash keccak256 of the input payload given at `openSlot`.
/// @param seed Slot seed for the committee's private coins (zero until `draw`).
/// @param fixedInputs Public inputs fixed by the requester (BN254 scalars).
struct SlotTerms {
    address requester;
    address designate;
    uint32 circuitId;
    address verifier;
    bytes4 selector;
    uint8 numOutputs;
    uint32 eligibleCount;
    uint64 snapshot;
    uint64 mixingProbability;
    uint128 proofPrice;
    uint128 escrow;
    uint128 committeePrize;
    uint128 bondAtRisk;
    uint128 keeperFee;
    bytes32 payloadHash;
    bytes32 seed;
    uint256[] fixedInputs;
}

/// @notice Mutable state of a slot: two storage words (the second packs 32 bytes).
/// @param termsHash keccak256(abi.encode(SlotTerms)) (of the terms with the designate and seed once drawn).
/// @param deadline Before `draw`: the prove window (s); after: the last unix second (inclusive) at which proofs are
///        accepted (draw time + prove window).
/// @param committeeDeliveries Number of committee members that delivered (j).
/// @param designateDelivered Whether the designate delivered.
/// @param settled Whether `settle` or `cancel` ran.
/// @param drawn Whether `draw` fixed the designate.
/// @param openBlock Block number of `openSlot`; the draw takes the hash of block `openBlock + drawDelay`.
/// @param listLength The circuit's member-list length when the slot opened: the draw samples those members only.
/// @param result Whether the slot keeps its result and whether it has one (`resultOf`).
struct SlotState {
    bytes32 termsHash;
    uint64 deadline;
    uint32 committeeDeliveries;
    bool designateDelivered;
    bool settled;
    bool drawn;
    uint64 openBlock;
    uint64 listLength;
    ResultStatus result;
}

/// @notice Market-wide slot parameters: the designate stake each new slot locks (`slotBond`) and the part of a failed
///         designate's seized bond paid to whoever settles it (`keeperFee`), both in token base units, in force from
///         `effectiveAt` (unix s; a change waits `termsNotice()`, as circuit terms do).
struct SlotParameters {
    uint96 slotBond;
    uint96 keeperFee;
    uint64 effectiveAt;
}

/// @notice What the provers of a circuit accept: a slot of the circuit must offer at least `minProofPrice` per proof
///         and a prove window within [`minProveWindow`, `maxProveWindow`]. Terms take effect at `effectiveAt`, a
///         notice of `termsNotice()` (the unbonding delay) after they were set, so a prover can opt out (or leave)
///         before new terms bind its bond.
/// @param minProofPrice Least proof price (token base units), > 0.
/// @param minProveWindow Shortest prove window (s), > 0: above the circuit's proving time plus block inclusion.
/// @param maxProveWindow Longest prove window (s), below the unbonding delay: bounds how long a bond stays locked.
/// @param effectiveAt Unix time (s) from which these terms apply.
struct CircuitTerms {
    uint128 minProofPrice;
    uint32 minProveWindow;
    uint32 maxProveWindow;
    uint64 effectiveAt;
}
