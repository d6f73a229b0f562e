// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SlotTerms, ResultStatus} from "../types/MarketTypes.sol";

/// @title IResultMarket
/// @notice What a consumer contract needs from `ProcurementMarket`: open a slot whose result stays readable on chain,
///         read that result, and claim what the market credits it (escrow refunds and, when the designate failed, its
///         seized bond). `IProcurementMarket` extends it; `examples/BatchRollup.sol` uses nothing else.
/// @dev Amounts in ERC-20 base units of `token()`; `mixingProbability` is p scaled by 1e18; times in unix seconds.
///      A result is `keccak256(abi.encodePacked(outputs))` of the FIRST proof the market accepted for the slot
///      (designate or committee member), `outputs` being the proof's public outputs in the circuit's order. Every
///      accepted proof is a valid Groth16 proof of the circuit for the slot's fixed inputs, so for a circuit whose
///      outputs are a function of its payload (every bundled circuit) every accepted proof has the same outputs.
///      A consumer checks a claimed result with `resultOf(slotId)` and `keccak256(abi.encodePacked(claimed))`.
interface IResultMarket {
    /// @notice A slot opened with `keepResult` kept the outputs of its first accepted proof.
    /// @param slotId The slot.
    /// @param prover Who delivered that proof.
    /// @param outputsHash keccak256(abi.encodePacked(outputs)).
    event ResultKept(uint256 indexed slotId, address indexed prover, bytes32 outputsHash);

    /// @notice Opens a slot: checks the circuit's terms, fixes the eligible set (n and the registry's eligibility
    ///         epoch: the provers opted into the circuit, bonded, not jailed) and escrows T * proofPrice from the
    ///         caller. The designate is drawn later by `draw`, from the hash of block `block.number + drawDelay`,
    ///         which does not exist when this transaction is built.
    /// @dev docs/MECHANISM.md §3, §6. m = n - 1; T, Q from the integer recipe (contract notes). Bond at risk = slotBond
    ///      and keeper fee in force now, fixed for the slot. Stores keccak256(abi.encode(terms)) (designate and seed
    ///      zero) and the state word; the terms are in `SlotOpened`.
    ///      Requirements: not paused; circuit exists (`Market_UnknownCircuit`) and its terms are in force
    ///      (`Market_CircuitNotActive`); `proofPrice >= minProofPrice` (`Market_ProofPriceBelowMinimum`);
    ///      `minProveWindow <= proveWindow <= maxProveWindow` (`Market_ProveWindowOutOfRange`);
    ///      fixedInputs.length == numFixedInputs and each < r; the circuit's payload checker (if any) accepts
    ///      (`Market_UnprovableSlot`); p <= 1e18; n > 0 (`Market_NoEligibleProvers`); escrow <= maxEscrow
    ///      (`Market_EscrowAboveMax`); the caller approved `escrow`. Emits `SlotOpened`.
    /// @param circuitId Circuit to prove.
    /// @param fixedInputs Public inputs fixed by the requester (BN254 scalars).
    /// @param payload Input payload for the provers (only its hash is kept; the bytes are in the event).
    /// @param proofPrice Price of one proof (base units).
    /// @param mixingProbability Committee mixing probability p scaled by 1e18.
    /// @param proveWindow Seconds from the draw to the deadline (inclusive).
    /// @param maxEscrow Most the caller agrees to escrow (base units): a prover set that grew just before this
    ///        transaction cannot raise T silently.
    /// @param keepResult Whether the market keeps the outputs hash of the slot's first accepted proof (`resultOf`):
    ///        the requester prepays that storage word here (about 22k gas), the prover whose proof is accepted first
    ///        pays its update and `ResultKept` (about 7.4k), later proofs nothing (the status sits in the slot's state
    ///        word). A slot without it pays nothing for results (docs/BENCHMARKS.md).
    /// @return slotId The new slot's id.
    /// @return terms The slot's terms before the draw (`draw` adds the designate and the seed).
    function openSlot(
        uint256 circuitId,
        uint256[] calldata fixedInputs,
        bytes calldata payload,
        uint256 proofPrice,
        uint256 mixingProbability,
        uint64 proveWindow,
        uint256 maxEscrow,
        bool keepResult
    ) external returns (uint256 slotId, SlotTerms memory terms);

    /// @notice The result of a slot: NOT_KEPT (opened without `keepResult`), PENDING (no proof accepted yet, one may still
    ///         come), DELIVERED (`outputsHash` is the first accepted proof's) or FAILED (kept, but no proof was accepted
    ///         and none can be any more: the prove window closed, or the slot was cancelled).
    /// @dev Reverts `Market_UnknownSlot` for a slot never opened.
    /// @param slotId The slot.
    /// @return status See above.
    /// @return outputsHash keccak256(abi.encodePacked(outputs)) when DELIVERED, else zero.
    function resultOf(uint256 slotId) external view returns (ResultStatus status, bytes32 outputsHash);

    /// @notice Transfers everything credited to `msg.sender` (also while paused).
    /// @dev Requirements: something to claim (`Market_NothingToClaim`). Emits `Claimed`.
    function claim() external;

    /// @notice Credited, not yet claimed tokens of `account` (base units).
    function claimable(address account) external view returns (uint256);

    /// @notice The payment token.
    function token() external view returns (IERC20);
}
