// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {PaymentMath} from "../../src/libraries/PaymentMath.sol";
import {IProcurementMarket} from "../../src/interfaces/IProcurementMarket.sol";
import {MarketFixture} from "../utils/MarketFixture.sol";
import {ProcurementMarket, FailurePolicy, CircuitTerms} from "../../src/ProcurementMarket.sol";

/// @notice Fuzz tests of the circuit-term bounds: any price and window a requester picks opens a slot exactly when
///         it is inside the terms in force, and a refused slot moves nothing; terms themselves are accepted exactly
///         when valid, and never apply before their notice.
contract CircuitTermsFuzzTest is MarketFixture {
    uint256 internal constant HALF = 5e17;

    function setUp() public {
        _deploy(FailurePolicy.COMPENSATE_COMMITTEE, SLOT_BOND);
    }

    function testFuzz_openSlot_opensExactlyWithinTheCircuitTerms(uint256 price, uint64 window, uint256 maxEscrow)
        public
    {
        price = bound(price, 0, 100 * PRICE);
        window = uint64(bound(window, 0, 2 * MAX_WINDOW));
        uint256 escrow = PaymentMath.totalPrizeWad(PROVERS - 1, HALF) * price / WAD;
        maxEscrow = bound(maxEscrow, 0, 2 * escrow + 1);
        uint256[] memory fixedInputs = new uint256[](1);
        uint256 balance = token.balanceOf(requester);
        bytes memory expected;
        if (price < MIN_PRICE) {
            expected = abi.encodeWithSelector(
                IProcurementMarket.Market_ProofPriceBelowMinimum.selector, circuitId, price, MIN_PRICE
            );
        } else if (window < MIN_WINDOW || window > MAX_WINDOW) {
            expected = abi.encodeWithSelector(
                IProcurementMarket.Market_ProveWindowOutOfRange.selector, circuitId, window, MIN_WINDOW, MAX_WINDOW
            );
        } else if (escrow > maxEscrow) {
            expected = abi.encodeWithSelector(IProcurementMarket.Market_EscrowAboveMax.selector, escrow, maxEscrow);
        }
        vm.prank(requester);
        if (expected.length != 0) {
            vm.expectRevert(expected);
            market.openSlot(circuitId, fixedInputs, "", price, HALF, window, maxEscrow, false);
            vm.assertEq(token.balanceOf(requester), balance, "a refused slot takes nothing");
            vm.assertEq(market.nextSlotId(), 0, "and opens nothing");
        } else {
            market.openSlot(circuitId, fixedInputs, "", price, HALF, window, maxEscrow, false);
            vm.assertEq(balance - token.balanceOf(requester), escrow, "escrow T * price, at most maxEscrow");
            vm.assertEq(market.slotState(0).deadline, window, "the window waits for the draw");
        }
    }

    function testFuzz_setCircuitTerms_acceptsExactlyValidTermsAndAppliesThemOnlyAfterTheNotice(
        uint128 minPrice,
        uint32 minWindow,
        uint32 maxWindow,
        uint64 elapsed
    ) public {
        uint64 delay = market.termsNotice();
        bool valid = minPrice != 0 && minWindow != 0 && minWindow <= maxWindow && maxWindow < delay;
        vm.prank(owner);
        if (!valid) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IProcurementMarket.Market_InvalidCircuitTerms.selector, minPrice, minWindow, maxWindow, delay
                )
            );
            market.setCircuitTerms(circuitId, minPrice, minWindow, maxWindow);
            return;
        }
        market.setCircuitTerms(circuitId, minPrice, minWindow, maxWindow);
        uint256 start = block.timestamp;
        elapsed = uint64(bound(elapsed, 0, 2 * uint256(delay)));
        vm.warp(start + elapsed);
        CircuitTerms memory t = market.circuitTerms(circuitId);
        if (elapsed < delay) {
            vm.assertEq(t.minProofPrice, MIN_PRICE, "old price until the notice ends");
            vm.assertEq(t.maxProveWindow, MAX_WINDOW, "old window until the notice ends");
        } else {
            vm.assertEq(t.minProofPrice, minPrice, "new price after the notice");
            vm.assertEq(t.minProveWindow, minWindow, "new min window");
            vm.assertEq(t.maxProveWindow, maxWindow, "new max window");
        }
    }
}
