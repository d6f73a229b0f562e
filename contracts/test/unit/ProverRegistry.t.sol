// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IProverRegistry} from "../../src/interfaces/IProverRegistry.sol";
import {IProverRegistryTypes} from "../../src/interfaces/IProverRegistryTypes.sol";
import {IProcurementMarket} from "../../src/interfaces/IProcurementMarket.sol";
import {MarketFixture} from "../utils/MarketFixture.sol";
import {ProcurementMarket, FailurePolicy} from "../../src/ProcurementMarket.sol";
import {ProverRegistry} from "../../src/ProverRegistry.sol";
import {DemoToken} from "../../src/DemoToken.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {CircuitDirectoryMock} from "../mocks/CircuitDirectoryMock.sol";

/// @notice Unit tests of ProverRegistry; the "market" here is a mock circuit directory (circuits 0..15) that the tests
///         prank as, so drawAndLock/unlock/slash are direct. Every prover is opted into circuit 0 (`circuitId`).
contract ProverRegistryTest is MarketFixture {
    address internal fakeMarket;

    /// @dev Locks `amount` of `prover`'s pool for `slotId` through drawAndLock with a word whose first candidate is
    ///      `prover` (as the market would).
    function _lockFor(address prover, uint256 slotId, uint256 amount) internal {
        uint256 len = registry.memberCount(circuitId);
        for (uint256 w = 0; w < 1000; ++w) {
            if (registry.memberAt(circuitId, uint256(keccak256(abi.encode(w, uint256(0)))) % len) != prover) continue;
            uint64 epoch = registry.eligibilityEpoch();
            vm.prank(fakeMarket);
            address d = registry.drawAndLock(circuitId, w, epoch, len, 1, slotId, amount, 0);
            vm.assertEq(d, prover, "locked the intended prover");
            return;
        }
        revert("no word selects the prover");
    }

    function setUp() public {
        vm.warp(1_700_000_000);
        fakeMarket = address(new CircuitDirectoryMock());
        token = new DemoToken("Procura Demo", "PDT", owner);
        registry = new ProverRegistry(token, MIN_BOND, DELAY, 0, JAIL_COOLDOWN, fakeMarket, owner);
        delete provers;
        for (uint256 i = 0; i < 3; ++i) {
            provers.push(_newProver(i, MIN_BOND));
        }
    }

    function test_constructor_rejectsZeroTokenAndDelay() public {
        vm.expectRevert(IProverRegistryTypes.Registry_ZeroAddress.selector);
        new ProverRegistry(IERC20(address(0)), MIN_BOND, DELAY, 0, JAIL_COOLDOWN, fakeMarket, owner);
        vm.expectRevert(IProverRegistryTypes.Registry_ZeroAddress.selector);
        new ProverRegistry(token, MIN_BOND, DELAY, 0, JAIL_COOLDOWN, address(0), owner);
        vm.expectRevert(IProverRegistryTypes.Registry_ZeroUnbondingDelay.selector);
        new ProverRegistry(token, MIN_BOND, 0, 0, JAIL_COOLDOWN, fakeMarket, owner);
    }

    function test_market_isBoundAtConstruction_andAMarketRefusesARegistryBoundElsewhere() public {
        vm.assertEq(registry.market(), fakeMarket, "bound");
        ProverRegistry elsewhere = new ProverRegistry(token, MIN_BOND, DELAY, 0, JAIL_COOLDOWN, address(0xBEEF), owner);
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_RegistryNotBound.selector, address(0xBEEF)));
        new ProcurementMarket(token, elsewhere, FailurePolicy.PAPER, 0, 0, DRAW_DELAY, owner);
    }

    function test_register_storesProverAndRejectsTwice() public {
        ProverRegistry.ProverInfo memory info = registry.getProver(provers[1]);
        vm.assertTrue(info.registered, "registered");
        vm.assertEq(keccak256(bytes(info.endpoint)), keccak256("http://prover-1"), "endpoint");
        vm.assertEq(info.vrfPublicKeyHash, keccak256(abi.encode(uint256(1))), "vrf key hash");
        vm.assertEq(info.bond, MIN_BOND, "bond");
        vm.expectRevert(abi.encodeWithSelector(IProverRegistryTypes.Registry_AlreadyRegistered.selector, provers[1]));
        vm.prank(provers[1]);
        registry.register("x", bytes32(0));
    }

    function test_bond_requiresRegistrationAndAmount() public {
        vm.expectRevert(abi.encodeWithSelector(IProverRegistryTypes.Registry_NotRegistered.selector, requester));
        vm.prank(requester);
        registry.bond(1);
        vm.expectRevert(IProverRegistryTypes.Registry_ZeroAmount.selector);
        vm.prank(provers[0]);
        registry.bond(0);
    }

    function test_bond_makesEligibleAtMinBond() public {
        address p = _newProver(10, MIN_BOND - 1);
        vm.assertFalse(registry.isEligible(p), "below min bond");
        uint256 countBefore = registry.eligibleCount(circuitId);
        vm.expectEmit(address(registry));
        emit IProverRegistryTypes.Bonded(p, 1, MIN_BOND, p, 1e3); // 1e3 shares per unit (ERC-4626 virtual shares)
        vm.prank(p);
        registry.bond(1);
        vm.assertTrue(registry.isEligible(p), "eligible");
        vm.assertTrue(registry.isEligibleFor(p, circuitId), "eligible for its circuit");
        vm.assertEq(registry.eligibleCount(circuitId), countBefore + 1, "count");
        vm.assertEq(registry.memberAt(circuitId, countBefore), p, "appended to the member list");
        vm.assertEq(token.balanceOf(address(registry)), 4 * MIN_BOND, "tokens held");
    }

    function test_requestUnbond_leavesTheSetButKeepsItsMemberPosition() public {
        vm.prank(provers[0]);
        registry.requestUnbond(1);
        vm.assertFalse(registry.isEligible(provers[0]), "ineligible");
        vm.assertFalse(registry.isEligibleFor(provers[0], circuitId), "out of the circuit's set");
        vm.assertEq(registry.eligibleCount(circuitId), 2, "count");
        vm.assertEq(registry.memberCount(circuitId), 3, "the member list never shrinks");
        vm.assertEq(registry.memberAt(circuitId, 0), provers[0], "positions never move");
        vm.assertEq(registry.memberAt(circuitId, 2), provers[2], "positions never move (last)");
        vm.expectRevert(abi.encodeWithSelector(IProverRegistryTypes.Registry_IndexOutOfRange.selector, 3, 3));
        registry.memberAt(circuitId, 3);
        vm.prank(provers[0]);
        registry.bond(1);
        vm.assertEq(registry.memberCount(circuitId), 3, "re-entering does not append twice");
    }

    function test_optIn_optOut_perCircuitSetsAndErrors() public {
        address p = provers[1];
        vm.startPrank(p);
        vm.expectRevert(abi.encodeWithSelector(IProverRegistryTypes.Registry_AlreadyOptedIn.selector, p, circuitId));
        registry.optIn(circuitId);
        vm.expectRevert(abi.encodeWithSelector(IProverRegistryTypes.Registry_UnknownCircuit.selector, 99));
        registry.optIn(99);
        vm.expectRevert(abi.encodeWithSelector(IProverRegistryTypes.Registry_NotOptedIn.selector, p, 3));
        registry.optOut(3);
        vm.expectEmit(address(registry));
        emit IProverRegistryTypes.OptedIn(p, 3);
        registry.optIn(3);
        vm.assertTrue(registry.isEligibleFor(p, 3), "eligible for circuit 3");
        vm.assertEq(registry.eligibleCount(3), 1, "one prover in circuit 3");
        vm.assertFalse(registry.isEligibleFor(provers[0], 3), "others did not opt in");
        for (uint256 c = 4; c < 4 + registry.MAX_CIRCUITS_PER_PROVER() - 2; ++c) {
            registry.optIn(c);
        }
        vm.expectRevert(abi.encodeWithSelector(IProverRegistryTypes.Registry_TooManyCircuits.selector, p, 8));
        registry.optIn(15);
        uint256 epoch = registry.eligibilityEpoch();
        registry.optOut(3);
        vm.stopPrank();
        vm.assertFalse(registry.isEligibleFor(p, 3), "out of circuit 3 at once");
        vm.assertEq(registry.eligibleCount(3), 0, "count");
        vm.assertTrue(registry.isEligibleForSlot(p, 3, epoch), "keeps its rights in slots opened before");
        vm.assertTrue(registry.isEligibleFor(p, circuitId), "still in its other circuits");
        vm.assertEq(registry.circuitsOf(p).length, registry.MAX_CIRCUITS_PER_PROVER() - 1, "circuits");
        // one eligibility change moves the prover in or out of every circuit it opted into
        vm.prank(p);
        registry.requestUnbond(1);
        for (uint256 c = 4; c < 4 + registry.MAX_CIRCUITS_PER_PROVER() - 2; ++c) {
            vm.assertFalse(registry.isEligibleFor(p, c), "left every circuit");
        }
        vm.assertFalse(registry.isEligibleFor(p, circuitId), "left circuit 0 too");
    }

    function test_optIn_requiresRegistration() public {
        vm.expectRevert(abi.encodeWithSelector(IProverRegistryTypes.Registry_NotRegistered.selector, requester));
        vm.prank(requester);
        registry.optIn(circuitId);
    }

    function test_drawAndLock_skipsCandidatesThatJoinedAfterTheSnapshotOrCannotLock() public {
        uint256 snapshot = registry.eligibilityEpoch();
        address late = _newProver(30, MIN_BOND); // member 3, joined after the snapshot
        uint256 len = registry.memberCount(circuitId);
        // a word whose first candidate is the late joiner and second one an early prover
        for (uint256 w = 0; w < 2000; ++w) {
            address first = registry.memberAt(circuitId, uint256(keccak256(abi.encode(w, uint256(0)))) % len);
            address second = registry.memberAt(circuitId, uint256(keccak256(abi.encode(w, uint256(1)))) % len);
            if (first != late || second == late) continue;
            vm.prank(fakeMarket);
            address d = registry.drawAndLock(circuitId, w, uint64(snapshot), len, 8, 1, 10e18, 0);
            vm.assertEq(d, second, "the late joiner is skipped for a slot opened before it joined");
            vm.prank(fakeMarket);
            vm.assertEq(
                registry.drawAndLock(circuitId, w, uint64(snapshot), len, 8, 2, MIN_BOND + 1, 0),
                address(0),
                "nobody can lock more than its free stake: no designate"
            );
            return;
        }
        revert("no suitable word");
    }

    function test_requestUnbond_revertsAboveTheHoldersStake() public {
        _lockFor(provers[0], 7, 30e18);
        vm.expectRevert(
            abi.encodeWithSelector(
                IProverRegistryTypes.Registry_InsufficientAvailableBond.selector, provers[0], MIN_BOND + 1, MIN_BOND
            )
        );
        vm.prank(provers[0]);
        registry.requestUnbond(MIN_BOND + 1);
        vm.expectRevert(IProverRegistryTypes.Registry_ZeroAmount.selector);
        vm.prank(provers[0]);
        registry.requestUnbond(0);
    }

    function test_withdraw_onlyAfterDelay() public {
        vm.prank(provers[0]);
        registry.requestUnbond(40e18);
        uint64 release = uint64(block.timestamp) + DELAY;
        vm.expectRevert(
            abi.encodeWithSelector(IProverRegistryTypes.Registry_UnbondingNotElapsed.selector, provers[0], release, block.timestamp)
        );
        vm.prank(provers[0]);
        registry.withdraw();
        vm.warp(release);
        uint256 before = token.balanceOf(provers[0]);
        vm.prank(provers[0]);
        registry.withdraw();
        vm.assertEq(token.balanceOf(provers[0]) - before, 40e18, "paid back");
        vm.assertEq(registry.bondOf(provers[0]), 60e18, "bond");
        vm.expectRevert(abi.encodeWithSelector(IProverRegistryTypes.Registry_NothingToWithdraw.selector, provers[0]));
        vm.prank(provers[0]);
        registry.withdraw();
    }

    function test_marketOnly_functionsRejectOthers() public {
        vm.startPrank(provers[0]);
        vm.expectRevert(abi.encodeWithSelector(IProverRegistryTypes.Registry_NotMarket.selector, provers[0]));
        registry.drawAndLock(circuitId, 0, 0, 1, 1, 0, 1, 0);
        vm.expectRevert(abi.encodeWithSelector(IProverRegistryTypes.Registry_NotMarket.selector, provers[0]));
        registry.unlock(provers[0], 0, 1, 0);
        vm.expectRevert(abi.encodeWithSelector(IProverRegistryTypes.Registry_NotMarket.selector, provers[0]));
        registry.slash(provers[0], 0, 1, 0, provers[0]);
        vm.stopPrank();
    }

    function test_lock_unlock_trackTheLockedTotal() public {
        _lockFor(provers[0], 1, 60e18);
        vm.assertEq(registry.lockedOf(provers[0]), 60e18, "locked");
        vm.startPrank(fakeMarket);
        vm.expectRevert(
            abi.encodeWithSelector(IProverRegistryTypes.Registry_InsufficientLock.selector, provers[0], 61e18, 60e18)
        );
        registry.unlock(provers[0], 2, 61e18, 0);
        registry.unlock(provers[0], 1, 60e18, 0);
        vm.stopPrank();
        vm.assertEq(registry.lockedOf(provers[0]), 0, "unlocked");
        vm.assertEq(registry.freeBondOf(provers[0]), MIN_BOND, "free");
    }

    function test_slash_transfersJailsAndUnjailNeedsRebond() public {
        _lockFor(provers[1], 5, 50e18);
        vm.startPrank(fakeMarket);
        vm.expectEmit(address(registry));
        emit IProverRegistryTypes.Slashed(provers[1], 5, 50e18, requester);
        vm.expectEmit(address(registry));
        emit IProverRegistryTypes.Jailed(provers[1]);
        registry.slash(provers[1], 5, 50e18, 0, requester);
        vm.stopPrank();
        vm.assertEq(token.balanceOf(requester), 50e18, "slashed tokens sent");
        vm.assertEq(registry.bondOf(provers[1]), 50e18, "bond reduced");
        vm.assertFalse(registry.isEligible(provers[1]), "jailed is ineligible");

        uint64 from = uint64(block.timestamp) + JAIL_COOLDOWN;
        vm.expectRevert(
            abi.encodeWithSelector(IProverRegistryTypes.Registry_JailCooldown.selector, provers[1], from, block.timestamp)
        );
        vm.prank(provers[1]);
        registry.unjail();
        vm.warp(from);
        vm.expectRevert(
            abi.encodeWithSelector(IProverRegistryTypes.Registry_BondBelowMinimum.selector, provers[1], 50e18, MIN_BOND)
        );
        vm.prank(provers[1]);
        registry.unjail();
        vm.startPrank(provers[1]);
        registry.bond(50e18);
        vm.assertFalse(registry.isEligible(provers[1]), "still jailed after re-bond");
        registry.unjail();
        vm.stopPrank();
        vm.assertTrue(registry.isEligible(provers[1]), "eligible again");
        vm.expectRevert(abi.encodeWithSelector(IProverRegistryTypes.Registry_NotJailed.selector, provers[1]));
        vm.prank(provers[1]);
        registry.unjail();
    }

    function test_isEligibleForSlot_followsEpochs() public {
        uint256 s0 = registry.eligibilityEpoch();
        address late = _newProver(20, MIN_BOND);
        uint256 s1 = registry.eligibilityEpoch();
        vm.assertFalse(registry.isEligibleForSlot(late, circuitId, s0), "not yet eligible at s0");
        vm.assertTrue(registry.isEligibleForSlot(late, circuitId, s1), "eligible at s1");
        vm.assertTrue(registry.isEligibleForSlot(provers[0], circuitId, s0), "early prover at s0");
        vm.assertFalse(registry.isEligibleForSlot(provers[0], 1, s0), "not for a circuit it did not opt into");

        vm.prank(provers[0]);
        registry.requestUnbond(1);
        uint256 s2 = registry.eligibilityEpoch();
        vm.assertTrue(registry.isEligibleForSlot(provers[0], circuitId, s1), "was eligible at s1");
        vm.assertFalse(registry.isEligibleForSlot(provers[0], circuitId, s2), "left at s2");

        // documented corner case: re-entering the set forgets the earlier interval
        vm.prank(provers[0]);
        registry.bond(1);
        uint256 s3 = registry.eligibilityEpoch();
        vm.assertTrue(registry.isEligibleForSlot(provers[0], circuitId, s3), "eligible again at s3");
        vm.assertFalse(registry.isEligibleForSlot(provers[0], circuitId, s2), "not at s2");
        vm.assertFalse(registry.isEligibleForSlot(provers[0], circuitId, s1), "earlier interval forgotten");
        vm.assertFalse(registry.isEligibleForSlot(requester, circuitId, s3), "never registered");
    }

    function test_marketCalls_revertOnBadAmountsAndTargets() public {
        _lockFor(provers[0], 1, 30e18);
        vm.startPrank(fakeMarket);
        vm.expectRevert(IProverRegistryTypes.Registry_ZeroAddress.selector);
        registry.slash(provers[0], 1, 30e18, 0, address(0));
        vm.expectRevert(
            abi.encodeWithSelector(IProverRegistryTypes.Registry_InsufficientLock.selector, provers[0], 31e18, 30e18)
        );
        registry.slash(provers[0], 1, 31e18, 0, requester);
        vm.expectRevert(abi.encodeWithSelector(IProverRegistryTypes.Registry_NoShares.selector, requester));
        registry.addRewards(requester, 1);
        vm.assertEq(registry.drawAndLock(circuitId, 0, registry.eligibilityEpoch(), 0, 8, 2, 1, 0), address(0), "no list");
        vm.assertEq(
            registry.drawAndLock(circuitId, 0, registry.eligibilityEpoch(), 99, 8, 2, 1, 0), address(0), "list too short"
        );
        vm.stopPrank();
    }

    function test_unlockAndSlash_withExitsAtRisk_revertAboveTheWholeLock() public {
        address staker = address(0x5EED);
        _stakeFrom(staker, provers[0], MIN_BOND);
        _lockFor(provers[0], 1, 40e18);
        vm.prank(staker);
        registry.requestUnstakeAll(provers[0]); // half of the lock (20) stays at risk
        vm.assertEq(registry.atRiskOf(provers[0]), 20e18, "half the lock at risk");
        vm.assertEq(registry.lockedOf(provers[0]), 40e18, "the lock is whole");
        vm.startPrank(fakeMarket);
        vm.expectRevert(
            abi.encodeWithSelector(IProverRegistryTypes.Registry_InsufficientLock.selector, provers[0], 41e18, 40e18)
        );
        registry.unlock(provers[0], 1, 41e18, 0);
        vm.expectRevert(
            abi.encodeWithSelector(IProverRegistryTypes.Registry_InsufficientLock.selector, provers[0], 41e18, 40e18)
        );
        registry.slash(provers[0], 1, 41e18, 0, requester);
        registry.slash(provers[0], 1, 40e18, 0, requester);
        vm.stopPrank();
        vm.assertEq(registry.lockedOf(provers[0]), 0, "lock ended");
        (uint256 atRisk, uint256 released) = registry.riskOf(provers[0], staker);
        vm.assertEq(atRisk + released, 0, "the staker's at-risk half was seized with the operator's half");
        vm.assertEq(registry.bondOf(provers[0]), MIN_BOND - 20e18, "the operator lost its half");
    }
}
