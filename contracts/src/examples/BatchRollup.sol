// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IResultMarket} from "../interfaces/IResultMarket.sol";
import {ResultStatus} from "../types/MarketTypes.sol";

/// @title BatchRollup
/// @notice EXAMPLE consumer contract: a rollup whose state root advances only on a result the Procura market verified.
///         Its operator proposes a batch (the payload of a rollup-batch circuit: the balances, then the transfers;
///         gpu-runtime/go/circuits/rollup) by opening a slot that keeps its result; once a proof is accepted, anyone
///         calls `applyBatch` with the proof's outputs (OldRoot, NewRoot): the market's result must be exactly those
///         outputs, and OldRoot must be the current root, so batches apply in order and a stale batch never does.
///         What the market refunds when a designate fails (the escrow, the seized bond) the operator takes back with
///         `withdraw`; a failed batch is simply proposed again.
/// @dev Uses nothing of the market but `IResultMarket`. Holds no tokens between calls except the market's refunds
///      until `withdraw`: `proposeBatch` pulls exactly the slot's escrow from the operator (the market pulls it from
///      here within the same call). Not audited; a starting point, not a production rollup (no data availability,
///      no forced exits, one operator).
contract BatchRollup {
    using SafeERC20 for IERC20;

    /// @notice The market slots are opened in.
    IResultMarket public immutable market;
    /// @notice The market's payment token.
    IERC20 public immutable token;
    /// @notice The market's id of the rollup-batch circuit this rollup proves with (2 outputs: OldRoot, NewRoot).
    uint256 public immutable circuitId;
    /// @notice Who proposes batches, pays their escrow and takes refunds back.
    address public immutable operator;
    /// @notice The current state root (MiMC Merkle root of the balances; gpu-runtime/go/circuits/rollup).
    uint256 public stateRoot;
    /// @notice Slots opened by `proposeBatch` and not yet applied.
    mapping(uint256 slotId => bool) public pending;

    /// @notice A batch was proposed as slot `slotId`, escrowing `escrow` base units.
    event BatchProposed(uint256 indexed slotId, uint256 escrow);
    /// @notice The batch of `slotId` was applied: the state root moved from `oldRoot` to `newRoot`.
    event BatchApplied(uint256 indexed slotId, uint256 oldRoot, uint256 newRoot);
    /// @notice The operator took back `amount` base units of refunds.
    event Withdrawn(address indexed to, uint256 amount);

    /// @notice Only the operator may call this.
    error BatchRollup_NotOperator(address caller);
    /// @notice `slotId` is not a pending batch of this rollup (never proposed, or already applied).
    error BatchRollup_NotPending(uint256 slotId);
    /// @notice The market holds no delivered result for `slotId` (status as `IResultMarket.resultOf` returned it).
    error BatchRollup_NoResult(uint256 slotId, ResultStatus status);
    /// @notice The claimed outputs are not the market's result for `slotId`.
    error BatchRollup_WrongResult(uint256 slotId, bytes32 expected, bytes32 claimed);
    /// @notice The batch starts from `oldRoot`, not from the current root: stale (or built on a batch not applied).
    error BatchRollup_StaleBatch(uint256 slotId, uint256 oldRoot, uint256 stateRoot);

    /// @param market_ The Procura market.
    /// @param circuitId_ The market's id of a rollup-batch circuit.
    /// @param operator_ Who proposes batches and withdraws refunds.
    /// @param genesisRoot The state root before the first batch.
    constructor(IResultMarket market_, uint256 circuitId_, address operator_, uint256 genesisRoot) {
        market = market_;
        token = market_.token();
        circuitId = circuitId_;
        operator = operator_;
        stateRoot = genesisRoot;
    }

    /// @notice Proposes a batch: opens a slot of the rollup circuit keeping its result, escrowing from the operator
    ///         exactly what the market takes (at most `maxEscrow`; the operator approves this contract for it).
    /// @dev The market's `openSlot` checks the payload against `payloadCommitment` (its payload checker) and reverts
    ///      with its own errors. Emits `BatchProposed`.
    /// @param payload Balances then transfers (the circuit's payload encoding).
    /// @param payloadCommitment The payload's commitment (the circuit's one fixed public input).
    /// @param proofPrice Price of one proof (base units).
    /// @param mixingProbability Committee mixing probability p scaled by 1e18.
    /// @param proveWindow Seconds from the draw to the deadline.
    /// @param maxEscrow Most the operator pays for the slot (base units).
    /// @return slotId The slot the batch is proven in.
    function proposeBatch(
        bytes calldata payload,
        uint256 payloadCommitment,
        uint256 proofPrice,
        uint256 mixingProbability,
        uint64 proveWindow,
        uint256 maxEscrow
    ) external returns (uint256 slotId) {
        if (msg.sender != operator) revert BatchRollup_NotOperator(msg.sender);
        uint256[] memory fixedInputs = new uint256[](1);
        fixedInputs[0] = payloadCommitment;
        token.safeTransferFrom(msg.sender, address(this), maxEscrow);
        token.forceApprove(address(market), maxEscrow);
        uint256 before = token.balanceOf(address(this));
        (slotId,) = market.openSlot(
            circuitId, fixedInputs, payload, proofPrice, mixingProbability, proveWindow, maxEscrow, true
        );
        uint256 escrow = before - token.balanceOf(address(this));
        token.forceApprove(address(market), 0);
        if (escrow < maxEscrow) token.safeTransfer(msg.sender, maxEscrow - escrow);
        pending[slotId] = true;
        emit BatchProposed(slotId, escrow);
    }

    /// @notice Applies the batch of `slotId`: the market's result must be `(oldRoot, newRoot)` and `oldRoot` the
    ///         current root. Anyone may call (the roots are in the market's `ProofSubmitted` event).
    /// @dev Reverts `BatchRollup_NotPending`, `BatchRollup_NoResult`, `BatchRollup_WrongResult`,
    ///      `BatchRollup_StaleBatch`. Emits `BatchApplied`.
    /// @param slotId The batch's slot.
    /// @param oldRoot The proof's OldRoot output.
    /// @param newRoot The proof's NewRoot output.
    function applyBatch(uint256 slotId, uint256 oldRoot, uint256 newRoot) external {
        if (!pending[slotId]) revert BatchRollup_NotPending(slotId);
        (ResultStatus status, bytes32 result) = market.resultOf(slotId);
        if (status != ResultStatus.DELIVERED) revert BatchRollup_NoResult(slotId, status);
        bytes32 claimed = keccak256(abi.encodePacked(oldRoot, newRoot));
        if (claimed != result) revert BatchRollup_WrongResult(slotId, result, claimed);
        if (oldRoot != stateRoot) revert BatchRollup_StaleBatch(slotId, oldRoot, stateRoot);
        delete pending[slotId];
        stateRoot = newRoot;
        emit BatchApplied(slotId, oldRoot, newRoot);
    }

    /// @notice Claims what the market credited this rollup (refunds of failed batches) and sends every token this
    ///         contract holds to the operator.
    /// @dev Operator only (`BatchRollup_NotOperator`). Emits `Withdrawn`.
    /// @return amount Tokens sent (base units).
    function withdraw() external returns (uint256 amount) {
        if (msg.sender != operator) revert BatchRollup_NotOperator(msg.sender);
        if (market.claimable(address(this)) != 0) market.claim();
        amount = token.balanceOf(address(this));
        token.safeTransfer(msg.sender, amount);
        emit Withdrawn(msg.sender, amount);
    }
}
