// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IProverRegistry} from "../../src/interfaces/IProverRegistry.sol";
import {IProverRegistryTypes} from "../../src/interfaces/IProverRegistryTypes.sol";
import {IProcurementMarket} from "../../src/interfaces/IProcurementMarket.sol";
import {MarketFixture} from "../utils/MarketFixture.sol";
import {ProverRegistry} from "../../src/ProverRegistry.sol";
import {ProcurementMarket, FailurePolicy} from "../../src/ProcurementMarket.sol";

/// @notice Correlated slashing of committee bonds (docs/MECHANISM.md §6, Rem. 3.10): every eligible prover holds a slice
///         in the registry's committee pool, each slot locks `correlatedStake` of the pool, and a failed designate
///         loses its slot bond AND the pool loses `correlatedStake`, which every slice pays pro rata (share price,
///         O(1)). `stakeAtRisk()` is the B the requester and committee then get.
contract CorrelatedSlashingTest is MarketFixture {
    uint256 internal constant SLICE = 20e18;
    uint256 internal constant CORRELATED = 30e18;
    uint256 internal constant HALF = 5e17;
    address internal pool;

    function setUp() public {
        _deploy(FailurePolicy.PAPER, SLOT_BOND, SLICE, CORRELATED);
        pool = registry.COMMITTEE_POOL();
    }

    function test_stakeAtRiskIncludesTheCorrelatedStake() public view {
        vm.assertEq(market.stakeAtRisk(), SLOT_BOND + CORRELATED, "B = slot bond - fee + correlated stake");
        vm.assertEq(registry.bondOf(pool), PROVERS * SLICE, "every prover's slice is in the pool");
        vm.assertFalse(registry.isEligible(pool), "the pool is never a prover");
    }

    function test_eligibilityRequiresASliceInThePool() public {
        address p = address(0x7777);
        vm.prank(owner);
        token.mint(p, 1_000e18);
        vm.startPrank(p);
        token.approve(address(registry), type(uint256).max);
        registry.register("http://late", bytes32(0));
        registry.bond(MIN_BOND);
        vm.assertFalse(registry.isEligible(p), "bonded but no slice: not eligible");
        vm.expectRevert(abi.encodeWithSelector(IProverRegistryTypes.Registry_CommitteeSliceTooSmall.selector, SLICE - 1, SLICE));
        registry.stakeTo(pool, SLICE - 1);
        registry.stakeTo(pool, SLICE);
        vm.assertTrue(registry.isEligible(p), "slice staked: eligible");
        registry.requestUnstakeAll(pool);
        vm.assertFalse(registry.isEligible(p), "left the pool: not eligible");
        vm.stopPrank();
    }

    function test_failedDesignate_seizesTheSlotBondAndTheCorrelatedStake_everySliceProRata() public {
        uint256 slotId = _open(HALF);
        address d = _designate(slotId);
        vm.assertEq(registry.lockedOf(pool), CORRELATED, "the slot locks the correlated stake");
        uint256 poolBefore = registry.bondOf(pool);
        uint256[] memory before = new uint256[](PROVERS);
        for (uint256 i = 0; i < PROVERS; ++i) {
            before[i] = registry.stakeOf(pool, provers[i]);
        }
        uint256 b = market.stakeAtRisk();
        uint256 held = token.balanceOf(address(market)) + token.balanceOf(address(registry));
        vm.warp(uint256(_slot(slotId).deadline) + 1);
        uint256 gasBefore = gasleft();
        market.settle(slotId, _t(slotId));
        uint256 settleGas = gasBefore - gasleft();
        vm.assertEq(market.claimable(requester), _slot(slotId).escrow + b, "requester: escrow + B (PAPER)");
        vm.assertEq(registry.bondOf(pool), poolBefore - CORRELATED, "pool lost exactly the correlated stake");
        vm.assertEq(registry.lockedOf(pool), 0, "and its lock");
        vm.assertEq(registry.bondOf(d), MIN_BOND - SLOT_BOND, "designate lost its slot bond");
        for (uint256 i = 0; i < PROVERS; ++i) {
            uint256 expected = before[i] * (poolBefore - CORRELATED) / poolBefore;
            uint256 got = registry.stakeOf(pool, provers[i]);
            vm.assertLe(got, expected, "no slice loses less than its share");
            vm.assertLe(expected - got, 1, "every slice loses the same fraction (up to rounding)");
        }
        vm.assertEq(token.balanceOf(address(market)) + token.balanceOf(address(registry)), held, "no token left");
        vm.assertLt(settleGas, 200_000, "O(1): one share-price update, no loop over members");
    }

    function test_settle_gasDoesNotGrowWithThePoolsMembers() public {
        uint256 small = _open(HALF);
        vm.warp(uint256(_slot(small).deadline) + 1);
        uint256 g0 = gasleft();
        market.settle(small, _t(small));
        uint256 gasFew = g0 - gasleft();
        for (uint256 i = 0; i < 45; ++i) {
            provers.push(_newProver(PROVERS + i, MIN_BOND)); // each joins the pool with a slice
        }
        uint256 big = _open(HALF);
        vm.warp(uint256(_slot(big).deadline) + 1);
        g0 = gasleft();
        market.settle(big, _t(big));
        uint256 gasMany = g0 - gasleft();
        vm.assertEq(registry.bondOf(pool), 50 * SLICE - 2 * CORRELATED, "both seizures from one pool of 50 slices");
        vm.assertLe(gasMany, gasFew + 3_000, "settle with 50 pool members costs what it costs with 5");
    }

    function test_deliveredSlot_releasesThePoolUntouched() public {
        uint256 slotId = _open(HALF);
        _submit(slotId, _designate(slotId));
        vm.warp(uint256(_slot(slotId).deadline) + 1);
        _settle(slotId);
        vm.assertEq(registry.lockedOf(pool), 0, "unlocked");
        vm.assertEq(registry.bondOf(pool), PROVERS * SLICE, "untouched");
    }

    function test_draw_cancelsWhenThePoolCannotCoverTheCorrelatedStake_refundsAndLocksNothing() public {
        // 100 tokens in the pool, 30 per slot: three drawn slots lock 90, a fourth cannot be covered
        for (uint256 k = 0; k < 3; ++k) {
            _open(HALF);
        }
        uint256[] memory fixedInputs = new uint256[](1);
        vm.prank(requester);
        uint256 slotId = _openOnly(circuitId, fixedInputs, "", PRICE, HALF, WINDOW);
        uint256 escrow = _t(slotId).escrow;
        uint256[] memory lockedBefore = new uint256[](PROVERS);
        for (uint256 i = 0; i < PROVERS; ++i) {
            lockedBefore[i] = registry.lockedOf(provers[i]);
        }
        vm.assertEq(_draw(slotId), address(0), "no designate: cancelled");
        vm.assertTrue(market.slotState(slotId).settled && !market.slotState(slotId).drawn, "cancelled, not drawn");
        vm.assertEq(market.claimable(requester), escrow, "escrow credited back in full");
        vm.assertEq(registry.lockedOf(pool), 3 * CORRELATED, "no more of the pool locked");
        for (uint256 i = 0; i < PROVERS; ++i) {
            vm.assertEq(registry.lockedOf(provers[i]), lockedBefore[i], "no designate bond locked");
        }
    }

    /// A member leaves the committee pool at any time, open slots or not: its free part is queued at once, its part
    /// of the pool's lock stays at risk until the slots end (and pays its share if one fails).
    function test_aMemberLeavesWhileSlotsAreOpen_itsLockedPartStaysAtRisk() public {
        uint256 slotId = _open(HALF);
        address p = _committee(slotId, 0);
        uint256 available = registry.availableToUnbond(pool, p);
        vm.assertEq(available, SLICE * (PROVERS * SLICE - CORRELATED) / (PROVERS * SLICE), "its share of the free part");
        vm.prank(p);
        registry.requestUnstakeAll(pool);
        vm.assertFalse(registry.isEligible(p), "left the pool: not eligible");
        (uint256 atRisk, uint256 released) = registry.riskOf(pool, p);
        vm.assertEq(atRisk, SLICE - available, "its part of the lock stays at risk");
        vm.assertEq(released, 0, "nothing released yet");
        vm.assertEq(registry.lockedOf(pool), CORRELATED, "the slot's lock is whole");
        // the designate fails: the member's at-risk part pays its share of the seized correlated stake
        vm.warp(uint256(_slot(slotId).deadline) + 1);
        _settle(slotId);
        (atRisk, released) = registry.riskOf(pool, p);
        vm.assertEq(atRisk, 0, "the lock ended");
        vm.assertEq(released, 0, "its locked part was seized with the rest");
        vm.warp(block.timestamp + DELAY);
        vm.prank(p);
        registry.withdrawFrom(pool);
        vm.assertEq(token.balanceOf(p), 1_000e18 - MIN_BOND - SLICE + available, "got exactly its free part");
    }

    function test_constructor_refusesCorrelatedSlashingWithoutAPool() public {
        ProverRegistry plain = new ProverRegistry(token, MIN_BOND, DELAY, 0, JAIL_COOLDOWN, _nextCreate(1), owner);
        vm.expectRevert(IProcurementMarket.Market_NoCommitteePool.selector);
        new ProcurementMarket(token, plain, FailurePolicy.PAPER, SLOT_BOND, 1, DRAW_DELAY, owner);
    }

    /// Correlated markets are permissionless now that the draw is unpredictable when `openSlot` runs (the
    /// REQUESTER_ROLE of the previous design is gone): a stranger opens a slot, nothing is locked until the draw,
    /// and the pool's lock follows the draw. The attack this once prevented is in MarketAttacks (predictable draw).
    function test_aStrangerMayOpenInACorrelatedMarket() public {
        address stranger = address(0xBAD);
        vm.prank(owner);
        token.mint(stranger, 1_000e18);
        vm.prank(stranger);
        token.approve(address(market), type(uint256).max);
        uint256[] memory fixedInputs = new uint256[](1);
        vm.prank(stranger);
        uint256 slotId = _openOnly(circuitId, fixedInputs, "", PRICE, HALF, WINDOW);
        vm.assertEq(_t(slotId).designate, address(0), "no designate yet");
        vm.assertEq(registry.lockedOf(pool), 0, "nothing locked before the draw");
        address d = _draw(slotId);
        vm.assertTrue(d != address(0), "drawn");
        vm.assertEq(registry.lockedOf(pool), CORRELATED, "the pool's lock comes with the draw");
        vm.assertEq(registry.lockedOf(d), SLOT_BOND, "and the designate's");
    }

    /// Review finding M-1: a member cannot keep a dust share (and its eligibility) while taking its slice back.
    function test_aMemberKeepsAFullSliceOrLeavesEntirely() public {
        address p = provers[0];
        vm.expectRevert(abi.encodeWithSelector(IProverRegistryTypes.Registry_CommitteeSliceTooSmall.selector, 1, SLICE));
        vm.prank(p);
        registry.requestUnstake(pool, SLICE - 1);
        vm.assertTrue(registry.isEligible(p), "still a member");
        vm.prank(p);
        registry.requestUnstakeAll(pool);
        vm.assertFalse(registry.isEligible(p), "left entirely: not eligible");
    }
}
