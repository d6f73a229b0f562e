// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {MarketFixture} from "../utils/MarketFixture.sol";
import {FailurePolicy} from "../../src/ProcurementMarket.sol";
import {MarketHandler} from "./MarketHandler.sol";

/// @notice Stateful invariants of registry + market (list and meaning: test/invariant/README.md). The fuzzer calls
///         only the handler, whose actions are bounded so that none reverts (fail_on_revert = true).
contract MarketInvariantTest is MarketFixture {
    MarketHandler internal handler;

    function _policy() internal pure virtual returns (FailurePolicy) {
        return FailurePolicy.COMPENSATE_COMMITTEE;
    }

    /// @dev Committee slice and correlated stake per slot (0, 0: no committee pool).
    function _correlated() internal pure virtual returns (uint256 slice, uint256 perSlot) {
        return (0, 0);
    }

    function setUp() public {
        (uint256 slice, uint256 perSlot) = _correlated();
        _deploy(_policy(), SLOT_BOND, slice, perSlot);
        vm.prank(owner);
        market.setKeeperFee(1e18);
        vm.warp(block.timestamp + market.termsNotice()); // in force after its notice
        address[] memory stakers = new address[](3);
        for (uint256 i = 0; i < stakers.length; ++i) {
            stakers[i] = address(uint160(0x5000 + i));
        }
        handler = new MarketHandler(token, registry, market, circuitId, requester, provers, stakers);
        for (uint256 i = 0; i < stakers.length; ++i) {
            vm.prank(owner);
            token.mint(stakers[i], 1_000e18);
            vm.prank(stakers[i]);
            token.approve(address(registry), type(uint256).max);
        }
    }

    /// @dev forge-std's StdInvariant.FuzzSelector layout.
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    /// @dev forge fuzzes only the handler ...
    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @dev ... and only its actions (not `drainAll`, which `afterInvariant` runs).
    function targetSelectors() public view returns (FuzzSelector[] memory targets) {
        bytes4[] memory selectors = new bytes4[](23);
        selectors[0] = MarketHandler.openSlot.selector;
        selectors[1] = MarketHandler.submit.selector;
        selectors[2] = MarketHandler.warp.selector;
        selectors[3] = MarketHandler.settle.selector;
        selectors[4] = MarketHandler.claim.selector;
        selectors[5] = MarketHandler.stake.selector;
        selectors[6] = MarketHandler.unstake.selector;
        selectors[7] = MarketHandler.withdraw.selector;
        selectors[8] = MarketHandler.rebondAndUnjail.selector;
        selectors[9] = MarketHandler.setCommission.selector;
        selectors[10] = MarketHandler.distribute.selector;
        selectors[11] = MarketHandler.submit.selector; // proofs twice as often as the rest
        selectors[12] = MarketHandler.creditCommittee.selector;
        selectors[13] = MarketHandler.draw.selector;
        selectors[14] = MarketHandler.draw.selector; // drawn slots are where proofs, locks and slashes happen
        selectors[15] = MarketHandler.cancelUndrawn.selector;
        selectors[16] = MarketHandler.optIn.selector;
        selectors[17] = MarketHandler.optOut.selector;
        selectors[18] = MarketHandler.exitCommittee.selector; // no-ops without a committee pool
        selectors[19] = MarketHandler.joinCommittee.selector;
        selectors[20] = MarketHandler.payCommitteeExits.selector;
        selectors[21] = MarketHandler.exitCommittee.selector; // exits while the pool keeps taking slots: thrice
        selectors[22] = MarketHandler.exitCommittee.selector;
        targets = new FuzzSelector[](1);
        targets[0] = FuzzSelector(address(handler), selectors);
    }

    /// forge-config: default.invariant.fail-on-revert = true
    function invariant_balancesEqualEscrowBondsAndUnclaimed() public view {
        address pool = registry.COMMITTEE_POOL();
        uint256 bonds = registry.bondOf(pool) + registry.pendingUnbondOf(pool) + registry.riskHeldOf(pool);
        uint256 rewards;
        for (uint256 i = 0; i < handler.proverCount(); ++i) {
            address p = handler.provers(i);
            bonds += registry.bondOf(p) + registry.pendingUnbondOf(p) + registry.unvestedRewardsOf(p) + registry.riskHeldOf(p);
            rewards += market.stakerRewards(p);
        }
        address[] memory all = handler.accounts();
        uint256 unclaimed;
        for (uint256 i = 0; i < all.length; ++i) {
            unclaimed += market.claimable(all[i]);
        }
        vm.assertEq(token.balanceOf(address(registry)), bonds, "registry = stakes + unvested rewards + pending unbonds (committee pool too)");
        vm.assertEq(
            token.balanceOf(address(market)),
            handler.ghostOpenEscrow() + handler.ghostOwedCommittee() + unclaimed + rewards,
            "market = open escrow + owed committee shares + unclaimed credits + undistributed staker rewards"
        );
    }

    /// forge-config: default.invariant.fail-on-revert = true
    function invariant_sharesMatchEachPool() public view {
        address[] memory hs = handler.holders();
        for (uint256 i = 0; i <= handler.proverCount(); ++i) {
            address p = i < handler.proverCount() ? handler.provers(i) : registry.COMMITTEE_POOL();
            uint256 shares;
            uint256 value;
            for (uint256 k = 0; k < hs.length; ++k) {
                shares += registry.sharesOf(p, hs[k]);
                value += registry.stakeOf(p, hs[k]);
            }
            vm.assertEq(shares, registry.totalSharesOf(p), "sum of shares = total shares");
            vm.assertLe(value, registry.bondOf(p), "holders' value <= pool stake");
            // each holder's value is rounded down by less than one unit
            vm.assertLe(registry.bondOf(p) - value, hs.length, "pool stake = holders' value up to rounding");
            vm.assertLe(registry.lockedOf(p), registry.bondOf(p) + registry.atRiskOf(p), "locked <= stake + exits at risk");
        }
    }

    /// forge-config: default.invariant.fail-on-revert = true
    function invariant_everyDeliveryPaidAtMostOnceAndEverySlotTokenCreditedOnce() public view {
        vm.assertFalse(handler.ghostDoublePay(), "a prover was paid twice for one slot");
        vm.assertFalse(handler.ghostSlotCreditMismatch(), "a settlement credited other than escrow (+ seized bond)");
    }

    /// forge-config: default.invariant.fail-on-revert = true
    function invariant_locksAreExactlyTheOpenDuties() public view {
        for (uint256 i = 0; i < handler.proverCount(); ++i) {
            address p = handler.provers(i);
            vm.assertEq(
                registry.lockedOf(p), handler.ghostLocked(p), "locked = bonds of drawn slots not yet delivered or slashed"
            );
        }
        address pool = registry.COMMITTEE_POOL();
        vm.assertEq(registry.lockedOf(pool), handler.ghostLocked(pool), "committee pool: one lock per such slot");
        vm.assertFalse(handler.ghostDrawOutsideSet(), "a designate was drawn outside its slot's eligible set");
    }

    /// forge-config: default.invariant.fail-on-revert = true
    function invariant_eligibleCountsMatchTheMembers() public view {
        uint256 count;
        for (uint256 i = 0; i < registry.memberCount(circuitId); ++i) {
            address p = registry.memberAt(circuitId, i);
            bool inSet = registry.isEligibleFor(p, circuitId);
            if (inSet) ++count;
            vm.assertEq(inSet, registry.isEligible(p) && registry.isOptedIn(p, circuitId), "set = bonded and opted in");
        }
        vm.assertEq(registry.eligibleCount(circuitId), count, "count = members in the set");
    }

    /// forge-config: default.invariant.fail-on-revert = true
    function invariant_noExitOrderMovesALocksBurden() public view {
        vm.assertFalse(handler.ghostExitShiftedALock(), "an exit moved part of a lock's burden to other holders");
    }

    /// forge-config: default.invariant.fail-on-revert = true
    function invariant_committeeExitsPayExactlyTheirPartOfTheSlotsTheyShared() public view {
        vm.assertFalse(handler.ghostCommitteeChargeWrong(), "a committee exit was charged other than its part");
    }

    /// forge-config: default.invariant.fail-on-revert = true
    function invariant_slotStatesOnlyMoveForward() public view {
        vm.assertFalse(handler.ghostStateWentBack(), "a slot state moved backwards");
    }

    /// A slot opened with keepResult holds, in `resultOf`, the hash of its first accepted proof's outputs (later
    /// proofs with other outputs do not replace it), FAILED only once no proof can come; a plain slot holds nothing.
    /// forge-config: default.invariant.fail-on-revert = true
    function invariant_resultsAreTheFirstAcceptedOutputs() public view {
        vm.assertFalse(handler.ghostResultWrong(), "resultOf disagrees with the first accepted proof");
    }

    /// After every run: settle everything, claim, distribute, unbond and withdraw everything: both contracts are
    /// empty, to the unit.
    function afterInvariant() public {
        handler.drainAll();
        vm.assertFalse(handler.ghostCommitteeChargeWrong(), "a committee exit paid in the drain was charged wrong");
        vm.assertEq(token.balanceOf(address(market)), 0, "market holds nothing");
        vm.assertEq(token.balanceOf(address(registry)), 0, "registry holds nothing");
    }
}

/// @notice The same invariants under the PAPER failure policy.
contract MarketInvariantPaperTest is MarketInvariantTest {
    function _policy() internal pure override returns (FailurePolicy) {
        return FailurePolicy.PAPER;
    }
}

/// @notice The same invariants with correlated slashing: a committee pool of 40-token slices, 20 tokens of it locked
///         per slot and seized on failure; stakers may stake into and leave the pool too.
contract MarketInvariantCorrelatedTest is MarketInvariantTest {
    function _correlated() internal pure override returns (uint256 slice, uint256 perSlot) {
        return (40e18, 20e18);
    }
}
