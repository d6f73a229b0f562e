// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {MarketFixture} from "../utils/MarketFixture.sol";
import {ProcurementMarket, FailurePolicy} from "../../src/ProcurementMarket.sol";

/// @notice A flood of committee proofs cannot make a slot unsettleable: the market accepts at most
///         MAX_COMMITTEE_DELIVERIES committee proofs per slot, so `settle` stays far below a block's gas.
contract CommitteeCapTest is MarketFixture {
    function setUp() public {
        _deploy(FailurePolicy.COMPENSATE_COMMITTEE, SLOT_BOND);
        uint256 extra = market.MAX_COMMITTEE_DELIVERIES() + 2;
        for (uint256 i = 0; i < extra; ++i) {
            provers.push(_newProver(PROVERS + i, MIN_BOND));
        }
    }

    function _floodCommittee(uint256 slotId) internal returns (uint256 accepted) {
        address d = _designate(slotId);
        uint256 cap = market.MAX_COMMITTEE_DELIVERIES();
        for (uint256 i = 0; i < provers.length; ++i) {
            if (provers[i] == d) continue;
            if (accepted == cap) {
                uint256[8] memory proof;
                uint256[] memory outputs = _outputs();
                vm.prank(provers[i]);
                vm.expectRevert(abi.encodeWithSelector(ProcurementMarket.Market_CommitteeFull.selector, slotId, cap));
                market.submitProof(slotId, outputs, proof);
                return accepted;
            }
            _submit(slotId, provers[i]);
            ++accepted;
        }
    }

    function test_submitProof_revertsOnceTheCommitteeIsFull_andSettleStaysCheap() public {
        uint256 slotId = _open(1e16);
        uint256 accepted = _floodCommittee(slotId);
        vm.assertEq(accepted, market.MAX_COMMITTEE_DELIVERIES(), "accepted committee proofs");
        // the designate can still deliver after the committee is full
        _submit(slotId, _designate(slotId));
        vm.warp(block.timestamp + WINDOW + 1);
        uint256 gasBefore = gasleft();
        market.settle(slotId);
        uint256 used = gasBefore - gasleft();
        vm.assertLt(used, 10_000_000, "settle must stay far below a block's gas limit");
        // every accepted committee member is paid the same share
        uint256 each = market.getSlot(slotId).committeePrize / accepted;
        vm.assertEq(market.claimable(_committee(slotId, 0)), each, "first member");
        vm.assertEq(market.claimable(_committee(slotId, accepted - 1)), each, "last member");
    }

    function test_failedDesignate_withAFullCommittee_settlesAndConserves() public {
        uint256 slotId = _open(1e16);
        _floodCommittee(slotId);
        uint256 held = token.balanceOf(address(market)) + token.balanceOf(address(registry));
        vm.warp(block.timestamp + WINDOW + 1);
        market.settle(slotId);
        vm.assertEq(token.balanceOf(address(market)) + token.balanceOf(address(registry)), held, "settle moves no token out");
        vm.assertTrue(market.getSlot(slotId).settled, "settled");
    }
}
