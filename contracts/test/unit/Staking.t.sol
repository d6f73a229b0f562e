// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IProverRegistry} from "../../src/interfaces/IProverRegistry.sol";
import {IProverRegistryTypes} from "../../src/interfaces/IProverRegistryTypes.sol";
import {IProcurementMarket} from "../../src/interfaces/IProcurementMarket.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {MarketFixture} from "../utils/MarketFixture.sol";
import {ProverRegistry} from "../../src/ProverRegistry.sol";
import {ProcurementMarket, FailurePolicy, PayoutKind} from "../../src/ProcurementMarket.sol";

/// @notice Stakers behind provers: share accounting, pro-rata slashes, commission and reward distribution, jail.
contract StakingTest is MarketFixture {
    uint256 internal constant HALF = 5e17;
    uint256 internal constant ESCROW = 30e18;
    address internal alice = address(0xA1);
    address internal bob = address(0xB0);

    function setUp() public {
        _deploy(FailurePolicy.COMPENSATE_COMMITTEE, SLOT_BOND);
        for (uint256 i = 0; i < 2; ++i) {
            address a = i == 0 ? alice : bob;
            vm.prank(owner);
            token.mint(a, 1_000e18);
            vm.prank(a);
            token.approve(address(registry), type(uint256).max);
        }
    }

    function _stake(address who, address prover, uint256 amount) internal {
        vm.prank(who);
        registry.stakeTo(prover, amount);
    }

    function _openWithDesignate(address who) internal returns (uint256 slotId) {
        return _openWithDesignate(who, HALF);
    }

    function test_stakeTo_mintsSharesAtThePoolPrice() public {
        address p = provers[0];
        vm.expectEmit(address(registry));
        emit IProverRegistryTypes.Bonded(p, 100e18, 2 * MIN_BOND, alice, 100e21);
        _stake(alice, p, 100e18);
        // ERC-4626-style conversion with 1e3 virtual shares: a fresh pool mints 1e3 shares per base unit
        vm.assertEq(registry.sharesOf(p, alice), 100e21, "1e3 shares per unit at the first price");
        vm.assertEq(registry.totalSharesOf(p), 200e21, "total");
        vm.assertEq(registry.stakeOf(p, alice), 100e18, "value");
        vm.assertEq(registry.bondOf(p), 200e18, "pool");
        vm.assertEq(token.balanceOf(address(registry)), PROVERS * MIN_BOND + 100e18, "tokens held");
    }

    function test_stakeTo_requiresRegisteredProverAndAmount() public {
        vm.expectRevert(abi.encodeWithSelector(IProverRegistryTypes.Registry_NotRegistered.selector, bob));
        _stake(alice, bob, 1);
        vm.expectRevert(IProverRegistryTypes.Registry_ZeroAmount.selector);
        _stake(alice, provers[0], 0);
    }

    function test_slash_lowersEveryShareProRata() public {
        address d = provers[3];
        _stake(alice, d, 300e18); // pool 400: operator 1/4, alice 3/4
        uint256 slotId = _openWithDesignate(d);
        vm.warp(uint256(_slot(slotId).deadline) + 1);
        _settle(slotId);
        vm.assertEq(registry.bondOf(d), 350e18, "pool lost B");
        vm.assertEq(registry.stakeOf(d, d), 87.5e18, "operator -12.5");
        vm.assertEq(registry.stakeOf(d, alice), 262.5e18, "alice -37.5");
        vm.assertTrue(registry.isJailed(d), "jailed");
        // stake alone does not unjail: the operator must act
        vm.assertFalse(registry.isEligible(d), "still out");
        vm.warp(block.timestamp + JAIL_COOLDOWN);
        vm.prank(d);
        registry.unjail();
        vm.assertTrue(registry.isEligible(d), "back");
        // new stake after the slash buys shares at the lower price
        _stake(bob, d, 35e18);
        // 35 tokens at 0.875 per 1e3 shares: 40e21 shares, less what the virtual token and shares round away
        uint256 expected = Math.mulDiv(35e18, 400e21 + registry.VIRTUAL_SHARES(), 350e18 + 1);
        vm.assertEq(registry.sharesOf(d, bob), expected, "priced by the ERC-4626 formula");
        vm.assertLe(40e21 - expected, 1e3, "35 tokens at 0.875 per share, to a thousandth of a unit");
        vm.assertLe(35e18 - registry.stakeOf(d, bob), 1, "worth what it paid, to the unit");
    }

    function test_commission_splitsPayoutsAndDistributionRaisesEveryShare() public {
        address d = provers[1];
        _stake(alice, d, 100e18); // pool 200: operator half, alice half
        vm.prank(d);
        registry.setCommission(2_000); // 20 % (a decrease: immediate)
        vm.assertEq(registry.commissionOf(d), 2_000, "in force");
        uint256 slotId = _openWithDesignate(d);
        _submit(slotId, d);
        vm.warp(uint256(_slot(slotId).deadline) + 1);
        vm.expectEmit(address(market));
        emit IProcurementMarket.StakerRewardAccrued(slotId, d, 24e18);
        vm.expectEmit(address(market));
        emit IProcurementMarket.PayoutCredited(slotId, d, 6e18, uint8(PayoutKind.DESIGNATE));
        _settle(slotId);
        vm.assertEq(market.claimable(d), 6e18, "commission 20 % of 30");
        vm.assertEq(market.stakerRewards(d), 24e18, "80 % accrues to the pool");
        market.distributeStakerRewards(d); // anyone may push it
        vm.assertEq(market.stakerRewards(d), 0, "moved");
        vm.assertEq(registry.bondOf(d), 200e18, "nothing vested yet");
        vm.assertEq(registry.unvestedRewardsOf(d), 24e18, "the rewards vest over the unbonding delay");
        vm.warp(block.timestamp + DELAY / 2);
        vm.assertEq(registry.bondOf(d), 212e18, "half vested halfway");
        vm.warp(block.timestamp + DELAY / 2);
        vm.assertEq(registry.unvestedRewardsOf(d), 0, "all vested");
        vm.assertEq(registry.bondOf(d), 224e18, "pool grew");
        vm.assertLe(112e18 - registry.stakeOf(d, alice), 1, "alice +12 (to the unit: the virtual share rounds down)");
        vm.assertLe(112e18 - registry.stakeOf(d, d), 1, "operator's own shares +12 too (to the unit)");
        vm.assertEq(token.balanceOf(address(registry)), PROVERS * MIN_BOND + 100e18 + 24e18, "tokens moved");
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_NothingToDistribute.selector, d));
        market.distributeStakerRewards(d);
    }

    function test_commission_increaseWaitsForTheUnbondingDelay() public {
        address p = provers[0];
        vm.prank(p);
        registry.setCommission(0);
        vm.prank(p);
        registry.setCommission(10_000);
        vm.assertEq(registry.commissionOf(p), 0, "not yet");
        vm.warp(block.timestamp + DELAY);
        vm.assertEq(registry.commissionOf(p), 10_000, "after the delay");
        vm.expectRevert(abi.encodeWithSelector(IProverRegistryTypes.Registry_InvalidCommission.selector, 10_001));
        vm.prank(p);
        registry.setCommission(10_001);
    }

    function test_distribute_creditsOperatorWhenThePoolHasNoShares() public {
        address d = provers[4];
        vm.prank(d);
        registry.setCommission(0);
        uint256 slotId = _openWithDesignate(d);
        _submit(slotId, d);
        vm.warp(uint256(_slot(slotId).deadline) + 1);
        _settle(slotId);
        vm.prank(d);
        registry.requestUnbond(MIN_BOND); // last holder leaves: the pool has no shares
        vm.assertEq(registry.totalSharesOf(d), 0, "empty pool");
        market.distributeStakerRewards(d);
        vm.assertEq(market.claimable(d), ESCROW, "credited to the operator instead");
    }

    function test_lastHolderTakesTheWholePool_noDustLeft() public {
        address p = provers[2];
        _stake(alice, p, 3); // odd amounts
        uint256 own = registry.availableToUnbond(p, p);
        vm.prank(p);
        registry.requestUnbond(own);
        uint256 rest = registry.availableToUnbond(p, alice);
        vm.assertEq(rest, 3, "alice's 3 units");
        vm.prank(alice);
        registry.requestUnstake(p, rest);
        vm.assertEq(registry.bondOf(p), 0, "pool empty");
        vm.assertEq(registry.totalSharesOf(p), 0, "no shares");
        vm.warp(block.timestamp + DELAY);
        vm.prank(p);
        registry.withdraw();
        vm.prank(alice);
        registry.withdrawFrom(p);
        vm.assertEq(token.balanceOf(alice), 1_000e18, "alice whole again");
    }

    /// A pool seized to zero starts a new share era when staked into again: the old shares are worth nothing and stop
    /// counting; the new stake keeps its value.
    function test_poolSlashedToZero_newStakeKeepsItsValue() public {
        _deploy(FailurePolicy.PAPER, MIN_BOND); // slotBond = minBond = the whole bond
        address d = provers[0];
        uint256 slotId = _openWithDesignate(d);
        vm.warp(uint256(_slot(slotId).deadline) + 1);
        _settle(slotId);
        vm.assertEq(registry.bondOf(d), 0, "wiped out");
        vm.assertEq(registry.stakeOf(d, d), 0, "old shares worthless");
        vm.prank(owner);
        token.mint(alice, 0);
        vm.prank(alice);
        token.approve(address(registry), type(uint256).max);
        vm.prank(owner);
        token.mint(alice, 1_000e18);
        _stake(alice, d, 50e18);
        vm.assertEq(registry.sharesOf(d, d), 0, "old era's shares stop counting");
        vm.assertEq(registry.totalSharesOf(d), 50e21, "the share count restarts: 1e3 per unit");
        vm.assertEq(registry.stakeOf(d, alice), 50e18, "new stake keeps its value");
        vm.prank(d);
        registry.bond(MIN_BOND);
        vm.warp(block.timestamp + JAIL_COOLDOWN);
        vm.prank(d);
        registry.unjail();
        vm.assertTrue(registry.isEligible(d), "operator re-bonded and unjailed");
    }

    /// Review finding: with virtual shares alone, every wipe of a pool multiplied its share count (1e3 per unit times
    /// the old count), so a few wipes overflowed `stakeTo` for everyone. Each wipe now starts a new era.
    function test_repeatedWipesKeepTheShareCountBounded() public {
        _deploy(FailurePolicy.PAPER, MIN_BOND); // slotBond = minBond: a failed slot wipes the designate's pool
        address d = provers[0];
        for (uint256 wipe = 0; wipe < 4; ++wipe) {
            uint256 slotId = _openWithDesignate(d, HALF);
            vm.warp(uint256(_slot(slotId).deadline) + 1);
            _settle(slotId);
            vm.assertEq(registry.bondOf(d), 0, "wiped");
            vm.prank(d);
            registry.bond(MIN_BOND);
            vm.assertEq(registry.totalSharesOf(d), MIN_BOND * 1e3, "a fresh era: 1e3 shares per unit");
            vm.warp(block.timestamp + JAIL_COOLDOWN);
            vm.prank(d);
            registry.unjail();
        }
        vm.assertEq(registry.stakeOf(d, d), MIN_BOND, "the operator's new bond keeps its value");
    }

    function test_requestUnstakeAll_redeemsSharesWorthNothing() public {
        _deploy(FailurePolicy.PAPER, MIN_BOND);
        address d = provers[0];
        vm.prank(owner);
        token.mint(alice, 1);
        vm.prank(alice);
        token.approve(address(registry), type(uint256).max);
        _stake(alice, d, 1); // one share, one unit
        uint256 slotId = _openWithDesignate(d);
        vm.warp(uint256(_slot(slotId).deadline) + 1);
        _settle(slotId); // slashes 100e18 of the 100e18 + 1 pool: 1 unit left for 100e18 + 1 shares
        vm.assertEq(registry.bondOf(d), 1, "one unit left");
        vm.assertEq(registry.stakeOf(d, alice), 0, "alice's share rounds to zero");
        vm.prank(alice);
        registry.requestUnstakeAll(d); // burns it anyway
        vm.assertEq(registry.sharesOf(d, alice), 0, "burnt");
        vm.prank(d);
        registry.requestUnstakeAll(d); // the last holder takes the remaining unit
        vm.assertEq(registry.bondOf(d), 0, "nothing left without an owner");
        vm.assertEq(registry.totalSharesOf(d), 0, "no shares");
    }

    /// Just-in-time staking (review finding): a staker who joins right before rewards are distributed and leaves
    /// right after gets nothing of them; a staker who stays while they vest gets its pro-rata share.
    function test_jitStaker_getsNothingOfRewardsDistributedWhileItHeldForAnInstant() public {
        _deploy(FailurePolicy.COMPENSATE_COMMITTEE, SLOT_BOND);
        address d = provers[0];
        vm.prank(d);
        registry.setCommission(0); // everything to the pool
        // the prover earns: a slot it delivers as the designate
        uint256 slotId;
        for (uint256 k = 0; ; ++k) {
            vm.prevrandao(k + 1);
            slotId = _open(5e17);
            if (_designate(slotId) == d) break;
            _submit(slotId, _designate(slotId));
        }
        _submit(slotId, d);
        vm.warp(block.timestamp + WINDOW + 1);
        _settle(slotId);
        uint256 rewards = market.stakerRewards(d);
        vm.assertTrue(rewards > 0, "rewards accrued");

        address sniper = address(0x5A1);
        vm.prank(owner);
        token.mint(sniper, 10_000e18);
        vm.startPrank(sniper);
        token.approve(address(registry), type(uint256).max);
        registry.stakeTo(d, 10_000e18); // 100x the operator's stake, just before the distribution
        vm.stopPrank();
        market.distributeStakerRewards(d);
        vm.prank(sniper);
        registry.requestUnstakeAll(d); // and straight out
        (uint256 pending,) = registry.pendingOf(d, sniper);
        vm.assertLe(pending, 10_000e18, "the sniper leaves with at most its stake: no reward");
        vm.assertGe(pending + 1, 10_000e18, "(up to one unit of rounding)");

        // the operator, who stayed, gets all of it once it has vested
        vm.warp(block.timestamp + DELAY);
        vm.assertGe(registry.stakeOf(d, d) + 2, MIN_BOND + rewards, "the staying holder got the rewards");
    }

    /// Review finding L-1: a pool slashed to zero with rewards still vesting keeps them for its old holders; the first
    /// staker of the new share generation does not get them.
    function test_rewardsStillVestingInAPoolSlashedToZero_stayWithItsHolders() public {
        _deploy(FailurePolicy.COMPENSATE_COMMITTEE, MIN_BOND); // slot bond = min bond: a failure empties the pool
        address d = provers[0];
        vm.prank(d);
        registry.setCommission(0);
        uint256 slotId;
        for (uint256 k = 0; ; ++k) {
            vm.prevrandao(k + 1);
            slotId = _open(5e17);
            address drawn = _designate(slotId);
            _submit(slotId, drawn);
            if (drawn == d) break;
        }
        vm.warp(block.timestamp + WINDOW + 1);
        _settle(slotId); // d earned: rewards accrue to its stakers
        market.distributeStakerRewards(d); // now vesting in d's pool
        uint256 unvested = registry.unvestedRewardsOf(d);
        vm.assertTrue(unvested > 0, "rewards vesting");
        // d is drawn again and fails: its whole stake is slashed
        uint256 failed;
        for (uint256 k = 100; ; ++k) {
            vm.prevrandao(k);
            failed = _open(5e17);
            address drawn = _designate(failed);
            if (drawn == d) break;
            _submit(failed, drawn);
        }
        vm.warp(block.timestamp + WINDOW + 1);
        uint256 stillVesting = registry.unvestedRewardsOf(d);
        uint256 vestedSoFar = registry.bondOf(d) - MIN_BOND;
        _settle(failed); // the slash takes the whole locked stake (slot bond = min bond)
        vm.assertEq(registry.lockedOf(d), 0, "lock gone");
        vm.assertEq(registry.unvestedRewardsOf(d), 0, "the emptied pool vested what was still vesting");
        vm.assertGe(registry.bondOf(d) + 1, stillVesting + vestedSoFar, "the rewards stayed in the pool");
        address newcomer = address(0xC0FFEE);
        vm.prank(owner);
        token.mint(newcomer, 10e18);
        vm.startPrank(newcomer);
        token.approve(address(registry), type(uint256).max);
        registry.stakeTo(d, 10e18);
        registry.requestUnstakeAll(d);
        vm.stopPrank();
        (uint256 pending,) = registry.pendingOf(d, newcomer);
        vm.assertLe(pending, 10e18, "the newcomer takes back at most its own stake");
        vm.assertGe(registry.stakeOf(d, d) + 2, unvested, "the old holder keeps the rewards");
    }

    /// The operator's minimum stake prices the dust griefing of a permissionless pool: a stranger must bring at least
    /// the minimum, and may reduce its position only to the minimum or leave entirely (no wei-sized exits).
    function test_minStake_boundsThirdPartyPositions_notTheOperator() public {
        address p = provers[0];
        vm.expectEmit(address(registry));
        emit IProverRegistryTypes.MinStakeChanged(p, 10e18);
        vm.prank(p);
        registry.setMinStake(10e18);
        vm.assertEq(registry.minStakeOf(p), 10e18, "set");
        vm.expectRevert(abi.encodeWithSelector(IProverRegistryTypes.Registry_StakeBelowMinimum.selector, p, 1e18, 10e18));
        _stake(alice, p, 1e18);
        _stake(alice, p, 10e18);
        _stake(alice, p, 1); // top-ups of a position are free
        vm.expectRevert(
            abi.encodeWithSelector(IProverRegistryTypes.Registry_StakeBelowMinimum.selector, p, 9e18, 10e18)
        );
        vm.prank(alice);
        registry.requestUnstake(p, 1e18 + 1);
        vm.prank(alice);
        registry.requestUnstake(p, 1); // leaves exactly the minimum
        vm.prank(alice);
        registry.requestUnstakeAll(p); // or leaves entirely
        vm.prank(p);
        registry.requestUnbond(1); // the operator is not bound by it
        vm.expectRevert(abi.encodeWithSelector(IProverRegistryTypes.Registry_NotRegistered.selector, alice));
        vm.prank(alice);
        registry.setMinStake(1);
    }
}
