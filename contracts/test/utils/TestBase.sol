// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Vm} from "./Vm.sol";

/// @dev The address the `k`-th next CREATE of `deployer` deploys to: keccak256(rlp([deployer, nonce]))[12:]
///      (nonce < 2^16), read with forge's `getNonce`.
function nextCreateOf(address deployer, uint256 k) view returns (address) {
    uint256 nonce = Vm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D).getNonce(deployer) + k;
    bytes memory rlp;
    if (nonce < 0x80) rlp = abi.encodePacked(bytes1(0xd6), bytes1(0x94), deployer, uint8(nonce));
    else if (nonce < 0x100) rlp = abi.encodePacked(bytes1(0xd7), bytes1(0x94), deployer, bytes1(0x81), uint8(nonce));
    else rlp = abi.encodePacked(bytes1(0xd8), bytes1(0x94), deployer, bytes1(0x82), uint16(nonce));
    return address(uint160(uint256(keccak256(rlp))));
}

/// @notice Base of every Procura forge test: the cheatcode handle and a few helpers (no forge-std).
abstract contract TestBase {
    /// @dev forge's cheatcode address: address(uint160(uint256(keccak256("hevm cheat code")))).
    Vm internal constant vm = Vm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);

    /// @dev forge runs functions named test*; a test passes unless it reverts.
    bool public constant IS_TEST = true;

    /// @dev The address the `k`-th next CREATE of this contract deploys to (k = 0: the next one), as a registry needs
    ///      its market's address at construction.
    function _nextCreate(uint256 k) internal view returns (address) {
        return nextCreateOf(address(this), k);
    }

    /// @dev Maps `x` into [min, max] (inclusive) without discarding fuzz runs.
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        require(min <= max, "bound: min > max");
        if (max - min == type(uint256).max) return x;
        return min + (x % (max - min + 1));
    }
}
