// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @notice What the registry asks the market about circuits (`ProverRegistry.optIn` checks the id).
interface ICircuitDirectory {
    /// @notice Whether `circuitId` is a registered circuit (active or under notice).
    function isCircuit(uint256 circuitId) external view returns (bool);
}
