// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {StakePools} from "./abstracts/StakePools.sol";
import {CommitteeExits} from "./abstracts/CommitteeExits.sol";
import {ICommitteeDesk} from "./interfaces/ICommitteeDesk.sol";

/// @title CommitteeDesk
/// @notice The code of the committee pool's exit bookkeeping (`CommitteeExits`), kept out of `ProverRegistry` so that
///         the registry stays under EIP-170's 24,576-byte limit. The registry creates one in its constructor and
///         delegatecalls it: the desk's code then runs on the registry's storage (same layout: both inherit
///         `CommitteeExits`, whose storage comes first in the registry's linearization) and the registry's token
///         balance. Called directly it reverts; it holds nothing and owns nothing.
contract CommitteeDesk is CommitteeExits, ICommitteeDesk {
    address private immutable _self;

    /// @param token_ The registry's bond token (the same immutable as the registry's).
    /// @param unbondingDelay_ The registry's unbonding delay (s).
    constructor(IERC20 token_, uint64 unbondingDelay_) StakePools(token_, unbondingDelay_) CommitteeExits(address(0)) {
        _self = address(this);
    }

    modifier onlyDelegated() {
        if (address(this) == _self) revert CommitteeDesk_NotDelegated();
        _;
    }

    /// @inheritdoc ICommitteeDesk
    function lock(uint256 slotId, uint256 amount) external onlyDelegated {
        _lockCommittee(slotId, amount);
    }

    /// @inheritdoc ICommitteeDesk
    function endLock(uint256 slotId, uint256 amount, bool seize, address to) external onlyDelegated {
        if (seize) _seizeCommittee(slotId, amount, to);
        else _unlockCommittee(slotId, amount);
    }

    /// @inheritdoc ICommitteeDesk
    function enterRisk(address staker, uint256 atRisk, uint256 locked) external onlyDelegated {
        _enterCommitteeRisk(staker, atRisk, locked);
    }

    /// @inheritdoc ICommitteeDesk
    function withdrawExit(uint256 exitId, uint256 maxCohorts) external onlyDelegated returns (bool) {
        return _withdrawCommitteeExit(exitId, maxCohorts);
    }

    // The registry's hooks: never reached from the desk's functions.
    function _beforeStake(address, address, uint256) internal pure override {
        revert CommitteeDesk_NotDelegated();
    }

    function _checkRemainder(address, address, uint256) internal pure override {
        revert CommitteeDesk_NotDelegated();
    }

    function _poolChanged(address, address) internal pure override {
        // the committee pool is never a prover: nothing to refresh
    }

    function _released(address, uint256) internal pure override {
        revert CommitteeDesk_NotDelegated();
    }
}
