// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title ICommitteeDesk
/// @notice What `ProverRegistry` delegatecalls in its `CommitteeDesk`: the bookkeeping of exits from the committee
///         pool (see `CommitteeExits`). Only meaningful as a delegatecall from the registry; a direct call reverts.
interface ICommitteeDesk {
    /// @notice A direct call (not a delegatecall from the registry).
    error CommitteeDesk_NotDelegated();

    /// @notice Locks `amount` tokens (base units) of the committee pool's free stake for slot `slotId`.
    function lock(uint256 slotId, uint256 amount) external;

    /// @notice Ends the committee lock of slot `slotId` (`amount` tokens): released to the pool and the exits that
    ///         share it, or (`seize`) taken from them; the caller transfers seized tokens.
    function endLock(uint256 slotId, uint256 amount, bool seize, address to) external;

    /// @notice Records an exit from the committee pool that leaves `atRisk` tokens (base units) of the pool's own
    ///         locked stake `locked` at risk; emits `CommitteeExitQueued`.
    function enterRisk(address staker, uint256 atRisk, uint256 locked) external;

    /// @notice Walks at most `maxCohorts` cohorts of committee exit `exitId` and pays it when done (see
    ///         `IProverRegistry.withdrawCommitteeExit`, with its errors and events). Returns whether it was paid.
    function withdrawExit(uint256 exitId, uint256 maxCohorts) external returns (bool);
}
