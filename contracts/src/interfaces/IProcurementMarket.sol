// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {SlotTerms, SlotState, CircuitTerms, FailurePolicy, SlotParameters} from "../types/MarketTypes.sol";
import {IProverRegistry} from "./IProverRegistry.sol";
import {ICircuitDirectory} from "./ICircuitDirectory.sol";
import {IResultMarket} from "./IResultMarket.sol";

/// @title IProcurementMarket
/// @notice Errors and events of `ProcurementMarket` (docs/DESIGN.md §3), and what the registry asks it (`isCircuit`).
///         Amounts in ERC-20 base units of the market's token; `mixingProbability` is p scaled by 1e18; times in
///         unix seconds; blocks are block numbers.
interface IProcurementMarket is ICircuitDirectory, IResultMarket {
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
    error Market_InvalidCircuitTerms(
        uint256 minProofPrice, uint64 minProveWindow, uint64 maxProveWindow, uint64 unbondingDelay
    );
    /// @notice The circuit's terms are not in force yet (a new circuit under notice).
    error Market_CircuitNotActive(uint256 circuitId, uint64 activeFrom);
    /// @notice The proof price is below the circuit's minimum.
    error Market_ProofPriceBelowMinimum(uint256 circuitId, uint256 proofPrice, uint256 minProofPrice);
    /// @notice The prove window is outside the circuit's bounds.
    error Market_ProveWindowOutOfRange(
        uint256 circuitId, uint64 proveWindow, uint64 minProveWindow, uint64 maxProveWindow
    );
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
    event SlotDrawn(
        uint256 indexed slotId, address indexed designate, bytes32 seed, uint64 deadline, uint256 drawBlock
    );
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
    /// @notice The slot bond (designate stake locked per new slot) and keeper fee (per failed slot, out of the seized
    ///         bond) were set, in force from `effectiveAt` (unix s): after `termsNotice()`, or at once at deployment.
    event SlotParametersSet(uint256 slotBond, uint256 keeperFee, uint64 effectiveAt);

    // ---------------------------------------------------------------- functions
    /// @notice Sets the designate stake locked by slots opened after a notice of `termsNotice()` (the unbonding
    ///         delay), like circuit terms, so a prover can leave before a larger stake binds it; open slots keep theirs.
    ///         Builds on the latest keeper fee set (in force or under notice); a change still under notice is replaced.
    /// @dev Requirements: PARAMETER_ADMIN_ROLE; `slotBond_ <= registry.minBond()` (`Market_InvalidSlotBond`) and
    ///      `keeperFee <= slotBond_` (`Market_InvalidKeeperFee`). Emits `SlotParametersSet`.
    /// @param slotBond_ Base units.
    function setSlotBond(uint256 slotBond_) external;

    /// @notice Sets the keeper fee of slots opened after the same notice: paid to whoever settles a failed slot, out of
    ///         the designate's seized bond, so the stake that insures the requester is `stakeAtRisk() = slotBond -
    ///         keeperFee + correlatedStake`. Builds on the latest slot bond set.
    /// @dev Requirements: PARAMETER_ADMIN_ROLE; `keeperFee_ <= slotBond` (`Market_InvalidKeeperFee`). Emits
    ///      `SlotParametersSet`.
    /// @param keeperFee_ Base units.
    function setKeeperFee(uint256 keeperFee_) external;

    /// @notice Designate stake locked per new slot in force now (base units); <= registry.minBond().
    function slotBond() external view returns (uint256);

    /// @notice Keeper fee of new slots in force now (base units); <= slotBond.
    function keeperFee() external view returns (uint256);

    /// @notice Slot bond and keeper fee under notice (all zero when none, or once in force).
    function pendingSlotParameters() external view returns (SlotParameters memory);

