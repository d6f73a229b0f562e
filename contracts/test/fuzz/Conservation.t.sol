// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {MarketFixture} from "../utils/MarketFixture.sol";
import {FailurePolicy} from "../../src/ProcurementMarket.sol";

/// @notice Tokens are conserved across open / submit / settle / claim (docs/MECHANISM.md §6: "tokens in equal tokens
///         out, to the unit"): at every step registry + market balances equal bonds + open escrows + unclaimed
///         credits, and once everyone has claimed the market holds 0.
contract ConservationFuzzTest is MarketFixture {
    function testFuzz_tokensConserved(
        uint256 pSeed,
        uint256 priceSeed,
        uint256 bondSeed,
        uint8 deliveryMask,
        bool designateDelivers,
        bool paper,
        uint256 randao
    ) public {
        uint256 slotBond = bound(bondSeed, 0, MIN_BOND);
        _deploy(paper ? FailurePolicy.PAPER : FailurePolicy.COMPENSATE_COMMITTEE, slotBond);
        uint256 p = bound(pSeed, 0, WAD);
        uint256 price = bound(priceSeed, MIN_PRICE, 1_000e18);
        uint256 supply = token.totalSupply();

        uint256[] memory fixedInputs = new uint256[](1);
        vm.prank(requester);
        uint256 slotId = _openOnly(circuitId, fixedInputs, "", price, p, WINDOW);
        _drawWith(slotId, bytes32(randao));
        uint256 escrow = _slot(slotId).escrow;
        _checkBalances(escrow);

        address d = _designate(slotId);
        if (designateDelivers) _submit(slotId, d);
        for (uint256 k = 0; k < PROVERS - 1; ++k) {
            if (deliveryMask & (1 << k) != 0) _submit(slotId, _committee(slotId, k));
        }
        _checkBalances(escrow);

        vm.warp(uint256(_slot(slotId).deadline) + 1);
        _settle(slotId);
        _checkBalances(0);

        uint256 claimed = _claimAll(requester) + _claimAll(d);
        for (uint256 k = 0; k < PROVERS - 1; ++k) {
            claimed += _claimAll(_committee(slotId, k));
        }
        vm.assertEq(token.balanceOf(address(market)), 0, "market empty after all claims");
        vm.assertEq(claimed, escrow + (designateDelivers ? 0 : _slot(slotId).bondAtRisk), "paid out");
        vm.assertEq(token.totalSupply(), supply, "no mint or burn");
        _checkBalances(0);
    }

    /// @dev registry holds every bond; market holds open escrow + unclaimed credits.
    function _checkBalances(uint256 openEscrow) internal view {
        uint256 bonds;
        uint256 unclaimed = market.claimable(requester);
        for (uint256 i = 0; i < provers.length; ++i) {
            bonds += registry.bondOf(provers[i]);
            unclaimed += market.claimable(provers[i]);
        }
        vm.assertEq(token.balanceOf(address(registry)), bonds, "registry = bonds");
        vm.assertEq(token.balanceOf(address(market)), openEscrow + unclaimed, "market = escrow + unclaimed");
    }
}
