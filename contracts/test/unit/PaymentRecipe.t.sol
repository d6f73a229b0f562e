// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {TestBase} from "../utils/TestBase.sol";
import {console} from "../utils/Vm.sol";
import {PaymentRecipe} from "../../src/PaymentRecipe.sol";

/// @notice The on-chain T / Q recipe (`PaymentMath`, through `PaymentRecipe`) equals an independent implementation (tools/recipe_table.py ->
///         test/fixtures/payment-recipe.json), and the table is logged (forge test -vv) for the Java
///         `io.procura.mechanism.PaymentRule` cross-check.
contract PaymentRecipeTest is TestBase {
    function test_recipeMatchesIndependentTableAndLogsIt() public {
        // The market inlines PaymentMath; PaymentRecipe exposes the same library functions.
        PaymentRecipe recipe = new PaymentRecipe();
        string memory json = vm.readFile(string.concat(vm.projectRoot(), "/test/fixtures/payment-recipe.json"));
        uint256[] memory ms = vm.parseJsonUintArray(json, ".m");
        uint256[] memory ps = vm.parseJsonUintArray(json, ".p");
        uint256[] memory ts = vm.parseJsonUintArray(json, ".totalPrizeWad");
        uint256[] memory qs = vm.parseJsonUintArray(json, ".committeePrizeWad");
        vm.assertEq(ts.length, ms.length * ps.length, "table size");
        console.log("m,p_wad,T_wad,Q_wad");
        for (uint256 i = 0; i < ms.length; ++i) {
            for (uint256 j = 0; j < ps.length; ++j) {
                uint256 k = i * ps.length + j;
                uint256 t = recipe.totalPrizeWad(ms[i], ps[j]);
                uint256 q = recipe.committeePrizeWad(ms[i], ps[j]);
                console.log(
                    string.concat(vm.toString(ms[i]), ",", vm.toString(ps[j]), ",", vm.toString(t), ",", vm.toString(q))
                );
                vm.assertEq(t, ts[k], "T_wad");
                vm.assertEq(q, qs[k], "Q_wad");
                // Q <= T for m >= 1 (docs/MECHANISM.md §3), so the committee prize never exceeds the escrow.
                if (ms[i] >= 1) vm.assertLe(q, t, "Q <= T");
            }
        }
    }

    function testFuzz_committeePrizeWithinBounds(uint256 m, uint256 p) public {
        PaymentRecipe recipe = new PaymentRecipe();
        m = bound(m, 1, 2000);
        p = bound(p, 1, 1e18);
        uint256 q = recipe.committeePrizeWad(m, p);
        // m p <= Q (since 1 - (1-p)^m <= 1) and Q <= T = 1 + m p (allowing rounding of the wad power).
        vm.assertGe(q, m * p, "Q >= m p");
        vm.assertLe(q, recipe.totalPrizeWad(m, p), "Q <= T");
    }
}
