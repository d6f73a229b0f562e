// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {MarketFixture} from "../utils/MarketFixture.sol";
import {ProcurementMarket, FailurePolicy} from "../../src/ProcurementMarket.sol";

/// @notice The `B` the coordinator gives `payment-rules` (market.stakeAtRisk(), read by QuoteService) equals, to the
///         unit, what a failed slot hands to the requester and the committee, for any slot bond <= minBond, keeper
///         fee <= slot bond, correlated stake (committee pool, docs/MECHANISM.md §6), policy, price, p, deliveries, and
///         other slots already locking the designate's stake and the pool.
contract StakeAtRiskFuzzTest is MarketFixture {
    function testFuzz_stakeAtRiskIsWhatAFailedSlotSeizes(
        uint256 bondSeed,
        uint256 feeSeed,
        uint256 pSeed,
        uint256 priceSeed,
        uint8 deliveryMask,
        uint8 earlierSlots,
        bool paper,
        uint256 randao,
        uint256 correlatedSeed
    ) public {
        uint256 slotBond = bound(bondSeed, 0, MIN_BOND);
        // a committee pool of PROVERS slices of 40 tokens; up to a quarter of it per slot (4 slots may be open)
        uint256 correlated = correlatedSeed % 3 == 0 ? 0 : bound(correlatedSeed, 1, PROVERS * 40e18 / 4);
        _deploy(
            paper ? FailurePolicy.PAPER : FailurePolicy.COMPENSATE_COMMITTEE,
            slotBond,
            correlated == 0 ? 0 : 40e18,
            correlated
        );
        vm.prank(owner);
        market.setKeeperFee(bound(feeSeed, 0, slotBond));
        vm.warp(block.timestamp + market.termsNotice()); // the fee applies after its notice
        uint256 price = bound(priceSeed, MIN_PRICE, 1_000e18);
        uint256 p = bound(pSeed, 0, WAD);
        uint256[] memory fixedInputs = new uint256[](1);
        // earlier open slots lock stake of some provers (and may push them out of the set)
        for (uint256 k = 0; k < earlierSlots % 4 && registry.eligibleCount(circuitId) > 1; ++k) {
            vm.prank(requester);
            _drawWith(_openOnly(circuitId, fixedInputs, "", price, p, WINDOW), keccak256(abi.encode(randao, k)));
        }
        uint256 b = market.stakeAtRisk();
        vm.prank(requester);
        uint256 slotId = _openOnly(circuitId, fixedInputs, "", price, p, WINDOW);
        vm.assume(_drawWith(slotId, bytes32(randao)) != address(0)); // earlier slots may have locked everyone
        SlotView memory s = _slot(slotId);
        vm.assertEq(s.bondAtRisk, slotBond, "the whole slot bond is locked");
        for (uint256 k = 0; k + 1 < s.eligibleCount; ++k) {
            address c = _committee(slotId, k);
            if (deliveryMask & (1 << k) != 0 && registry.isEligibleForSlot(c, circuitId, s.snapshot)) _submit(slotId, c);
        }
        vm.warp(uint256(s.deadline) + 1);
        address keeper = address(0x4EE9);
        uint256 requesterBefore = market.claimable(requester);
        uint256 committeeBefore;
        for (uint256 i = 0; i < provers.length; ++i) {
            committeeBefore += market.claimable(provers[i]);
        }
        vm.prank(keeper);
        _settle(slotId);
        uint256 committeeAfter;
        for (uint256 i = 0; i < provers.length; ++i) {
            committeeAfter += market.claimable(provers[i]);
        }
        uint256 toRequester = market.claimable(requester) - requesterBefore - s.escrow;
        vm.assertEq(toRequester + (committeeAfter - committeeBefore), b, "requester + committee got exactly B");
        vm.assertEq(market.claimable(keeper), s.keeperFee, "keeper got the fee");
        vm.assertEq(b + s.keeperFee, s.bondAtRisk + correlated, "nothing else seized");
    }
}
