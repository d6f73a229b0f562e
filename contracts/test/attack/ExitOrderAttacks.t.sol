// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {MarketFixture} from "../utils/MarketFixture.sol";
import {FailurePolicy} from "../../src/ProcurementMarket.sol";

/// @notice Exit-order attacks on a pool with a locked slot bond: whoever exits, however often and in whatever order,
///         each holder bears the slash in proportion to what it held when the bond was locked (here a third each).
contract ExitOrderAttackTest is MarketFixture {
    uint256 internal constant HALF = 5e17;
    address internal alice = address(0xA1);
    address internal bob = address(0xB0B);
    address internal operator;
    uint256 internal slotId;

    function setUp() public {
        _deploy(FailurePolicy.COMPENSATE_COMMITTEE, SLOT_BOND);
        operator = provers[2];
        _stakeFrom(alice, operator, MIN_BOND); // pool: operator, alice, bob 100 each
        _stakeFrom(bob, operator, MIN_BOND);
        slotId = _openWithDesignate(operator, HALF); // 50 locked of a 300 pool
    }

    /// @dev Everything `who` has from `operator`'s pool: its stake in it, pending, at risk and released exits.
    function _wealth(address who) internal view returns (uint256) {
        (uint256 pending,) = registry.pendingOf(operator, who);
        (uint256 atRisk, uint256 released) = registry.riskOf(operator, who);
        return registry.stakeOf(operator, who) + pending + atRisk + released;
    }

    /// @dev `who` calls the exit path `times` times, each time for everything it may take out at once.
    function _drain(address who, uint256 times) internal {
        for (uint256 i = 0; i < times; ++i) {
            uint256 available = registry.availableToUnbond(operator, who);
            if (available == 0) return;
            vm.prank(who);
            registry.requestUnstake(operator, available);
        }
    }

    /// @dev Each exit rounds the exiter's part of the lock up by at most a base unit or two (in favour of the slot):
    ///      `calls` exit calls may add that much to the exiters' losses, never take any off.
    function _failAndCheckThirds() internal {
        _failAndCheckThirds(0);
    }

    function _failAndCheckThirds(uint256 calls) internal {
        uint256 a = _wealth(alice);
        uint256 b = _wealth(bob);
        uint256 o = _wealth(operator);
        uint256 held = token.balanceOf(address(registry));
        vm.warp(uint256(_slot(slotId).deadline) + 1);
        _settle(slotId); // the operator withheld: its slot bond of 50 is slashed
        uint256 third = SLOT_BOND / 3;
        uint256 tolerance = 2 + 2 * calls;
        vm.assertLe(_diff(a - _wealth(alice), third), tolerance, "alice bears a third of the slash");
        vm.assertLe(_diff(b - _wealth(bob), third), tolerance, "bob bears a third of the slash");
        vm.assertLe(_diff(o - _wealth(operator), third), tolerance, "the operator bears a third of the slash");
        vm.assertEq(held - token.balanceOf(address(registry)), SLOT_BOND, "exactly the slot bond left the registry");
        // the views round each holder's part down, so their sum may read a few units low; nothing is lost
        vm.assertLe((a + b + o) - (_wealth(alice) + _wealth(bob) + _wealth(operator)) - SLOT_BOND, 3, "views add up");
    }

    function _diff(uint256 x, uint256 y) internal pure returns (uint256) {
        return x > y ? x - y : y - x;
    }

    /// Before: a staker that called the exit path many times while the bond was locked bore almost none of the slash.
    function test_attack_stakerExitingManyTimesStillBearsItsThird() public {
        _drain(alice, 25);
        _failAndCheckThirds(25);
    }

    /// Before: an operator could drain its own stake, withhold, and let its stakers refund the requester.
    function test_attack_operatorDrainingItsOwnStakeStillBearsItsThird() public {
        _drain(operator, 25);
        _failAndCheckThirds(25);
    }

    /// Every holder exits, in an interleaved order, some in one call and some in many: still a third each, and the
    /// exited holders get what the slot did not take once it ends.
    function test_attack_everyoneExitsInAnyOrder() public {
        _drain(bob, 3);
        vm.prank(alice);
        registry.requestUnstakeAll(operator);
        _drain(operator, 7);
        _drain(bob, 5);
        vm.prank(operator);
        registry.requestUnstakeAll(operator);
        _failAndCheckThirds(17);
        vm.warp(block.timestamp + DELAY);
        address[3] memory all = [alice, bob, operator];
        for (uint256 i = 0; i < 3; ++i) {
            uint256 w = _wealth(all[i]);
            uint256 before = token.balanceOf(all[i]);
            if (registry.stakeOf(operator, all[i]) != 0) {
                vm.prank(all[i]);
                registry.requestUnstakeAll(operator);
                vm.warp(block.timestamp + DELAY);
            }
            vm.prank(all[i]);
            registry.withdrawFrom(operator);
            vm.assertEq(token.balanceOf(all[i]) - before, w, "each gets all it has left");
        }
        vm.assertEq(registry.riskHeldOf(operator), 0, "no exit token left behind");
    }

    /// A delivered slot releases the exited holders' locked parts to them (after their unbonding delay).
    function test_exitedHoldersGetTheirLockedPartBackWhenTheSlotIsDelivered() public {
        vm.prank(alice);
        registry.requestUnstakeAll(operator);
        (uint256 atRisk,) = registry.riskOf(operator, alice);
        vm.assertTrue(atRisk > 0, "part of alice's exit is at risk");
        vm.assertTrue(registry.isEligible(operator), "the operator keeps its seats (only new draws wait)");
        _submit(slotId, operator);
        (uint256 stillAtRisk, uint256 released) = registry.riskOf(operator, alice);
        vm.assertEq(stillAtRisk, 0, "the lock ended");
        vm.assertLe(atRisk - released, 1, "released to alice (rounded down)");
        vm.assertEq(registry.atRiskOf(operator), 0, "drawable again: no exit at risk");
        vm.warp(block.timestamp + DELAY);
        vm.prank(alice);
        registry.withdrawFrom(operator);
        vm.assertEq(token.balanceOf(alice), MIN_BOND, "alice got all of her stake back");
    }
}
