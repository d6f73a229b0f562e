// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IProcurementMarket} from "../../src/interfaces/IProcurementMarket.sol";
import {MarketFixture} from "../utils/MarketFixture.sol";
import {ProcurementMarket, FailurePolicy} from "../../src/ProcurementMarket.sol";

/// @notice A flood of committee proofs cannot make a slot unsettleable or expensive: there is no cap on committee
///         deliveries, `settle` does the same work for 1 or 200 deliverers, and each deliverer's share is credited
///         by its own O(1) `creditCommittee`.
contract LargeCommitteeTest is MarketFixture {
    uint256 internal constant FLOOD = 200;

    function setUp() public {
        _deploy(FailurePolicy.COMPENSATE_COMMITTEE, SLOT_BOND);
        for (uint256 i = 0; i < FLOOD; ++i) {
            provers.push(_newProver(PROVERS + i, MIN_BOND));
        }
    }

    function _flood(uint256 slotId, uint256 count) internal returns (uint256 accepted) {
        address d = _designate(slotId);
        for (uint256 i = 0; i < provers.length && accepted < count; ++i) {
            if (provers[i] == d || !registry.isEligibleForSlot(provers[i], circuitId, _t(slotId).snapshot)) continue;
            _submit(slotId, provers[i]);
            ++accepted;
        }
    }

    function _settleGas(uint256 slotId) internal returns (uint256 used) {
        uint256 before = gasleft();
        market.settle(slotId, _t(slotId));
        used = before - gasleft();
    }

    function test_settle_gasIsTheSameForOneOrTwoHundredCommitteeDeliveries() public {
        // a failed warm-up slot gives the requester a claimable balance, so no settlement below pays for a fresh
        // storage word of the requester's balance
        uint256 warmup = _open(1e16);
        uint256 small = _open(1e16);
        uint256 big = _open(1e16);
        _flood(small, 1);
        uint256 accepted = _flood(big, FLOOD);
        vm.assertEq(accepted, FLOOD, "every committee proof accepted: no cap");
        _submit(small, _designate(small));
        _submit(big, _designate(big));
        vm.warp(block.timestamp + WINDOW + 1);
        market.settle(warmup, _t(warmup));
        uint256 gasSmall = _settleGas(small);
        uint256 gasBig = _settleGas(big);
        // Same storage work; the only difference allowed is one more credit (the split's rounding dust, zero for
        // j = 1) to the requester's already non-zero balance: about 5k gas with its event.
        vm.assertLe(gasBig, gasSmall + 8_000, "settle is O(1) in committee deliveries");
        vm.assertLe(gasSmall, gasBig + 8_000, "settle is O(1) in committee deliveries (other way)");

        uint256 each = _slot(big).committeePrize / FLOOD;
        address first = _committee(big, 0);
        address last = _committee(big, FLOOD - 1);
        uint256 before = market.claimable(first);
        vm.assertEq(market.creditCommittee(big, _t(big), first), each, "first member's share");
        vm.assertEq(market.claimable(first) - before, each, "credited");
        vm.assertEq(market.creditCommittee(big, _t(big), last), each, "last member's share");
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_NoCommitteeShare.selector, big, first));
        market.creditCommittee(big, _t(big), first);
    }

    function test_creditCommittee_revertsBeforeSettlementAndForWrongTerms() public {
        uint256 slotId = _open(1e16);
        address c = _committee(slotId, 0);
        _submit(slotId, c);
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_NotSettled.selector, slotId));
        market.creditCommittee(slotId, _t(slotId), c);
        vm.warp(block.timestamp + WINDOW + 1);
        market.settle(slotId, _t(slotId));
        // terms with one field changed (a larger escrow) do not match the stored hash
        uint256 escrowBefore = _t(slotId).escrow;
        _termsOf[slotId].escrow = uint128(escrowBefore + 1);
        vm.expectRevert();
        market.creditCommittee(slotId, _t(slotId), c);
        _termsOf[slotId].escrow = uint128(escrowBefore);
        vm.assertTrue(market.committeeShareOwed(slotId, c), "still owed after the failed attempt");
    }

    function test_failedDesignate_withTwoHundredCommitteeDeliveries_settlesAndConserves() public {
        uint256 slotId = _open(1e16);
        _flood(slotId, FLOOD);
        uint256 held = token.balanceOf(address(market)) + token.balanceOf(address(registry));
        vm.warp(block.timestamp + WINDOW + 1);
        _settle(slotId); // settles and credits all 200
        vm.assertEq(token.balanceOf(address(market)) + token.balanceOf(address(registry)), held, "no token moved out");
        vm.assertTrue(_slot(slotId).settled, "settled");
        uint256 each = _slot(slotId).committeePrize / FLOOD; // Q < B - fee here: the committee is made whole from B
        vm.assertEq(market.claimable(_committee(slotId, 7)), each, "compensation per member");
    }
}
