// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {SlotTerms, CircuitTerms} from "../types/MarketTypes.sol";
import {ICircuitDirectory} from "./ICircuitDirectory.sol";

/// @title IProcurementMarket
/// @notice Errors and events of `ProcurementMarket` (DESIGN.md §3), and what the registry asks it (`isCircuit`).
///         Amounts in ERC-20 base units of the market's token; `mixingProbability` is p scaled by 1e18; times in
///         unix seconds; blocks are block numbers.
interface IProcurementMarket is ICircuitDirectory {
    // ---------------------------------------------------------------- errors
    /// @notice A constructor argument is the zero address.
    error Market_ZeroAddress();
    /// @notice The mixing probability p (scaled 1e18) is above 1e18.
    error Market_InvalidMixingProbability(uint256 mixingProbability);
    /// @notice The registry's bond token differs from the market's token.
    error Market_TokenMismatch(address marketToken, address registryToken);
    /// @notice The verifier address holds no code.
    error Market_VerifierHasNoCode(address verifier);
    /// @notice No circuit with this id.
    error Market_UnknownCircuit(uint256 circuitId);
    /// @notice No slot with this id.
    error Market_UnknownSlot(uint256 slotId);
    /// @notice Wrong number of fixed inputs for the circuit.
    error Market_FixedInputCountMismatch(uint256 circuitId, uint256 expected, uint256 actual);
    /// @notice Wrong number of outputs for the circuit.
    error Market_OutputCountMismatch(uint256 slotId, uint256 expected, uint256 actual);
    /// @notice A fixed input is not a BN254 scalar (>= r): the slot would be unprovable.
    error Market_InputNotInField(uint256 index, uint256 value);
    /// @notice proofPrice == 0.
    error Market_ZeroProofPrice();
    /// @notice Circuit terms with a zero minimum price, a zero or inverted window range, or a maximum window not
    ///         below the unbonding delay.
    error Market_InvalidCircuitTerms(uint256 minProofPrice, uint64 minProveWindow, uint64 maxProveWindow, uint64 unbondingDelay);
    /// @notice The circuit's terms are not in force yet (a new circuit under notice).
    error Market_CircuitNotActive(uint256 circuitId, uint64 activeFrom);
    /// @notice The proof price is below the circuit's minimum.
    error Market_ProofPriceBelowMinimum(uint256 circuitId, uint256 proofPrice, uint256 minProofPrice);
    /// @notice The prove window is outside the circuit's bounds.
    error Market_ProveWindowOutOfRange(uint256 circuitId, uint64 proveWindow, uint64 minProveWindow, uint64 maxProveWindow);
    /// @notice T * proofPrice is above the requester's `maxEscrow`.
    error Market_EscrowAboveMax(uint256 escrow, uint256 maxEscrow);
    /// @notice The draw delay must be in [1, BLOCKHASH_HORIZON).
    error Market_InvalidDrawDelay(uint256 drawDelay);
    /// @notice `draw` before block `openBlock + drawDelay` exists (`drawableFrom` is the first block it may run in).
    error Market_DrawTooEarly(uint256 slotId, uint256 drawableFrom, uint256 blockNumber);
    /// @notice `draw` after the draw block's hash left the `BLOCKHASH` horizon: the slot can only be cancelled.
    error Market_DrawExpired(uint256 slotId, uint256 drawBlock);
    /// @notice `draw` on a slot already drawn.
    error Market_AlreadyDrawn(uint256 slotId);
    /// @notice A proof or settlement for a slot not drawn yet.
    error Market_NotDrawn(uint256 slotId);
    /// @notice `cancel` while the slot can still be drawn (`cancellableFrom` is the first block it may run in).
    error Market_NotCancellable(uint256 slotId, uint256 cancellableFrom, uint256 blockNumber);
    /// @notice The circuit has no eligible prover.
    error Market_NoEligibleProvers(uint256 circuitId);
    /// @notice The deadline passed (submitProof).
    error Market_DeadlinePassed(uint256 slotId, uint64 deadline, uint256 nowTime);
    /// @notice The deadline has not passed yet (settle).
    error Market_DeadlineNotPassed(uint256 slotId, uint64 deadline, uint256 nowTime);
    /// @notice The prover already delivered a proof for this slot.
    error Market_AlreadyDelivered(uint256 slotId, address prover);
    /// @notice The sender is neither the designate nor was eligible when the slot opened.
    error Market_NotInSlotSet(uint256 slotId, address prover);
    /// @notice The Groth16 verifier rejected the proof (or reverted for another reason).
    error Market_InvalidProof(uint256 slotId, address prover);
    /// @notice `settle` called twice.
    error Market_AlreadySettled(uint256 slotId);
    /// @notice `claim` with nothing claimable.
    error Market_NothingToClaim(address account);
    /// @notice `distributeStakerRewards` with nothing accrued.
    error Market_NothingToDistribute(address prover);
    /// @notice slotBond above the registry's minBond (an eligible prover could not lock it) or below keeperFee.
    error Market_InvalidSlotBond(uint256 slotBond, uint256 minBond, uint256 keeperFee);
    /// @notice keeperFee above slotBond.
    error Market_InvalidKeeperFee(uint256 keeperFee, uint256 slotBond);
    /// @notice The registry was bound to another market address at its construction.
    error Market_RegistryNotBound(address registryMarket);
    /// @notice Correlated slashing needs a registry with a committee pool (`committeeSlice() > 0`).
    error Market_NoCommitteePool();
    /// @notice Too many circuits for the packed slot layout (2^32).
    error Market_TooManyCircuits();
    /// @notice The terms passed do not hash to the slot's stored terms hash.
    error Market_TermsMismatch(uint256 slotId, bytes32 expected, bytes32 actual);
    /// @notice The circuit's payload checker found the fixed inputs inconsistent with the payload: no proof could
    ///         ever be accepted for such a slot, so it is not opened.
    error Market_UnprovableSlot(uint256 circuitId, address checker);
    /// @notice The payload checker address holds no code.
    error Market_CheckerHasNoCode(address checker);
    /// @notice `creditCommittee` for an account with no uncredited committee delivery in the slot.
    error Market_NoCommitteeShare(uint256 slotId, address prover);
    /// @notice `creditCommittee` before the slot was settled.
    error Market_NotSettled(uint256 slotId);

