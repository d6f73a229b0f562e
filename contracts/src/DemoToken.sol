// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";

/// @title DemoToken
/// @notice Mintable ERC-20 (18 decimals, OpenZeppelin ERC20) used as the bond and payment token of local
///         Procura deployments (demo, tests). Production markets use any standard ERC-20 instead.
/// @dev Ownership is two-step (OpenZeppelin Ownable2Step); only the owner mints.
contract DemoToken is ERC20, Ownable2Step {
    /// @param name_ ERC-20 name.
    /// @param symbol_ ERC-20 symbol.
    /// @param owner_ Initial owner, the only account allowed to mint. Reverts with
    ///        `OwnableInvalidOwner(address(0))` when zero.
    constructor(string memory name_, string memory symbol_, address owner_) ERC20(name_, symbol_) Ownable(owner_) {}

    /// @notice Mints `amount` tokens (ERC-20 base units, 18 decimals) to `to`.
    /// @dev Requirements: caller is the owner (`OwnableUnauthorizedAccount`), `to` is not the zero
    ///      address (`ERC20InvalidReceiver`). Emits `Transfer(address(0), to, amount)`.
    /// @param to Receiver of the new tokens.
    /// @param amount Amount in ERC-20 base units.
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }
}