    /// @notice The stake B (base units) a slot opened now hands to the requester and committee if its designate
    ///         fails: `slotBond - keeperFee + correlatedStake`. Exact, not a hope: every eligible prover has at least
    ///         `minBond >= slotBond` unlocked, so the full slotBond is always locked and seized, and a slot opens only
    ///         if the committee pool has `correlatedStake` unlocked (else `openSlot` reverts with the registry's
    ///         `Registry_InsufficientFreeBond(COMMITTEE_POOL, ...)`). Divide by the proof price for the `B` of
    ///         `payment-rules` (docs/MECHANISM.md §6).
    function stakeAtRisk() external view returns (uint256);

    /// @notice Registers a gnark-exported Groth16 verifier as a circuit, with an optional payload checker and the
    ///         terms its provers accept. The circuit takes slots only from `block.timestamp + termsNotice()`: provers
    ///         see it (and its terms) a full notice before any slot can bind them, and opt in (`ProverRegistry.optIn`)
    ///         if they accept.
    /// @dev Requirements: CIRCUIT_ADMIN_ROLE; `verifier` has code (`Market_VerifierHasNoCode`); `checker` is zero or
    ///      has code (`Market_CheckerHasNoCode`); valid terms (`Market_InvalidCircuitTerms`). The verifier must expose
    ///      `verifyProof(uint256[8] proof, uint256[N] input)` that reverts on an invalid proof, with
    ///      N = numFixedInputs + numOutputs + 1 (the last input is the binding). A circuit's verifier and checker never
    ///      change. Emits `CircuitRegistered`, `CircuitTermsSet`.
    /// @param verifier Verifier contract.
    /// @param numFixedInputs Number of public inputs fixed at `openSlot`.
    /// @param numOutputs Number of public inputs supplied at `submitProof`.
    /// @param checker `IPayloadChecker` that `openSlot` asks whether the fixed inputs match the payload (zero: none).
    /// @param minProofPrice Least proof price of a slot (base units).
    /// @param minProveWindow Shortest prove window of a slot (s).
    /// @param maxProveWindow Longest prove window of a slot (s), below the unbonding delay.
    /// @return circuitId The new circuit's id (0, 1, 2, ...).
    function registerCircuit(
        address verifier,
        uint8 numFixedInputs,
        uint8 numOutputs,
        address checker,
        uint128 minProofPrice,
        uint32 minProveWindow,
        uint32 maxProveWindow
    ) external returns (uint256 circuitId);

    /// @notice Sets new terms for a circuit, in force from `block.timestamp + termsNotice()`; until then the terms
    ///         in force stay. A second call before the first took effect replaces it (with a fresh notice).
    /// @dev Requirements: CIRCUIT_ADMIN_ROLE; the circuit exists (`Market_UnknownCircuit`); valid terms
    ///      (`Market_InvalidCircuitTerms`). Emits `CircuitTermsSet`.
    /// @param circuitId The circuit.
    /// @param minProofPrice Least proof price of a slot (base units).
    /// @param minProveWindow Shortest prove window of a slot (s).
    /// @param maxProveWindow Longest prove window of a slot (s), below the unbonding delay.
    function setCircuitTerms(uint256 circuitId, uint128 minProofPrice, uint32 minProveWindow, uint32 maxProveWindow)
        external;

    /// @notice The terms of `circuitId` in force now (for a new circuit: the terms it will start with, with their
    ///         `effectiveAt`). Reverts `Market_UnknownCircuit`.
    function circuitTerms(uint256 circuitId) external view returns (CircuitTerms memory);

    /// @notice Terms of `circuitId` under notice (all zero when none, or once they are in force).
    function pendingCircuitTerms(uint256 circuitId) external view returns (CircuitTerms memory t);

    /// @notice Notice (s) between setting circuit terms (or registering a circuit) and their taking effect: the
    ///         registry's unbonding delay, so a prover can opt out, or unbond entirely, first.
    function termsNotice() external view returns (uint64);