    // ---------------------------------------------------------------- events
    /// @notice A circuit was registered.
    event CircuitRegistered(
        uint256 indexed circuitId,
        address indexed verifier,
        uint8 numFixedInputs,
        uint8 numOutputs,
        bytes4 selector,
        address checker
    );
    /// @notice A slot opened with `terms` (designate and seed zero until `SlotDrawn`; its `payloadHash` is
    ///         keccak256(payload)). `draw` may run from block `drawBlock + 1`; the prove window (s) starts then.
    ///         Amounts in base units; `mixingProbability` scaled 1e18.
    event SlotOpened(
        uint256 indexed slotId,
        uint256 indexed circuitId,
        address indexed requester,
        SlotTerms terms,
        uint64 proveWindow,
        uint256 drawBlock,
        bytes payload
    );
    /// @notice The slot's designate was drawn from the hash of block `drawBlock`; the prove window runs until
    ///         `deadline` (unix s, inclusive). Callers add `designate` and `seed` to the `SlotOpened` terms.
    event SlotDrawn(uint256 indexed slotId, address indexed designate, bytes32 seed, uint64 deadline, uint256 drawBlock);
    /// @notice The slot was cancelled before a designate was drawn (`noCandidate`: the draw found no eligible
    ///         prover able to lock its bond; otherwise nobody drew it in time); its escrow was credited back.
    event SlotCancelled(uint256 indexed slotId, bool noCandidate, uint256 refunded);
    /// @notice Circuit `circuitId`'s terms were set; they apply from `terms.effectiveAt`.
    event CircuitTermsSet(uint256 indexed circuitId, CircuitTerms terms);
    /// @notice A valid proof was recorded for the slot.
    event ProofSubmitted(uint256 indexed slotId, address indexed prover, bool designate, uint256[] outputs);
    /// @notice `amount` base units were credited to `account` (`kind`: a `PayoutKind`).
    event PayoutCredited(uint256 indexed slotId, address indexed account, uint256 amount, uint8 kind);
    /// @notice The slot was settled. `committeePayoutEach`: what each committee deliverer is owed (credited by
    ///         `creditCommittee`); `refunded`: escrow credited back to the requester (whole escrow on failure, split
    ///         dust otherwise); `slashed`: designate bond seized.
    event SlotSettled(
        uint256 indexed slotId,
        bool designateDelivered,
        uint256 committeeDeliveries,
        uint256 designatePayout,
        uint256 committeePayoutEach,
        uint256 refunded,
        uint256 slashed
    );
    /// @notice `amount` base units were transferred to `account`.
    event Claimed(address indexed account, uint256 amount);
    /// @notice `amount` base units of `prover`'s payout in slot `slotId` accrued to its stakers (above commission).
    event StakerRewardAccrued(uint256 indexed slotId, address indexed prover, uint256 amount);
    /// @notice Accrued staker rewards of `prover` were moved into its registry pool (`toPool`), or, when the pool has
    ///         no shares, credited to the operator.
    event StakerRewardsDistributed(address indexed prover, uint256 amount, bool toPool);
    /// @notice The slot bond (stake at risk per new slot) was set.
    event SlotBondSet(uint256 slotBond);
    /// @notice The keeper fee (per failed slot, out of the seized bond) was set.
    event KeeperFeeSet(uint256 keeperFee);
}
