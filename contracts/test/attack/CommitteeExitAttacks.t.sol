// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {MarketFixture} from "../utils/MarketFixture.sol";
import {FailurePolicy} from "../../src/ProcurementMarket.sol";
import {IProverRegistry} from "../../src/interfaces/IProverRegistry.sol";
import {IProverRegistryTypes} from "../../src/interfaces/IProverRegistryTypes.sol";
import {ICommitteeDesk} from "../../src/interfaces/ICommitteeDesk.sol";
import {CommitteeDesk} from "../../src/CommitteeDesk.sol";

/// @notice Exits from the committee pool while it keeps taking slots (correlated slashing): a member that leaves
///         bears each slot's seizure in proportion to what it held when the slot's lock was taken — no less however
///         many slots the pool takes after it left (the dilution attack of the first design, where new locks shared
///         its at-risk part pro rata), and nothing of the slots drawn after it left; its locked part comes back as
///         soon as the slots it shared end, even while the pool stays busy.
///
///         Pool: five provers with a 20-token slice each, and alice with 200 (two thirds of 300). Each slot locks
///         30 tokens of it (`correlatedStake`) and loses them when its designate fails.
contract CommitteeExitAttackTest is MarketFixture {
    uint256 internal constant SLICE = 20e18;
    uint256 internal constant CORRELATED = 30e18;
    uint256 internal constant ALICE_STAKE = 200e18;
    uint256 internal constant HALF = 5e17;
    address internal alice = address(0xA1);
    address internal pool;

    function setUp() public {
        _deploy(FailurePolicy.PAPER, SLOT_BOND, SLICE, CORRELATED);
        pool = registry.COMMITTEE_POOL();
        _stakeFrom(alice, pool, ALICE_STAKE);
    }

    /// @dev The five provers' slices together (the pool's value without alice).
    function _proversValue() internal view returns (uint256 v) {
        for (uint256 i = 0; i < PROVERS; ++i) {
            v += registry.stakeOf(pool, provers[i]);
        }
    }

    function _fail(uint256 slotId) internal {
        vm.warp(uint256(_slot(slotId).deadline) + 1);
        _settle(slotId);
    }

    function _deliver(uint256 slotId) internal {
        _submit(slotId, _designate(slotId));
    }

    function _onlyExit(address who) internal view returns (uint256 exitId) {
        uint256[] memory ids = registry.committeeExitsOf(who);
        vm.assertEq(ids.length, 1, "one exit at risk");
        return ids[0];
    }

    function _diff(uint256 x, uint256 y) internal pure returns (uint256) {
        return x > y ? x - y : y - x;
    }

    /// The attack: leave while slot A is locked, let the pool take more slots (B, C) so that the leaver's at-risk
    /// part is spread over them, then let A fail. With pro-rata generations alice bore about 6.7 of A's 30 (and part
    /// of B's); now she bears exactly her two thirds of A (20) and nothing of B, which the members who stayed bear.
    function test_attack_newLocksCannotDiluteALeaversShareOfAnOldSlash() public {
        uint256 a = _open(HALF);
        vm.prank(alice);
        registry.requestUnstakeAll(pool);
        uint256 exitId = _onlyExit(alice);
        IProverRegistry.CommitteeExitInfo memory x = registry.committeeExit(exitId);
        vm.assertEq(x.atRisk, 20e18, "two thirds of A's lock stays at risk");
        (uint256 pending,) = registry.pendingOf(pool, alice);
        vm.assertEq(pending, 180e18, "the free part is queued at once");

        uint256 b = _open(HALF);
        uint256 c = _open(HALF);
        vm.assertEq(registry.lockedOf(pool), 3 * CORRELATED, "three slots locked");
        uint256 stayed = _proversValue();
        _deliver(c);
        _fail(a); // A's designate withheld
        _fail(b); // and B's

        x = registry.committeeExit(exitId);
        vm.assertEq(x.locked, 0, "A ended: nothing of alice's is locked any more");
        vm.assertLe(_diff(x.charged, 20e18), 1, "alice pays two thirds of A, nothing of B");
        // the members who stayed pay a third of A and all of B
        vm.assertLe(_diff(stayed - _proversValue(), 10e18 + 30e18), PROVERS, "the others pay the rest, no more");

        vm.warp(block.timestamp + DELAY);
        uint256 before = token.balanceOf(alice);
        vm.prank(alice);
        registry.withdrawFrom(pool);
        vm.assertEq(token.balanceOf(alice) - before, 180e18, "the free part");
        registry.withdrawCommitteeExit(exitId, 100); // anyone may pay it out; it goes to alice
        vm.assertLe(token.balanceOf(alice) - before, 180e18, "nothing of her locked part came back: A took it");
    }

    /// The leaver's locked part comes back as soon as the slots it shared end, while the pool stays busy with slots
    /// drawn after it left (under the pro-rata design it came back only as the pool's total lock reached zero), and
    /// a later failure costs it nothing.
    function test_aLeaversLockedPartComesBackWhenItsSlotsEnd_whileThePoolStaysBusy() public {
        uint256 a = _open(HALF);
        vm.prank(alice);
        registry.requestUnstakeAll(pool);
        uint256 exitId = _onlyExit(alice);
        uint256 b = _open(HALF);
        _deliver(a);
        vm.warp(block.timestamp + DELAY);
        vm.assertEq(registry.lockedOf(pool), CORRELATED, "B is still locked");
        (uint256 atRisk, uint256 released) = registry.riskOf(pool, alice);
        vm.assertEq(atRisk, 0, "nothing of alice's is in B");
        vm.assertEq(released, 20e18, "A released her part");
        uint256 before = token.balanceOf(alice);
        vm.expectEmit(address(registry));
        emit IProverRegistryTypes.CommitteeExitPaid(alice, exitId, 20e18, 0);
        vm.assertTrue(registry.withdrawCommitteeExit(exitId, 100), "paid");
        vm.assertEq(token.balanceOf(alice) - before, 20e18, "her whole locked part, while B is open");
        uint256 stayed = _proversValue();
        _fail(b);
        vm.assertLe(_diff(stayed - _proversValue(), CORRELATED), PROVERS, "B's seizure falls on the members only");
        vm.expectRevert(abi.encodeWithSelector(IProverRegistryTypes.Registry_NothingToWithdraw.selector, alice));
        registry.withdrawCommitteeExit(exitId, 100);
    }

    /// Exits in any order while slots open and end: each leaver pays exactly its part of each slot it shared.
    /// Alice leaves half (100) with A open; prover 0 leaves with A and B open; then A and B fail and C, drawn after
    /// both left, fails too.
    function test_attack_exitsInterleavedWithLocks_eachPaysItsPartOfTheSlotsItShared() public {
        uint256 a = _open(HALF);
        vm.prank(alice);
        registry.requestUnstake(pool, 100e18); // a third of the pool: a third of A (10) at risk
        uint256 b = _open(HALF); // pool now 200: alice 100, provers 20 each
        address leaver = provers[0];
        if (leaver == _designate(a) || leaver == _designate(b)) leaver = provers[1] == _designate(a)
            || provers[1] == _designate(b) ? provers[2] : provers[1];
        vm.prank(leaver);
        registry.requestUnstakeAll(pool);
        uint256 c = _open(HALF);
        _fail(a);
        _fail(b);
        _fail(c);
        // exact parts: A (30) was held 1/3 alice-exit, then of the own 2/3: alice's stake 100/200, leaver 20/200
        //   alice exit 1: 10 of A; leaver: (20/200) * 20 = 2 of A and (20/200) * 30 = 3 of B; nothing of C
        IProverRegistry.CommitteeExitInfo memory x1 = registry.committeeExit(registry.committeeExitsOf(alice)[0]);
        IProverRegistry.CommitteeExitInfo memory x2 = registry.committeeExit(registry.committeeExitsOf(leaver)[0]);
        vm.assertEq(x1.atRisk, 10e18, "alice's first exit: a third of A");
        vm.assertLe(_diff(x1.charged, 10e18), 1, "and pays it");
        vm.assertEq(x2.atRisk, 5e18, "the prover's exit: a tenth of the own part of A (2) and of B (3)");
        vm.assertLe(_diff(x2.charged, 5e18), 2, "and pays it, nothing of C (each cohort's charge rounded up)");
        // alice's remaining 100 held half of the pool's own 20 of A and 30 of B (less the leaver's tenth: 18 and 27
        // are left, of which she holds 100/180) and 100/180 of C: 10 + 15 + 16.67
        uint256 aliceStake = registry.stakeOf(pool, alice);
        uint256 expectedLoss = 10e18 + 15e18 + uint256(30e18) * 100 / 180;
        vm.assertLe(_diff(100e18 - aliceStake, expectedLoss), 3, "alice's remaining stake paid exactly its parts");
    }

    function test_withdrawCommitteeExit_waitsForTheDelayAndForItsSlots_andWalksInSteps() public {
        uint256 a = _open(HALF);
        vm.prank(alice);
        registry.requestUnstake(pool, 10e18);
        uint256 exitId = registry.committeeExitsOf(alice)[0];
        IProverRegistry.CommitteeExitInfo memory x = registry.committeeExit(exitId);
        vm.expectRevert(
            abi.encodeWithSelector(
                IProverRegistryTypes.Registry_UnbondingNotElapsed.selector, alice, x.releaseTime, block.timestamp
            )
        );
        registry.withdrawCommitteeExit(exitId, 100);
        // more exits and locks make more cohorts after it (they do not concern it)
        for (uint256 i = 0; i < 3; ++i) {
            vm.prank(alice);
            registry.requestUnstake(pool, 10e18);
        }
        vm.warp(x.releaseTime);
        vm.expectRevert(
            abi.encodeWithSelector(IProverRegistryTypes.Registry_CommitteeLocksOpen.selector, exitId, x.firstCohort, CORRELATED)
        );
        registry.withdrawCommitteeExit(exitId, 100);
        _settle(a); // past A's window: its designate failed
        vm.expectRevert(abi.encodeWithSelector(IProverRegistryTypes.Registry_UnknownCommitteeExit.selector, 99));
        registry.withdrawCommitteeExit(99, 100);
        // four exits of 10 took 1, then (10/290)*29 = 1 each of A's lock; the last exit walks the cohorts closed
        // by the three before it, one per call
        uint256 last = registry.committeeExitsOf(alice)[3];
        x = registry.committeeExit(last);
        vm.assertEq(x.lastCohort - x.firstCohort, 3, "it shares A's cohort and three empty ones");
        for (uint256 i = 0; i < 3; ++i) {
            vm.assertFalse(registry.withdrawCommitteeExit(last, 1), "one cohort per call");
        }
        vm.assertTrue(registry.withdrawCommitteeExit(last, 1), "paid at the last cohort");
        for (uint256 i = 0; i < 3; ++i) {
            registry.withdrawCommitteeExit(registry.committeeExitsOf(alice)[i], 100);
        }
        vm.assertEq(registry.riskHeldOf(pool), 0, "every exit paid: nothing held for exits");
    }

    /// The last holder leaves while a slot is locked: the whole lock is its; the pool restarts (new era) for the
    /// members who join after, who pay nothing of the old slot and all of their own.
    function test_lastHolderLeavesWhileLocked_newMembersStartClean() public {
        // a pool of alice alone: a fresh market whose provers hold no slice would not be eligible, so empty it by
        // letting every prover leave too
        uint256 a = _open(HALF);
        address d = _designate(a);
        vm.prank(alice);
        registry.requestUnstakeAll(pool);
        for (uint256 i = 0; i < PROVERS; ++i) {
            vm.prank(provers[i]);
            registry.requestUnstakeAll(pool);
        }
        vm.assertEq(registry.totalSharesOf(pool), 0, "everyone left");
        vm.assertEq(registry.atRiskOf(pool), CORRELATED, "A's lock is all exits'");
        // new members
        for (uint256 i = 0; i < PROVERS; ++i) {
            vm.prank(provers[i]);
            registry.stakeTo(pool, SLICE);
        }
        uint256 b = _open(HALF);
        vm.assertTrue(_designate(b) != d, "A's designate is locked");
        _fail(a);
        vm.assertEq(registry.bondOf(pool), PROVERS * SLICE, "A's seizure came from the exits only");
        _fail(b);
        vm.assertEq(registry.bondOf(pool), PROVERS * SLICE - CORRELATED, "B's from the new members");
        uint256 charged;
        uint256 atRisk;
        vm.warp(block.timestamp + DELAY);
        for (uint256 i = 0; i < PROVERS; ++i) {
            uint256 id = registry.committeeExitsOf(provers[i])[0];
            IProverRegistry.CommitteeExitInfo memory x = registry.committeeExit(id);
            atRisk += x.atRisk;
            charged += x.charged;
            registry.withdrawCommitteeExit(id, 100);
        }
        IProverRegistry.CommitteeExitInfo memory xa = registry.committeeExit(registry.committeeExitsOf(alice)[0]);
        registry.withdrawCommitteeExit(registry.committeeExitsOf(alice)[0], 100);
        vm.assertEq(atRisk + xa.atRisk, CORRELATED, "the exits held all of A");
        vm.assertLe(_diff(charged + xa.charged, CORRELATED), PROVERS + 1, "and paid all of A");
        vm.assertEq(registry.riskHeldOf(pool), 0, "nothing left held for exits");
    }

    /// The desk is code for the registry's storage only: called directly it refuses.
    function test_theDeskRefusesDirectCalls() public {
        CommitteeDesk desk = new CommitteeDesk(token, DELAY);
        vm.expectRevert(ICommitteeDesk.CommitteeDesk_NotDelegated.selector);
        desk.enterRisk(alice, 1, 2);
        vm.expectRevert(ICommitteeDesk.CommitteeDesk_NotDelegated.selector);
        desk.withdrawExit(1, 1);
        vm.expectRevert(ICommitteeDesk.CommitteeDesk_NotDelegated.selector);
        desk.lock(1, 1);
        vm.expectRevert(ICommitteeDesk.CommitteeDesk_NotDelegated.selector);
        desk.endLock(1, 1, true, alice);
    }
}
