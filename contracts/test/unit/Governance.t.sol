// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IProcurementMarket} from "../../src/interfaces/IProcurementMarket.sol";
import {MarketFixture} from "../utils/MarketFixture.sol";
import {ProverRegistry} from "../../src/ProverRegistry.sol";
import {ProcurementMarket, FailurePolicy, PayoutKind} from "../../src/ProcurementMarket.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

/// @notice Roles, two-step admin, parameters, keeper fee, and a pause that never holds funds hostage.
contract GovernanceTest is MarketFixture {
    uint256 internal constant HALF = 5e17;
    uint256 internal constant ESCROW = 30e18;

    function setUp() public {
        _deploy(FailurePolicy.COMPENSATE_COMMITTEE, SLOT_BOND);
    }

    function test_roles_grantedToOwnerAndEnforced() public {
        vm.assertTrue(market.hasRole(market.CIRCUIT_ADMIN_ROLE(), owner), "circuit");
        vm.assertTrue(market.hasRole(market.PARAMETER_ADMIN_ROLE(), owner), "parameters");
        vm.assertTrue(market.hasRole(market.PAUSER_ROLE(), owner), "pauser");
        vm.assertEq(market.owner(), owner, "default admin");
        bytes32 role = market.PARAMETER_ADMIN_ROLE();
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, requester, role));
        vm.prank(requester);
        market.setSlotBond(1);
        role = market.PAUSER_ROLE();
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, requester, role));
        vm.prank(requester);
        market.pause();
    }

    function test_defaultAdmin_transfersInTwoStepsAfterTheDelay() public {
        address next = address(0xAD);
        vm.prank(owner);
        market.beginDefaultAdminTransfer(next);
        vm.assertEq(market.owner(), owner, "not yet");
        vm.expectRevert();
        vm.prank(next);
        market.acceptDefaultAdminTransfer(); // delay not elapsed
        vm.warp(block.timestamp + market.ADMIN_TRANSFER_DELAY() + 1);
        vm.prank(next);
        market.acceptDefaultAdminTransfer();
        vm.assertEq(market.owner(), next, "transferred");
    }

    function test_parameters_slotBondBoundedByMinBondAndKeeperFee() public {
        vm.startPrank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(IProcurementMarket.Market_InvalidSlotBond.selector, MIN_BOND + 1, MIN_BOND, 0)
        );
        market.setSlotBond(MIN_BOND + 1);
        market.setKeeperFee(5e18);
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_InvalidKeeperFee.selector, 5e18, 4e18));
        market.setSlotBond(4e18);
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_InvalidKeeperFee.selector, 51e18, SLOT_BOND));
        market.setKeeperFee(51e18);
        vm.stopPrank();
        vm.assertEq(market.stakeAtRisk(), SLOT_BOND, "the new fee waits for its notice");
        vm.warp(block.timestamp + market.termsNotice());
        vm.assertEq(market.stakeAtRisk(), SLOT_BOND - 5e18, "B = slotBond - keeperFee");
        ProverRegistry fresh = _freshRegistry();
        vm.expectRevert(
            abi.encodeWithSelector(IProcurementMarket.Market_InvalidSlotBond.selector, MIN_BOND + 1, MIN_BOND, 0)
        );
        new ProcurementMarket(token, fresh, FailurePolicy.PAPER, MIN_BOND + 1, 0, DRAW_DELAY, owner);
    }

    /// A bond answers only for terms its owner accepted: a larger slot bond (or a keeper fee) applies only to slots
    /// opened after the notice, so a prover can leave first; open slots keep their terms.
    function test_parameters_changeOnlyNewSlotsAfterTheNotice() public {
        uint256 first = _open(HALF);
        vm.startPrank(owner);
        market.setSlotBond(80e18);
        market.setKeeperFee(10e18);
        vm.stopPrank();
        vm.assertEq(market.pendingSlotParameters().slotBond, 80e18, "under notice");
        vm.assertEq(market.pendingSlotParameters().keeperFee, 10e18, "under notice (fee)");
        vm.assertEq(market.pendingSlotParameters().effectiveAt, block.timestamp + DELAY, "after the unbonding delay");
        uint256 during = _open(HALF);
        vm.assertEq(_slot(during).bondAtRisk, SLOT_BOND, "a slot opened during the notice keeps the old bond");
        vm.assertEq(_slot(during).keeperFee, 0, "and the old fee");
        _submit(first, _designate(first));
        _submit(during, _designate(during));
        vm.warp(block.timestamp + DELAY);
        vm.assertEq(market.slotBond(), 80e18, "in force");
        vm.assertEq(market.pendingSlotParameters().effectiveAt, 0, "nothing pending");
        vm.assertEq(_slot(first).bondAtRisk, SLOT_BOND, "open slot keeps its terms");
        uint256 second = _open(HALF);
        vm.assertEq(_slot(second).bondAtRisk, 80e18, "new slot");
        vm.assertEq(_slot(second).keeperFee, 10e18, "new fee");
        // a later change keeps the one in force while it waits
        vm.prank(owner);
        market.setKeeperFee(20e18);
        vm.assertEq(market.keeperFee(), 10e18, "the earlier change stays in force");
        vm.assertEq(market.slotBond(), 80e18, "built on the bond in force");
    }

    function test_keeperFee_paidToWhoeverSettlesAFailedSlot() public {
        vm.prank(owner);
        market.setKeeperFee(5e18);
        vm.warp(block.timestamp + market.termsNotice());
        uint256 slotId = _open(HALF);
        address keeper = address(0x4EE9);
        vm.warp(uint256(_slot(slotId).deadline) + 1);
        vm.expectEmit(address(market));
        emit IProcurementMarket.PayoutCredited(slotId, keeper, 5e18, uint8(PayoutKind.KEEPER_FEE));
        vm.prank(keeper);
        _settle(slotId);
        vm.assertEq(market.claimable(keeper), 5e18, "keeper");
        vm.assertEq(market.claimable(requester), ESCROW + SLOT_BOND - 5e18, "requester gets B = stakeAtRisk");
    }

    function test_keeperFee_notPaidWhenTheDesignateDelivered() public {
        vm.prank(owner);
        market.setKeeperFee(5e18);
        vm.warp(block.timestamp + market.termsNotice());
        uint256 slotId = _open(HALF);
        _submit(slotId, _designate(slotId));
        vm.warp(uint256(_slot(slotId).deadline) + 1);
        vm.prank(address(0x4EE9));
        _settle(slotId);
        vm.assertEq(market.claimable(address(0x4EE9)), 0, "no fee");
    }

    function test_pause_stopsNewSlotsOnlyNeverFunds() public {
        uint256 slotId = _open(HALF);
        address d = _designate(slotId);
        address c = _committee(slotId, 0);
        address leaver = _committee(slotId, 1);
        vm.prank(leaver);
        registry.requestUnbond(MIN_BOND);
        vm.startPrank(owner);
        market.pause();
        registry.pause();
        vm.stopPrank();

        uint256[] memory fixedInputs = new uint256[](1);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(requester);
        market.openSlot(circuitId, fixedInputs, "", PRICE, HALF, WINDOW, type(uint256).max, false);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(c);
        registry.bond(1);

        _submit(slotId, d); // proofs still count: nobody is slashed because of a pause
        _submit(slotId, c);
        vm.warp(uint256(_slot(slotId).deadline) + 1);
        _settle(slotId);
        vm.assertTrue(_claimAll(d) > 0, "claim while paused");
        vm.assertTrue(_claimAll(c) > 0, "claim while paused");
        vm.warp(block.timestamp + DELAY);
        vm.prank(leaver);
        registry.withdraw();
        vm.assertEq(token.balanceOf(leaver), 1_000e18, "withdraw after the delay while paused");

        vm.prank(owner);
        market.unpause();
        _open(HALF);
    }
}
