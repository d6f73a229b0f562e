// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {MarketFixture} from "./MarketFixture.sol";
import {console} from "./Vm.sol";

/// @notice Execution gas of one call in a gas test run in isolation (forge inline config isolate = true: every
///         top-level call is its own transaction, so gasleft() around it is the whole transaction; the intrinsic
///         21000 and the calldata gas are subtracted). See `RealProofGasTest` for why execution gas is the figure.
abstract contract GasMeter is MarketFixture {
    /// @dev Calls `target` with `data` as `sender` (zero: the test contract), reverting with the callee's revert
    ///      data on failure; returns the call's execution gas: gasleft() before minus after (in isolation: the whole
    ///      transaction) less 21000 and the calldata gas; logs both as `label`.
    function _measure(string memory label, address sender, address target, bytes memory data)
        internal
        returns (uint256 used, bytes memory ret)
    {
        if (sender != address(0)) vm.prank(sender);
        uint256 before = gasleft();
        bool ok;
        (ok, ret) = target.call(data);
        uint256 whole = before - gasleft();
        uint256 intrinsic = 21_000 + _calldataGas(data);
        used = whole - intrinsic;
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 32), mload(ret))
            }
        }
        console.log(
            string.concat(
                "gas ",
                label,
                ": execution ",
                vm.toString(used),
                " (transaction ",
                vm.toString(whole),
                " = 21000 + calldata ",
                vm.toString(intrinsic - 21_000),
                " + execution)"
            )
        );
    }

    /// @dev Calldata gas of a transaction with input `data` (Cancun: 4 per zero byte, 16 per other byte).
    function _calldataGas(bytes memory data) internal pure returns (uint256 g) {
        for (uint256 i = 0; i < data.length; ++i) {
            g += data[i] == 0 ? 4 : 16;
        }
    }

}
