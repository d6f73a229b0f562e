// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ICircuitDirectory} from "../../src/interfaces/ICircuitDirectory.sol";

/// @notice Stands in for the market in registry unit tests: knows circuits 0 .. count-1 (tests prank as it to call
///         the registry's market-only functions directly).
contract CircuitDirectoryMock is ICircuitDirectory {
    uint256 public count = 16;

    function isCircuit(uint256 circuitId) external view returns (bool) {
        return circuitId < count;
    }
}
