// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Receives the callback of `HookToken` (like an ERC-777 `tokensReceived` hook).
interface ITokenReceiver {
    function onTokenReceived(address from, uint256 amount) external;
}

/// @notice ERC-20 that calls `onTokenReceived` on a contract recipient after every transfer: the re-entrancy vector of
///         ERC-777-style tokens, for attack tests on `claim` and `withdraw`.
contract HookToken is ERC20 {
    /// @dev Recipients that registered for the hook (like an ERC-1820 registration).
    mapping(address => bool) public hooked;

    constructor() ERC20("Hook", "HOOK") {}

    function registerHook() external {
        hooked[msg.sender] = true;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (hooked[to] && from != address(0)) ITokenReceiver(to).onTokenReceived(from, value);
    }
}
