// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

/// @title Governed
/// @notice The one governance model of Procura's contracts: OpenZeppelin `AccessControlDefaultAdminRules` (the default
///         admin changes in two steps, after `ADMIN_TRANSFER_DELAY`; `owner()` is the default admin) and a pause held
///         by `PAUSER_ROLE`. What a pause stops is each contract's choice (`whenNotPaused`); neither contract lets it
///         hold funds hostage.
/// @dev The constructor grants `PAUSER_ROLE` to the admin; further roles are the inheriting contract's.
abstract contract Governed is AccessControlDefaultAdminRules, Pausable {
    /// @notice May pause and unpause.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice Delay of a default-admin transfer (AccessControlDefaultAdminRules), seconds.
    uint48 public constant ADMIN_TRANSFER_DELAY = 2 days;

    /// @param admin Default admin (also gets `PAUSER_ROLE`).
    /// @dev Reverts `AccessControlInvalidDefaultAdmin` for the zero address.
    constructor(address admin) AccessControlDefaultAdminRules(ADMIN_TRANSFER_DELAY, admin) {
        _grantRole(PAUSER_ROLE, admin);
    }

    /// @notice Pauses what the contract guards with `whenNotPaused`.
    /// @dev Requirements: PAUSER_ROLE; not paused. Emits `Paused`.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @notice Lifts `pause`.
    /// @dev Requirements: PAUSER_ROLE; paused. Emits `Unpaused`.
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }
}
