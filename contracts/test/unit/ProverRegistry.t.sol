// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {MarketFixture} from "../utils/MarketFixture.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ProverRegistry} from "../../src/ProverRegistry.sol";
import {DemoToken} from "../../src/DemoToken.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @notice Unit tests of ProverRegistry; the "market" here is a plain address so lock/unlock/slash are direct.
contract ProverRegistryTest is MarketFixture {
    address internal fakeMarket = address(0x3A3);

    function setUp() public {
        vm.warp(1_700_000_000);
        token = new DemoToken("Procura Demo", "PDT", owner);
        registry = new ProverRegistry(token, MIN_BOND, DELAY, 0, owner);
        vm.prank(owner);
        registry.setMarket(fakeMarket);
        delete provers;
        for (uint256 i = 0; i < 3; ++i) {
            provers.push(_newProver(i, MIN_BOND));
        }
    }

    function test_constructor_rejectsZeroTokenAndDelay() public {
        vm.expectRevert(ProverRegistry.Registry_ZeroAddress.selector);
        new ProverRegistry(IERC20(address(0)), MIN_BOND, DELAY, 0, owner);
        vm.expectRevert(ProverRegistry.Registry_ZeroUnbondingDelay.selector);
        new ProverRegistry(token, MIN_BOND, 0, 0, owner);
    }

    function test_setMarket_onlyOwnerOnlyOnce() public {
        ProverRegistry fresh = new ProverRegistry(token, MIN_BOND, DELAY, 0, owner);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, requester));
        vm.prank(requester);
        fresh.setMarket(fakeMarket);
        vm.expectRevert(ProverRegistry.Registry_ZeroAddress.selector);
        vm.prank(owner);
        fresh.setMarket(address(0));
        vm.prank(owner);
        fresh.setMarket(fakeMarket);
        vm.expectRevert(abi.encodeWithSelector(ProverRegistry.Registry_MarketAlreadySet.selector, fakeMarket));
        vm.prank(owner);
        fresh.setMarket(address(1));
    }

    function test_register_storesProverAndRejectsTwice() public {
        ProverRegistry.ProverInfo memory info = registry.getProver(provers[1]);
        vm.assertTrue(info.registered, "registered");
        vm.assertEq(keccak256(bytes(info.endpoint)), keccak256("http://prover-1"), "endpoint");
        vm.assertEq(info.vrfPublicKeyHash, keccak256(abi.encode(uint256(1))), "vrf key hash");
        vm.assertEq(info.bond, MIN_BOND, "bond");
        vm.expectRevert(abi.encodeWithSelector(ProverRegistry.Registry_AlreadyRegistered.selector, provers[1]));
        vm.prank(provers[1]);
        registry.register("x", bytes32(0));
    }

    function test_bond_requiresRegistrationAndAmount() public {
        vm.expectRevert(abi.encodeWithSelector(ProverRegistry.Registry_NotRegistered.selector, requester));
        vm.prank(requester);
        registry.bond(1);
        vm.expectRevert(ProverRegistry.Registry_ZeroAmount.selector);
        vm.prank(provers[0]);
        registry.bond(0);
    }

    function test_bond_makesEligibleAtMinBond() public {
        address p = _newProver(10, MIN_BOND - 1);
        vm.assertFalse(registry.isEligible(p), "below min bond");
        uint256 countBefore = registry.eligibleCount();
        vm.expectEmit(address(registry));
        emit ProverRegistry.Bonded(p, 1, MIN_BOND, p, 1);
        vm.prank(p);
        registry.bond(1);
        vm.assertTrue(registry.isEligible(p), "eligible");
        vm.assertEq(registry.eligibleCount(), countBefore + 1, "count");
        vm.assertEq(registry.eligibleProverAt(countBefore), p, "appended");
        vm.assertEq(token.balanceOf(address(registry)), 4 * MIN_BOND, "tokens held");
    }

    function test_requestUnbond_leavesSetAndSwapRemoves() public {
        vm.prank(provers[0]);
        registry.requestUnbond(1);
        vm.assertFalse(registry.isEligible(provers[0]), "ineligible");
        vm.assertEq(registry.eligibleCount(), 2, "count");
        vm.assertEq(registry.eligibleProverAt(0), provers[2], "last moved into the hole");
        vm.assertEq(registry.eligibleProverAt(1), provers[1], "unchanged");
        vm.expectRevert(abi.encodeWithSelector(ProverRegistry.Registry_IndexOutOfRange.selector, 2, 2));
        registry.eligibleProverAt(2);
    }

    function test_requestUnbond_revertsAboveAvailable() public {
        vm.prank(fakeMarket);
        registry.lock(provers[0], 7, 30e18);
        vm.expectRevert(
            abi.encodeWithSelector(
                ProverRegistry.Registry_InsufficientAvailableBond.selector, provers[0], MIN_BOND - 30e18 + 1, MIN_BOND - 30e18
            )
        );
        vm.prank(provers[0]);
        registry.requestUnbond(MIN_BOND - 30e18 + 1);
        vm.expectRevert(ProverRegistry.Registry_ZeroAmount.selector);
        vm.prank(provers[0]);
        registry.requestUnbond(0);
    }

    function test_withdraw_onlyAfterDelay() public {
        vm.prank(provers[0]);
        registry.requestUnbond(40e18);
        uint64 release = uint64(block.timestamp) + DELAY;
        vm.expectRevert(
            abi.encodeWithSelector(ProverRegistry.Registry_UnbondingNotElapsed.selector, provers[0], release, block.timestamp)
        );
        vm.prank(provers[0]);
        registry.withdraw();
        vm.warp(release);
        uint256 before = token.balanceOf(provers[0]);
        vm.prank(provers[0]);
        registry.withdraw();
        vm.assertEq(token.balanceOf(provers[0]) - before, 40e18, "paid back");
        vm.assertEq(registry.bondOf(provers[0]), 60e18, "bond");
        vm.expectRevert(abi.encodeWithSelector(ProverRegistry.Registry_NothingToWithdraw.selector, provers[0]));
        vm.prank(provers[0]);
        registry.withdraw();
    }

    function test_marketOnly_functionsRejectOthers() public {
        vm.startPrank(provers[0]);
        vm.expectRevert(abi.encodeWithSelector(ProverRegistry.Registry_NotMarket.selector, provers[0]));
        registry.lock(provers[0], 0, 1);
        vm.expectRevert(abi.encodeWithSelector(ProverRegistry.Registry_NotMarket.selector, provers[0]));
        registry.unlock(provers[0], 0, 1);
        vm.expectRevert(abi.encodeWithSelector(ProverRegistry.Registry_NotMarket.selector, provers[0]));
        registry.slash(provers[0], 0, 1, provers[0]);
        vm.stopPrank();
    }

    function test_lock_unlock_trackTheLockedTotal() public {
        vm.startPrank(fakeMarket);
        registry.lock(provers[0], 1, 60e18);
        vm.expectRevert(
            abi.encodeWithSelector(ProverRegistry.Registry_InsufficientFreeBond.selector, provers[0], 41e18, 40e18)
        );
        registry.lock(provers[0], 2, 41e18);
        vm.expectRevert(
            abi.encodeWithSelector(ProverRegistry.Registry_InsufficientLock.selector, provers[0], 61e18, 60e18)
        );
        registry.unlock(provers[0], 2, 61e18);
        registry.unlock(provers[0], 1, 60e18);
        vm.stopPrank();
        vm.assertEq(registry.lockedOf(provers[0]), 0, "unlocked");
        vm.assertEq(registry.freeBondOf(provers[0]), MIN_BOND, "free");
    }

    function test_slash_transfersJailsAndUnjailNeedsRebond() public {
        vm.startPrank(fakeMarket);
        registry.lock(provers[1], 5, 50e18);
        vm.expectEmit(address(registry));
        emit ProverRegistry.Slashed(provers[1], 5, 50e18, requester);
        vm.expectEmit(address(registry));
        emit ProverRegistry.Jailed(provers[1]);
        registry.slash(provers[1], 5, 50e18, requester);
        vm.stopPrank();
        vm.assertEq(token.balanceOf(requester), 50e18, "slashed tokens sent");
        vm.assertEq(registry.bondOf(provers[1]), 50e18, "bond reduced");
        vm.assertFalse(registry.isEligible(provers[1]), "jailed is ineligible");

        vm.expectRevert(
            abi.encodeWithSelector(ProverRegistry.Registry_BondBelowMinimum.selector, provers[1], 50e18, MIN_BOND)
        );
        vm.prank(provers[1]);
        registry.unjail();
        vm.startPrank(provers[1]);
        registry.bond(50e18);
        vm.assertFalse(registry.isEligible(provers[1]), "still jailed after re-bond");
        registry.unjail();
        vm.stopPrank();
        vm.assertTrue(registry.isEligible(provers[1]), "eligible again");
        vm.expectRevert(abi.encodeWithSelector(ProverRegistry.Registry_NotJailed.selector, provers[1]));
        vm.prank(provers[1]);
        registry.unjail();
    }

    function test_isEligibleForSlot_followsEpochs() public {
        uint256 s0 = registry.eligibilityEpoch();
        address late = _newProver(20, MIN_BOND);
        uint256 s1 = registry.eligibilityEpoch();
        vm.assertFalse(registry.isEligibleForSlot(late, s0), "not yet eligible at s0");
        vm.assertTrue(registry.isEligibleForSlot(late, s1), "eligible at s1");
        vm.assertTrue(registry.isEligibleForSlot(provers[0], s0), "early prover at s0");

        vm.prank(provers[0]);
        registry.requestUnbond(1);
        uint256 s2 = registry.eligibilityEpoch();
        vm.assertTrue(registry.isEligibleForSlot(provers[0], s1), "was eligible at s1");
        vm.assertFalse(registry.isEligibleForSlot(provers[0], s2), "left at s2");

        // documented corner case: re-entering the set forgets the earlier interval
        vm.prank(provers[0]);
        registry.bond(1);
        uint256 s3 = registry.eligibilityEpoch();
        vm.assertTrue(registry.isEligibleForSlot(provers[0], s3), "eligible again at s3");
        vm.assertFalse(registry.isEligibleForSlot(provers[0], s2), "not at s2");
        vm.assertFalse(registry.isEligibleForSlot(provers[0], s1), "earlier interval forgotten");
        vm.assertFalse(registry.isEligibleForSlot(requester, s3), "never registered");
    }
}