    /// @notice Draws the slot's designate: anyone may call (agents and keepers do) from block
    ///         `openBlock + drawDelay + 1` while that block's hash is readable (`BLOCKHASH_HORIZON`). The random
    ///         word is keccak256(abi.encode(blockhash(openBlock + drawDelay), slotId, market)); the registry samples
    ///         the circuit's member list with it (`ProverRegistry.drawAndLock`: uniform over the slot's eligible
    ///         provers that can still lock) and locks the designate's bond (and `correlatedStake` of the
    ///         committee pool). The prove window starts now. If no candidate qualifies the slot is cancelled at once
    ///         with a full refund and no slash.
    /// @dev Requirements: `terms` match (`Market_TermsMismatch`); not drawn (`Market_AlreadyDrawn`) nor cancelled
    ///      (`Market_AlreadySettled`); `block.number > openBlock + drawDelay` (`Market_DrawTooEarly`); the draw
    ///      block's hash is readable (`Market_DrawExpired`). Emits `SlotDrawn` (and the registry's `BondLocked`) or
    ///      `SlotCancelled`.
    /// @param slotId The slot.
    /// @param terms The slot's terms, as in `SlotOpened`.
    /// @return designate The drawn designate (address(0) when the slot was cancelled).
    function draw(uint256 slotId, SlotTerms calldata terms) external returns (address designate);

    /// @notice Cancels a slot nobody drew while its draw block's hash was readable: the escrow is credited back to
    ///         the requester; nobody is slashed (no bond was locked). Anyone may call, also while paused.
    /// @dev Requirements: `terms` match; not drawn (`Market_AlreadyDrawn`) nor settled (`Market_AlreadySettled`);
    ///      `block.number > openBlock + drawDelay + BLOCKHASH_HORIZON` (`Market_NotCancellable`). Emits
    ///      `PayoutCredited` (REFUND) and `SlotCancelled`.
    /// @param slotId The slot.
    /// @param terms The slot's terms, as in `SlotOpened`.
    function cancel(uint256 slotId, SlotTerms calldata terms) external;

    /// @notice Submits a Groth16 proof for a slot; the market rebuilds the public inputs
    ///         fixedInputs ‖ outputs ‖ bindingOf(slotId, msg.sender) and calls the circuit's verifier.
    ///         The designate's accepted proof releases its bond (and the slot's committee-pool lock) at once: the
    ///         slot can no longer fail.
    /// @dev Requirements: slot exists; `terms` are the slot's (`Market_TermsMismatch`); drawn (`Market_NotDrawn`);
    ///      `block.timestamp <= deadline` (`Market_DeadlinePassed`); sender has not delivered
    ///      (`Market_AlreadyDelivered`); sender is the designate or was eligible for the circuit when the slot opened
    ///      (`Market_NotInSlotSet`); outputs.length == numOutputs; the verifier accepts (`Market_InvalidProof`, also
    ///      for outputs >= r, which gnark verifiers reject). Emits `ProofSubmitted` (and, for the designate, the
    ///      registry's `BondUnlocked`).
    /// @param slotId The slot.
    /// @param terms The slot's terms, as in `SlotOpened`.
    /// @param outputs Public outputs of the proof (BN254 scalars).
    /// @param proof Groth16 proof in gnark's Solidity layout: [A.x, A.y, B.x1, B.x0, B.y1, B.y0, C.x, C.y]
    ///        (as the verifier expects it; the market passes it through unchanged).
    function submitProof(
        uint256 slotId,
        SlotTerms calldata terms,
        uint256[] calldata outputs,
        uint256[8] calldata proof
    ) external;

