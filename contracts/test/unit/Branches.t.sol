// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {MarketFixture} from "../utils/MarketFixture.sol";
import {IProcurementMarket} from "../../src/interfaces/IProcurementMarket.sol";
import {IProverRegistry} from "../../src/interfaces/IProverRegistry.sol";
import {IProverRegistryTypes} from "../../src/interfaces/IProverRegistryTypes.sol";
import {ProverRegistry} from "../../src/ProverRegistry.sol";
import {ProcurementMarket, FailurePolicy} from "../../src/ProcurementMarket.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @notice The market's and the pools' remaining branches, one test each (found uncovered by `forge coverage`):
///         misuse that must revert with its custom error, and the rarer paths of settlement and exits.
contract BranchesTest is MarketFixture {
    uint256 internal constant HALF = 5e17;

    function setUp() public {
        _deploy(FailurePolicy.COMPENSATE_COMMITTEE, SLOT_BOND);
    }

    function test_constructor_revertsOnZeroTokenOrRegistry() public {
        vm.expectRevert(IProcurementMarket.Market_ZeroAddress.selector);
        new ProcurementMarket(IERC20(address(0)), registry, FailurePolicy.PAPER, 0, 0, DRAW_DELAY, owner);
        vm.expectRevert(IProcurementMarket.Market_ZeroAddress.selector);
        new ProcurementMarket(token, ProverRegistry(address(0)), FailurePolicy.PAPER, 0, 0, DRAW_DELAY, owner);
    }

    function test_registerCircuit_revertsWhenTheCheckerHasNoCode() public {
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_CheckerHasNoCode.selector, address(0xC0DE)));
        vm.prank(owner);
        market.registerCircuit(address(verifier), 1, 2, address(0xC0DE), MIN_PRICE, MIN_WINDOW, MAX_WINDOW);
    }

    function test_views_revertOnUnknownCircuitsAndSlots() public {
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_UnknownCircuit.selector, 99));
        market.circuitTerms(99);
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_UnknownSlot.selector, 7));
        market.slotState(7);
    }

    function test_draw_revertsOnACancelledSlot_andCancelOnADrawnOne() public {
        uint256 cancelled = _openUndrawn(HALF);
        vm.roll(block.number + DRAW_DELAY + market.BLOCKHASH_HORIZON() + 1);
        market.cancel(cancelled, _t(cancelled));
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_AlreadySettled.selector, cancelled));
        market.draw(cancelled, _t(cancelled));
        uint256 drawn = _open(HALF);
        vm.roll(block.number + DRAW_DELAY + market.BLOCKHASH_HORIZON() + 1);
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_AlreadyDrawn.selector, drawn));
        market.cancel(drawn, _t(drawn));
    }

    /// Staker rewards of a prover whose pool has no shares left go to the operator's claimable: nothing is stuck.
    function test_distributeStakerRewards_creditsTheOperatorWhenThePoolHasNoShares() public {
        address d = provers[2];
        vm.prank(d);
        registry.setCommission(5_000); // half of each payout accrues to its stakers
        uint256 slotId = _openWithDesignate(d, HALF);
        _submit(slotId, d);
        vm.prank(d);
        registry.requestUnstakeAll(d); // the pool is empty now (its bond was released on delivery)
        vm.warp(uint256(_slot(slotId).deadline) + 1);
        _settle(slotId);
        uint256 accrued = market.stakerRewards(d);
        vm.assertTrue(accrued > 0, "rewards accrued");
        uint256 before = market.claimable(d);
        vm.expectEmit(address(market));
        emit IProcurementMarket.StakerRewardsDistributed(d, accrued, false);
        market.distributeStakerRewards(d);
        vm.assertEq(market.claimable(d) - before, accrued, "credited to the operator");
    }

    /// The last holder of a pool takes the rewards that have not vested yet with its stake.
    function test_lastHolderTakesTheUnvestedRewards() public {
        address d = provers[1];
        vm.prank(d);
        registry.setCommission(0); // everything accrues to the pool
        uint256 slotId = _openWithDesignate(d, HALF);
        _submit(slotId, d);
        vm.warp(uint256(_slot(slotId).deadline) + 1);
        _settle(slotId);
        uint256 rewards = market.stakerRewards(d);
        market.distributeStakerRewards(d);
        vm.assertEq(registry.unvestedRewardsOf(d), rewards, "vesting");
        vm.prank(d);
        registry.requestUnstakeAll(d);
        (uint256 pending,) = registry.pendingOf(d, d);
        vm.assertEq(pending, MIN_BOND + rewards, "its bond and every unvested reward");
        vm.assertEq(registry.unvestedRewardsOf(d), 0, "nothing left vesting for nobody");
    }

    /// A second exit while locked after the first exits' locks ended opens a new risk generation; both exiters get
    /// exactly their locked parts back when their slots are delivered.
    function test_exitsAtRiskOfTwoSlotsUseTwoRiskGenerations() public {
        address d = provers[3];
        address alice = address(0xA11);
        address bob = address(0xB0B);
        address[2] memory stakers = [alice, bob];
        _stakeFrom(alice, d, MIN_BOND);
        _stakeFrom(bob, d, MIN_BOND);
        uint256 first = _openWithDesignate(d, HALF);
        vm.prank(alice);
        registry.requestUnstakeAll(d); // generation 0
        (uint256 aliceAtRisk,) = registry.riskOf(d, alice);
        _submit(first, d); // generation 0 ends, released
        uint256 second = _openWithDesignate(d, HALF);
        vm.prank(bob);
        registry.requestUnstakeAll(d); // generation 1 (generation 0 still has alice's released tokens)
        (uint256 bobAtRisk,) = registry.riskOf(d, bob);
        vm.assertTrue(aliceAtRisk > 0 && bobAtRisk > 0, "both exits left a part at risk");
        (, uint256 aliceReleased) = registry.riskOf(d, alice);
        vm.assertLe(aliceAtRisk - aliceReleased, 1, "alice's part came back with the first delivery");
        _submit(second, d);
        (uint256 bobStill, uint256 bobReleased) = registry.riskOf(d, bob);
        vm.assertEq(bobStill, 0, "bob's lock ended");
        vm.assertLe(bobAtRisk - bobReleased, 1, "bob's part came back with the second delivery");
        vm.warp(block.timestamp + DELAY);
        for (uint256 i = 0; i < 2; ++i) {
            vm.prank(stakers[i]);
            registry.withdrawFrom(d);
            vm.assertEq(token.balanceOf(stakers[i]), MIN_BOND, "each got all of its stake back");
        }
        vm.assertEq(registry.riskHeldOf(d), 0, "nothing held for exits any more");
    }

    function test_requestUnstakeAll_revertsWithoutShares() public {
        vm.expectRevert(IProverRegistryTypes.Registry_ZeroAmount.selector);
        vm.prank(requester);
        registry.requestUnstakeAll(provers[0]);
        vm.assertEq(registry.availableToUnbond(requester, requester), 0, "no pool, nothing available");
    }

    /// A prover jailed after a slot opened is in that slot's set, yet the draw skips it: it cannot answer now.
    function test_draw_skipsACandidateJailedSinceTheOpening() public {
        address j = provers[0];
        uint256 slotId = _openUndrawn(HALF); // j is in the set
        uint256 failing = _openWithDesignate(j, HALF);
        vm.warp(uint256(_slot(failing).deadline) + 1);
        _settle(failing); // j is slashed and jailed
        vm.assertTrue(registry.isJailed(j), "jailed");
        uint256 len = market.slotState(slotId).listLength;
        uint256 drawBlock = market.slotState(slotId).openBlock + DRAW_DELAY;
        for (uint256 r = 1; r < 2000; ++r) {
            bytes32 h = keccak256(abi.encode("jailed first", r));
            uint256 word = uint256(keccak256(abi.encode(h, slotId, address(market))));
            if (registry.memberAt(circuitId, uint256(keccak256(abi.encode(word, uint256(0)))) % len) != j) continue;
            vm.setBlockhash(drawBlock, h);
            address d = market.draw(slotId, _t(slotId));
            vm.assertTrue(d != j && d != address(0), "the next candidate is drawn instead");
            return;
        }
        revert("no hash puts the jailed prover first");
    }
}