    /// @notice Settles a slot after its deadline with the payment rule of docs/MECHANISM.md §3 / §6; anyone may call,
    ///         once, at any time after the deadline (also while paused). All payouts are credited (pull payments).
    /// @dev Designate delivered: the designate gets escrow - committeePrize if j >= 1 committee members delivered
    ///      (each of them is owed floor(committeePrize / j), split dust to the requester), else the escrow; its stake
    ///      is unlocked. Designate failed: escrow refunded to the requester; the locked stake is slashed to this
    ///      contract (the designate is jailed); the caller gets the slot's keeper fee out of it; of the rest
    ///      (B = bondAtRisk - keeperFee + correlatedStake, the correlated part seized from the committee pool):
    ///      PAPER: all to the requester; COMPENSATE_COMMITTEE: committee deliverers are owed
    ///      floor(min(committeePrize, B) / j) each (dust to the requester), the rest goes to the requester.
    ///      Committee shares are credited by `creditCommittee`, so settlement is O(1) however many delivered. Every
    ///      prover payout is split by the prover's registry commission (the rest accrues to its stakers). Zero
    ///      credits are skipped.
    ///      The designate's bond was already released when its proof was accepted.
    ///      Requirements: slot exists; `terms` match (`Market_TermsMismatch`); drawn (`Market_NotDrawn`; an undrawn
    ///      slot is cancelled instead); `block.timestamp > deadline` (`Market_DeadlineNotPassed`); not settled
    ///      (`Market_AlreadySettled`). Emits `PayoutCredited` per credit,
    ///      then `SlotSettled`.
    /// @param slotId The slot.
    /// @param terms The slot's terms, as in `SlotOpened`.
    function settle(uint256 slotId, SlotTerms calldata terms) external;

    /// @notice Credits a committee deliverer's share of a settled slot: floor(committeePrize / j) if the designate
    ///         delivered (kind COMMITTEE), floor(min(committeePrize, B) / j) under COMPENSATE_COMMITTEE if it failed
    ///         (kind SLASH_COMPENSATION), nothing under PAPER if it failed. Anyone may call it for any deliverer (the
    ///         credit always goes to the deliverer and its stakers), also while paused. O(1).
    /// @dev Requirements: slot exists; `terms` match (`Market_TermsMismatch`); settled (`Market_NotSettled`);
    ///      `prover` delivered as a committee member and was not credited yet (`Market_NoCommitteeShare`).
    ///      Emits `PayoutCredited` (when the share is not zero), possibly `StakerRewardAccrued`.
    /// @param slotId The slot.
    /// @param terms The slot's terms, as in `SlotOpened`.
    /// @param prover The committee deliverer.
    /// @return share The amount credited (base units, before the commission split).
    function creditCommittee(uint256 slotId, SlotTerms calldata terms, address prover) external returns (uint256 share);

    /// @notice Moves the stakers' accrued part of `prover`'s payouts into its registry pool, where every share
    ///         (the operator's included) gains pro rata. Anyone may call, also while paused. If the pool has no
    ///         shares any more, the amount is credited to the operator instead, so nothing is ever stuck.
    /// @dev Requirements: something accrued (`Market_NothingToDistribute`). Emits `StakerRewardsDistributed` (with
    ///      `toPool = false` for the fallback credit to the operator's `claimable`) and the registry's `RewardsAdded`.
    /// @param prover The prover whose stakers are paid.
    function distributeStakerRewards(address prover) external;

    /// @notice The prover registry.
    function registry() external view returns (IProverRegistry);

    /// @notice Mutable state of a slot (terms hash, deadline, deliveries, flags). Reverts `Market_UnknownSlot`.
    function slotState(uint256 slotId) external view returns (SlotState memory);

    /// @notice keccak256(abi.encode(terms)): the hash a slot stores.
    function hashTerms(SlotTerms calldata terms) external pure returns (bytes32);

    /// @notice Whether `prover` delivered a valid proof for `slotId` as a committee member and its share was not
    ///         credited yet (`creditCommittee`).
    function committeeShareOwed(uint256 slotId, address prover) external view returns (bool);

    /// @notice The binding public input of `prover` for `slotId` (docs/DESIGN.md §3):
    ///         uint256(keccak256(abi.encode(block.chainid, address(this), slotId, prover))) mod r (BN254).
    function bindingOf(uint256 slotId, address prover) external view returns (uint256 binding);
}
