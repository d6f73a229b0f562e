// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IProverRegistry} from "../../src/interfaces/IProverRegistry.sol";
import {IProverRegistryTypes} from "../../src/interfaces/IProverRegistryTypes.sol";
import {IProcurementMarket} from "../../src/interfaces/IProcurementMarket.sol";
import {MarketFixture} from "../utils/MarketFixture.sol";
import {Vm} from "../utils/Vm.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ProverRegistry} from "../../src/ProverRegistry.sol";
import {PaymentRecipe} from "../../src/PaymentRecipe.sol";
import {IResultMarket} from "../../src/interfaces/IResultMarket.sol";
import {ResultStatus, SlotTerms as Terms} from "../../src/types/MarketTypes.sol";
import {
    ProcurementMarket, FailurePolicy, PayoutKind, SlotTerms, SlotState, CircuitTerms
} from "../../src/ProcurementMarket.sol";

/// @notice Unit tests of ProcurementMarket (COMPENSATE_COMMITTEE market unless stated).
/// Amounts for n = 5 (m = 4), p = 0.5, proofPrice = 10e18 (computed independently in Python, tools/recipe_table.py):
/// T = 3e18 wad -> escrow 30e18; Q = 2133333333333333333 wad -> committee prize 21333333333333333330.
contract ProcurementMarketTest is MarketFixture {
    uint256 internal constant HALF = 5e17;
    uint256 internal constant ESCROW = 30e18;
    uint256 internal constant PRIZE = 21333333333333333330;

    function setUp() public {
        _deploy(FailurePolicy.COMPENSATE_COMMITTEE, SLOT_BOND);
    }

    // ------------------------------------------------------------ constructor / circuits
    function test_constructor_revertsOnTokenMismatch() public {
        ProverRegistry other = new ProverRegistry(market.token(), 0, 1, 0, 0, _nextCreate(1), owner);
        vm.expectRevert(
            abi.encodeWithSelector(IProcurementMarket.Market_TokenMismatch.selector, address(0x1234), address(token))
        );
        new ProcurementMarket(IERC20(address(0x1234)), other, FailurePolicy.PAPER, 0, 0, DRAW_DELAY, owner);
    }

    function test_constructor_revertsOnDrawDelayOutsideTheBlockhashHorizon() public {
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_InvalidDrawDelay.selector, 0));
        new ProcurementMarket(token, registry, FailurePolicy.PAPER, 0, 0, 0, owner);
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_InvalidDrawDelay.selector, 256));
        new ProcurementMarket(token, registry, FailurePolicy.PAPER, 0, 0, 256, owner);
    }

    function test_registerCircuit_storesSelectorForNInputs() public view {
        (address v, uint8 nFixed, uint8 nOut, bytes4 selector, address checker) = market.circuits(circuitId);
        vm.assertEq(checker, address(0), "no checker");
        vm.assertEq(v, address(verifier), "verifier");
        vm.assertEq(uint256(nFixed), 1, "fixed");
        vm.assertEq(uint256(nOut), 2, "outputs");
        vm.assertEq(bytes32(selector), bytes32(bytes4(keccak256("verifyProof(uint256[8],uint256[4])"))), "selector");
        vm.assertEq(market.nextCircuitId(), 1, "next id");
    }

    function test_registerCircuit_emitsCircuitRegisteredAndItsTermsWithTheNotice() public {
        vm.expectEmit(address(market));
        emit IProcurementMarket.CircuitRegistered(
            1, address(verifier), 3, 0, bytes4(keccak256("verifyProof(uint256[8],uint256[4])")), address(0)
        );
        vm.prank(owner);
        vm.assertEq(market.registerCircuit(address(verifier), 3, 0, address(0), 5, 60, 600), 1, "id");
        CircuitTerms memory t = market.circuitTerms(1);
        vm.assertEq(t.minProofPrice, 5, "min price");
        vm.assertEq(t.minProveWindow, 60, "min window");
        vm.assertEq(t.maxProveWindow, 600, "max window");
        vm.assertEq(t.effectiveAt, block.timestamp + DELAY, "takes slots after a notice of the unbonding delay");
        vm.assertEq(market.termsNotice(), DELAY, "notice");
        vm.assertTrue(market.isCircuit(1) && !market.isCircuit(2), "isCircuit");
    }

    function test_registerCircuit_revertsForNonOwner() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, requester, market.CIRCUIT_ADMIN_ROLE()
            )
        );
        vm.prank(requester);
        market.registerCircuit(address(verifier), 1, 2, address(0), MIN_PRICE, MIN_WINDOW, MAX_WINDOW);
    }

    function test_registerCircuit_revertsWhenVerifierHasNoCode() public {
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_VerifierHasNoCode.selector, address(0xdead)));
        vm.prank(owner);
        market.registerCircuit(address(0xdead), 1, 2, address(0), MIN_PRICE, MIN_WINDOW, MAX_WINDOW);
    }

    function test_registerCircuit_revertsOnInvalidTerms() public {
        vm.startPrank(owner);
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_InvalidCircuitTerms.selector, 0, 60, 600, DELAY));
        market.registerCircuit(address(verifier), 1, 2, address(0), 0, 60, 600);
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_InvalidCircuitTerms.selector, 1, 0, 600, DELAY));
        market.registerCircuit(address(verifier), 1, 2, address(0), 1, 0, 600);
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_InvalidCircuitTerms.selector, 1, 601, 600, DELAY));
        market.registerCircuit(address(verifier), 1, 2, address(0), 1, 601, 600);
        vm.expectRevert(
            abi.encodeWithSelector(IProcurementMarket.Market_InvalidCircuitTerms.selector, 1, 60, DELAY, DELAY)
        );
        market.registerCircuit(address(verifier), 1, 2, address(0), 1, 60, uint32(DELAY));
        vm.stopPrank();
    }

    function test_openSlot_revertsOnANewCircuitUnderNotice() public {
        vm.prank(owner);
        uint256 id = market.registerCircuit(address(verifier), 1, 2, address(0), MIN_PRICE, MIN_WINDOW, MAX_WINDOW);
        uint256[] memory fixedInputs = new uint256[](1);
        vm.expectRevert(
            abi.encodeWithSelector(IProcurementMarket.Market_CircuitNotActive.selector, id, block.timestamp + DELAY)
        );
        vm.prank(requester);
        market.openSlot(id, fixedInputs, "", PRICE, HALF, WINDOW, type(uint256).max, false);
    }

    function test_setCircuitTerms_takeEffectAfterTheNoticeOnly() public {
        vm.prank(owner);
        market.setCircuitTerms(circuitId, 20e18, 30 minutes, 2 hours);
        CircuitTerms memory pending = market.pendingCircuitTerms(circuitId);
        vm.assertEq(pending.minProofPrice, 20e18, "pending");
        vm.assertEq(pending.effectiveAt, block.timestamp + DELAY, "after the notice");
        vm.assertEq(market.circuitTerms(circuitId).minProofPrice, MIN_PRICE, "old terms still in force");
        uint256 slotId = _open(HALF); // PRICE 10e18 < 20e18 is still fine, and WINDOW = 1 h
        vm.assertEq(_t(slotId).proofPrice, PRICE, "opened on the old terms");
        vm.warp(block.timestamp + DELAY);
        vm.assertEq(market.circuitTerms(circuitId).minProofPrice, 20e18, "new terms in force");
        vm.assertEq(market.pendingCircuitTerms(circuitId).effectiveAt, 0, "nothing pending any more");
        uint256[] memory fixedInputs = new uint256[](1);
        vm.expectRevert(
            abi.encodeWithSelector(IProcurementMarket.Market_ProofPriceBelowMinimum.selector, circuitId, PRICE, 20e18)
        );
        vm.prank(requester);
        market.openSlot(circuitId, fixedInputs, "", PRICE, HALF, WINDOW, type(uint256).max, false);
        // a later change keeps the one in force as the current terms until it takes effect itself
        vm.prank(owner);
        market.setCircuitTerms(circuitId, 30e18, 30 minutes, 2 hours);
        vm.assertEq(market.circuitTerms(circuitId).minProofPrice, 20e18, "the earlier change stays in force");
    }

    function test_setCircuitTerms_revertsForUnknownCircuitsAndStrangers() public {
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_UnknownCircuit.selector, 5));
        vm.prank(owner);
        market.setCircuitTerms(5, 1, 1, 2);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, requester, market.CIRCUIT_ADMIN_ROLE()
            )
        );
        vm.prank(requester);
        market.setCircuitTerms(circuitId, 1, 1, 2);
    }

    // ------------------------------------------------------------ openSlot and draw
    function test_openSlot_escrowsAndFixesTheSetButDrawsNobody() public {
        uint256 before = token.balanceOf(requester);
        uint256 epochBefore = registry.eligibilityEpoch();
        uint256[] memory fixedInputs = new uint256[](1);
        fixedInputs[0] = 42;
        vm.prank(requester);
        uint256 slotId = _openOnly(circuitId, fixedInputs, hex"c0ffee", PRICE, HALF, WINDOW);
        SlotTerms memory t = _t(slotId);
        vm.assertEq(t.designate, address(0), "no designate before the draw");
        vm.assertEq(t.seed, bytes32(0), "no seed before the draw");
        vm.assertEq(t.escrow, ESCROW, "escrow");
        vm.assertEq(t.committeePrize, PRIZE, "committee prize");
        vm.assertEq(before - token.balanceOf(requester), ESCROW, "requester paid escrow");
        vm.assertEq(token.balanceOf(address(market)), ESCROW, "market holds escrow");
        vm.assertEq(t.bondAtRisk, SLOT_BOND, "bond at risk");
        vm.assertEq(t.eligibleCount, PROVERS, "n");
        vm.assertEq(t.snapshot, epochBefore, "snapshot: the circuit's set when the slot opened");
        vm.assertEq(t.payloadHash, keccak256(hex"c0ffee"), "payload hash");
        vm.assertEq(t.requester, requester, "requester");
        vm.assertEq(t.fixedInputs[0], 42, "fixed input");
        SlotState memory st = market.slotState(slotId);
        vm.assertEq(st.openBlock, block.number, "open block");
        vm.assertEq(st.deadline, WINDOW, "the prove window waits for the draw");
        vm.assertFalse(st.drawn, "not drawn");
        for (uint256 i = 0; i < PROVERS; ++i) {
            vm.assertEq(registry.lockedOf(provers[i]), 0, "nothing locked before the draw");
        }
        vm.assertEq(market.nextSlotId(), 1, "next slot id");
    }

    function test_draw_takesTheDesignateFromTheDrawBlocksHashAndLocksItsBond() public {
        vm.prank(requester);
        uint256[] memory fixedInputs = new uint256[](1);
        uint256 slotId = _openOnly(circuitId, fixedInputs, "", PRICE, HALF, WINDOW);
        uint256 drawBlock = block.number + DRAW_DELAY;
        bytes32 h = keccak256("a block hash");
        vm.roll(drawBlock + 3);
        vm.setBlockhash(drawBlock, h);
        uint256 word = uint256(keccak256(abi.encode(h, slotId, address(market))));
        address expected = registry.memberAt(circuitId, uint256(keccak256(abi.encode(word, uint256(0)))) % PROVERS);
        vm.warp(block.timestamp + 77);
        vm.expectEmit(address(market));
        emit IProcurementMarket.SlotDrawn(
            slotId, expected, keccak256(abi.encode(word, "procura.seed")), uint64(block.timestamp) + WINDOW, drawBlock
        );
        address d = _draw(slotId);
        vm.assertEq(d, expected, "designate: first candidate of the word");
        vm.assertEq(registry.lockedOf(d), SLOT_BOND, "registry lock");
        vm.assertEq(_slot(slotId).deadline, block.timestamp + WINDOW, "prove window starts at the draw");
        vm.assertEq(keccak256(abi.encode(_t(slotId))), market.slotState(slotId).termsHash, "drawn terms hash");
        vm.assertEq(_t(slotId).seed, keccak256(abi.encode(word, "procura.seed")), "seed");
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_TermsMismatch.selector, slotId,
            market.slotState(slotId).termsHash, keccak256(abi.encode(_openedTerms(slotId)))));
        market.draw(slotId, _openedTerms(slotId));
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_AlreadyDrawn.selector, slotId));
        market.draw(slotId, _t(slotId));
    }

    /// @dev The terms as SlotOpened gave them (designate and seed zero).
    function _openedTerms(uint256 slotId) internal view returns (SlotTerms memory t) {
        t = _t(slotId);
        t.designate = address(0);
        t.seed = bytes32(0);
    }

    function test_draw_revertsTooEarlyAndAfterTheHorizon_thenCancelRefunds() public {
        uint256[] memory fixedInputs = new uint256[](1);
        vm.prank(requester);
        uint256 slotId = _openOnly(circuitId, fixedInputs, "", PRICE, HALF, WINDOW);
        uint256 drawBlock = block.number + DRAW_DELAY;
        vm.roll(drawBlock);
        vm.expectRevert(
            abi.encodeWithSelector(IProcurementMarket.Market_DrawTooEarly.selector, slotId, drawBlock + 1, drawBlock)
        );
        market.draw(slotId, _t(slotId));
        vm.expectRevert(
            abi.encodeWithSelector(IProcurementMarket.Market_NotCancellable.selector, slotId, drawBlock + 257, drawBlock)
        );
        market.cancel(slotId, _t(slotId));
        uint256[8] memory proof;
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_NotDrawn.selector, slotId));
        vm.prank(provers[0]);
        market.submitProof(slotId, _t(slotId), _outputs(), proof);
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_NotDrawn.selector, slotId));
        market.settle(slotId, _t(slotId));
        vm.roll(drawBlock + 257);
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_DrawExpired.selector, slotId, drawBlock));
        market.draw(slotId, _t(slotId));
        vm.expectEmit(address(market));
        emit IProcurementMarket.SlotCancelled(slotId, false, ESCROW);
        market.cancel(slotId, _t(slotId));
        vm.assertEq(market.claimable(requester), ESCROW, "escrow credited back");
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_AlreadySettled.selector, slotId));
        market.cancel(slotId, _t(slotId));
        _claimAll(requester);
        vm.assertEq(token.balanceOf(address(market)), 0, "nothing left in the market");
    }

    function test_openSlot_emitsSlotOpenedWithAllTerms() public {
        uint64 epochBefore = registry.eligibilityEpoch();
        vm.recordLogs();
        uint256[] memory fixedInputs = new uint256[](1);
        fixedInputs[0] = 42;
        vm.prank(requester);
        uint256 slotId = _openOnly(circuitId, fixedInputs, hex"c0ffee", PRICE, HALF, WINDOW);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        bool found;
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].topics[0] != IProcurementMarket.SlotOpened.selector) continue;
            found = true;
            vm.assertEq(uint256(logs[i].topics[1]), slotId, "slotId topic");
            vm.assertEq(uint256(logs[i].topics[2]), circuitId, "circuit topic");
            vm.assertEq(address(uint160(uint256(logs[i].topics[3]))), requester, "requester topic");
            (SlotTerms memory o, uint64 window, uint256 drawBlock, bytes memory payload) =
                abi.decode(logs[i].data, (SlotTerms, uint64, uint256, bytes));
            vm.assertEq(keccak256(abi.encode(o)), market.slotState(slotId).termsHash, "event terms = stored hash");
            vm.assertEq(o.requester, requester, "requester");
            vm.assertEq(o.designate, address(0), "designate comes with the draw");
            vm.assertEq(o.circuitId, circuitId, "circuit");
            vm.assertEq(o.eligibleCount, PROVERS, "n");
            vm.assertEq(o.snapshot, epochBefore, "snapshot");
            vm.assertEq(o.mixingProbability, HALF, "p");
            vm.assertEq(o.proofPrice, PRICE, "price");
            vm.assertEq(o.escrow, ESCROW, "escrow");
            vm.assertEq(o.committeePrize, PRIZE, "prize");
            vm.assertEq(o.bondAtRisk, SLOT_BOND, "risk");
            vm.assertEq(o.keeperFee, 0, "keeper fee");
            vm.assertEq(window, WINDOW, "prove window");
            vm.assertEq(drawBlock, block.number + DRAW_DELAY, "draw block");
            vm.assertEq(o.seed, bytes32(0), "seed comes with the draw");
            vm.assertEq(o.fixedInputs.length, 1, "fixed len");
            vm.assertEq(o.fixedInputs[0], 42, "fixed");
            vm.assertEq(o.payloadHash, keccak256(payload), "payload hash");
            vm.assertEq(keccak256(payload), keccak256(hex"c0ffee"), "payload");
        }
        vm.assertTrue(found, "SlotOpened emitted");
    }

    function test_openSlot_singleProverHasNoCommitteePrize() public {
        _deploy(FailurePolicy.COMPENSATE_COMMITTEE, SLOT_BOND);
        for (uint256 i = 1; i < PROVERS; ++i) {
            vm.prank(provers[i]);
            registry.requestUnbond(1);
        }
        uint256 slotId = _open(HALF);
        SlotView memory s = _slot(slotId);
        vm.assertEq(s.designate, provers[0], "only eligible prover");
        vm.assertEq(s.escrow, PRICE, "T = 1 when m = 0");
        vm.assertEq(s.committeePrize, 0, "no committee");
    }

    function test_draw_designateWithTooLittleFreeStakeLeavesTheSetSoBondAtRiskIsAlwaysSlotBond() public {
        _deploy(FailurePolicy.COMPENSATE_COMMITTEE, 80e18);
        uint256 first = _open(HALF);
        address d = _designate(first);
        vm.assertEq(_slot(first).bondAtRisk, 80e18, "full slot bond");
        vm.assertFalse(registry.isEligible(d), "free stake 20 < minBond: out of the set");
        vm.assertFalse(registry.isEligibleFor(d, circuitId), "out of the circuit's set");
        vm.assertTrue(registry.isEligibleForSlot(d, circuitId, _slot(first).snapshot), "still in its own slot");
        for (uint256 r = 2; r < 40; ++r) {
            if (registry.eligibleCount(circuitId) == 0) break;
            uint256 next = _open(HALF);
            if (_designate(next) == address(0)) continue; // cancelled: no candidate left
            vm.assertTrue(_designate(next) != d, "a locked-up prover is never drawn again");
            vm.assertEq(_slot(next).bondAtRisk, 80e18, "B is always slotBond");
        }
        _submit(first, d);
        vm.assertTrue(registry.isEligible(d), "back in the set once its proof released the bond");
    }

    function test_openSlot_revertsOnUnknownCircuit() public {
        uint256[] memory fixedInputs = new uint256[](1);
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_UnknownCircuit.selector, 9));
        vm.prank(requester);
        market.openSlot(9, fixedInputs, "", PRICE, HALF, WINDOW, type(uint256).max, false);
    }

    function test_openSlot_revertsOnFixedInputCount() public {
        uint256[] memory fixedInputs = new uint256[](2);
        vm.expectRevert(
            abi.encodeWithSelector(IProcurementMarket.Market_FixedInputCountMismatch.selector, circuitId, 1, 2)
        );
        vm.prank(requester);
        market.openSlot(circuitId, fixedInputs, "", PRICE, HALF, WINDOW, type(uint256).max, false);
    }

    function test_openSlot_revertsOnFixedInputOutsideField() public {
        uint256[] memory fixedInputs = new uint256[](1);
        fixedInputs[0] = R;
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_InputNotInField.selector, 0, R));
        vm.prank(requester);
        market.openSlot(circuitId, fixedInputs, "", PRICE, HALF, WINDOW, type(uint256).max, false);
    }

    function test_openSlot_revertsOnTermsOutsideTheCircuitsAndAboveMaxEscrow() public {
        uint256[] memory fixedInputs = new uint256[](1);
        vm.startPrank(requester);
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_InvalidMixingProbability.selector, WAD + 1));
        market.openSlot(circuitId, fixedInputs, "", PRICE, WAD + 1, WINDOW, type(uint256).max, false);
        vm.expectRevert(
            abi.encodeWithSelector(IProcurementMarket.Market_ProofPriceBelowMinimum.selector, circuitId, 0, MIN_PRICE)
        );
        market.openSlot(circuitId, fixedInputs, "", 0, HALF, WINDOW, type(uint256).max, false);
        vm.expectRevert(
            abi.encodeWithSelector(
                IProcurementMarket.Market_ProveWindowOutOfRange.selector, circuitId, MIN_WINDOW - 1, MIN_WINDOW, MAX_WINDOW
            )
        );
        market.openSlot(circuitId, fixedInputs, "", PRICE, HALF, MIN_WINDOW - 1, type(uint256).max, false);
        vm.expectRevert(
            abi.encodeWithSelector(
                IProcurementMarket.Market_ProveWindowOutOfRange.selector, circuitId, MAX_WINDOW + 1, MIN_WINDOW, MAX_WINDOW
            )
        );
        market.openSlot(circuitId, fixedInputs, "", PRICE, HALF, MAX_WINDOW + 1, type(uint256).max, false);
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_EscrowAboveMax.selector, ESCROW, ESCROW - 1));
        market.openSlot(circuitId, fixedInputs, "", PRICE, HALF, WINDOW, ESCROW - 1, false);
        market.openSlot(circuitId, fixedInputs, "", PRICE, HALF, WINDOW, ESCROW, false); // exactly the escrow is fine
        vm.stopPrank();
    }

    function test_openSlot_revertsWithoutEligibleProvers() public {
        for (uint256 i = 0; i < PROVERS; ++i) {
            vm.prank(provers[i]);
            registry.requestUnbond(1);
        }
        uint256[] memory fixedInputs = new uint256[](1);
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_NoEligibleProvers.selector, circuitId));
        vm.prank(requester);
        market.openSlot(circuitId, fixedInputs, "", PRICE, HALF, WINDOW, type(uint256).max, false);
    }

    function test_openSlot_revertsWithoutAllowanceAndKeepsNothing() public {
        vm.prank(requester);
        token.approve(address(market), 1);
        uint256[] memory fixedInputs = new uint256[](1);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(market), 1, ESCROW)
        );
        vm.prank(requester);
        market.openSlot(circuitId, fixedInputs, "", PRICE, HALF, WINDOW, type(uint256).max, false);
        vm.assertEq(market.nextSlotId(), 0, "no slot");
    }

    // ------------------------------------------------------------ submitProof
    function test_submitProof_recordsDesignateAndCommittee() public {
        uint256 slotId = _open(HALF);
        address d = _designate(slotId);
        address c = _committee(slotId, 0);
        vm.expectEmit(address(market));
        emit IProcurementMarket.ProofSubmitted(slotId, d, true, _outputs());
        _submit(slotId, d);
        _submit(slotId, c);
        vm.assertFalse(market.committeeShareOwed(slotId, d), "the designate is not a committee deliverer");
        vm.assertTrue(market.committeeShareOwed(slotId, c), "committee delivered");
        vm.assertTrue(_slot(slotId).designateDelivered, "flag");
        vm.assertEq(_slot(slotId).committeeDeliveries, 1, "count");
    }

    function test_submitProof_passesBindingOfSenderAsLastInput() public {
        uint256 slotId = _open(HALF);
        address c = _committee(slotId, 0);
        uint256 binding = uint256(keccak256(abi.encode(block.chainid, address(market), slotId, c))) % R;
        vm.assertEq(market.bindingOf(slotId, c), binding, "binding formula");
        verifier.setRejectBinding(binding, true);
        uint256[8] memory proof;
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_InvalidProof.selector, slotId, c));
        vm.prank(c);
        market.submitProof(slotId, _t(slotId), _outputs(), proof);
        _submit(slotId, _committee(slotId, 1)); // another prover's binding is accepted
    }

    function test_bindingOf_dependsOnChainId() public {
        uint256 a = market.bindingOf(0, provers[0]);
        vm.chainId(999);
        vm.assertTrue(market.bindingOf(0, provers[0]) != a, "chain id bound");
        vm.assertLt(a, R, "in field");
    }

    function test_submitProof_revertsOnInvalidProof() public {
        uint256 slotId = _open(HALF);
        verifier.setAccept(false);
        address d = _designate(slotId);
        uint256[8] memory proof;
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_InvalidProof.selector, slotId, d));
        vm.prank(d);
        market.submitProof(slotId, _t(slotId), _outputs(), proof);
        vm.assertFalse(market.committeeShareOwed(slotId, d), "not recorded");
    }

    function test_submitProof_revertsOnOutputOutsideField() public {
        uint256 slotId = _open(HALF);
        address d = _designate(slotId);
        uint256[] memory outputs = _outputs();
        outputs[1] = R;
        uint256[8] memory proof;
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_InvalidProof.selector, slotId, d));
        vm.prank(d);
        market.submitProof(slotId, _t(slotId), outputs, proof);
    }

    function test_submitProof_revertsOnOutputCount() public {
        uint256 slotId = _open(HALF);
        address d = _designate(slotId);
        uint256[8] memory proof;
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_OutputCountMismatch.selector, slotId, 2, 1));
        vm.prank(d);
        market.submitProof(slotId, _t(slotId), new uint256[](1), proof);
    }

    function test_submitProof_revertsOnSecondDelivery() public {
        uint256 slotId = _open(HALF);
        address d = _designate(slotId);
        address c = _committee(slotId, 0);
        _submit(slotId, d);
        _submit(slotId, c);
        uint256[8] memory proof;
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_AlreadyDelivered.selector, slotId, d));
        vm.prank(d);
        market.submitProof(slotId, _t(slotId), _outputs(), proof);
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_AlreadyDelivered.selector, slotId, c));
        vm.prank(c);
        market.submitProof(slotId, _t(slotId), _outputs(), proof);
    }

    function test_submitProof_revertsAfterDeadline() public {
        uint256 slotId = _open(HALF);
        uint64 deadline = _slot(slotId).deadline;
        vm.warp(deadline);
        _submit(slotId, _designate(slotId)); // the deadline second itself is accepted
        vm.warp(uint256(deadline) + 1);
        address c = _committee(slotId, 0);
        uint256[8] memory proof;
        vm.expectRevert(
            abi.encodeWithSelector(IProcurementMarket.Market_DeadlinePassed.selector, slotId, deadline, deadline + 1)
        );
        vm.prank(c);
        market.submitProof(slotId, _t(slotId), _outputs(), proof);
    }

    function test_submitProof_revertsForOutsidersAndLateJoiners() public {
        uint256 slotId = _open(HALF);
        address late = _newProver(99, MIN_BOND); // eligible now, but not when the slot opened
        vm.assertTrue(registry.isEligible(late), "eligible now");
        uint256[8] memory proof;
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_NotInSlotSet.selector, slotId, late));
        vm.prank(late);
        market.submitProof(slotId, _t(slotId), _outputs(), proof);
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_NotInSlotSet.selector, slotId, requester));
        vm.prank(requester);
        market.submitProof(slotId, _t(slotId), _outputs(), proof);
    }

    function test_submitProof_acceptsCommitteeMemberThatLeftAfterOpening() public {
        uint256 slotId = _open(HALF);
        address c = _committee(slotId, 0);
        vm.prank(c);
        registry.requestUnbond(MIN_BOND);
        vm.assertFalse(registry.isEligible(c), "left the set");
        _submit(slotId, c);
        vm.assertTrue(market.committeeShareOwed(slotId, c), "still in the slot's set");
    }

    function test_submitProof_revertsOnUnknownSlot() public {
        uint256[8] memory proof;
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_UnknownSlot.selector, 3));
        market.submitProof(3, _t(3), _outputs(), proof);
    }

    // ------------------------------------------------------------ settle
    function test_settle_designateAloneGetsEscrowAndBondUnlocked() public {
        uint256 slotId = _open(HALF);
        address d = _designate(slotId);
        vm.expectEmit(address(registry));
        emit IProverRegistryTypes.BondUnlocked(d, slotId, SLOT_BOND);
        _submit(slotId, d);
        vm.assertEq(registry.lockedOf(d), 0, "released on delivery, before settlement");
        vm.warp(uint256(_slot(slotId).deadline) + 1);
        vm.expectEmit(address(market));
        emit IProcurementMarket.PayoutCredited(slotId, d, ESCROW, uint8(PayoutKind.DESIGNATE));
        vm.expectEmit(address(market));
        emit IProcurementMarket.SlotSettled(slotId, true, 0, ESCROW, 0, 0, 0);
        _settle(slotId);
        vm.assertEq(market.claimable(d), ESCROW, "designate credited");
        vm.assertEq(registry.lockedOf(d), 0, "unlocked");
        vm.assertFalse(registry.isJailed(d), "not jailed");
    }

    function test_settle_committeeSplitsPrizeWithDustToRequester() public {
        uint256 slotId = _open(HALF);
        address d = _designate(slotId);
        _submit(slotId, d);
        for (uint256 k = 0; k < 4; ++k) {
            _submit(slotId, _committee(slotId, k));
        }
        vm.warp(uint256(_slot(slotId).deadline) + 1);
        uint256 each = 5333333333333333332; // floor(PRIZE / 4)
        vm.expectEmit(address(market));
        emit IProcurementMarket.SlotSettled(slotId, true, 4, ESCROW - PRIZE, each, 2, 0);
        _settle(slotId);
        vm.assertEq(market.claimable(d), 8666666666666666670, "designate gets T - Q");
        for (uint256 k = 0; k < 4; ++k) {
            vm.assertEq(market.claimable(_committee(slotId, k)), each, "committee share");
        }
        vm.assertEq(market.claimable(requester), 2, "dust");
        _claimAll(requester);
        _claimAll(d);
        for (uint256 k = 0; k < 4; ++k) {
            _claimAll(_committee(slotId, k));
        }
        vm.assertEq(token.balanceOf(address(market)), 0, "market empty");
    }

    function test_settle_compensateCommitteePaysDeliverersFromSlash() public {
        uint256 slotId = _open(HALF);
        address d = _designate(slotId);
        for (uint256 k = 0; k < 4; ++k) {
            _submit(slotId, _committee(slotId, k));
        }
        uint256 requesterBefore = token.balanceOf(requester);
        vm.warp(uint256(_slot(slotId).deadline) + 1);
        vm.expectEmit(address(market));
        emit IProcurementMarket.SlotSettled(slotId, false, 4, 0, 5333333333333333332, ESCROW, SLOT_BOND);
        _settle(slotId);
        // requester: escrow back + (50e18 - PRIZE) + dust 2
        vm.assertEq(market.claimable(requester), ESCROW + 28666666666666666670 + 2, "requester");
        vm.assertEq(market.claimable(_committee(slotId, 0)), 5333333333333333332, "committee compensation");
        vm.assertEq(market.claimable(d), 0, "designate nothing");
        vm.assertEq(registry.bondOf(d), MIN_BOND - SLOT_BOND, "slashed");
        vm.assertTrue(registry.isJailed(d), "jailed");
        vm.assertFalse(registry.isEligible(d), "ineligible");
        vm.assertEq(token.balanceOf(address(market)), ESCROW + SLOT_BOND, "market holds escrow + slash");
        _claimAll(requester);
        vm.assertEq(token.balanceOf(requester) - requesterBefore, ESCROW + 28666666666666666672, "paid out");
    }

    function test_settle_compensationCappedBySlashedBond() public {
        _deploy(FailurePolicy.COMPENSATE_COMMITTEE, 5e18);
        uint256 slotId = _open(HALF);
        _submit(slotId, _committee(slotId, 0));
        _submit(slotId, _committee(slotId, 1));
        vm.warp(uint256(_slot(slotId).deadline) + 1);
        _settle(slotId);
        vm.assertEq(market.claimable(_committee(slotId, 0)), 25e17, "half of the 5e18 slash");
        vm.assertEq(market.claimable(_committee(slotId, 1)), 25e17, "half of the 5e18 slash");
        vm.assertEq(market.claimable(requester), ESCROW, "escrow only");
    }

    function test_settle_paperPolicyGivesWholeSlashToRequester() public {
        _deploy(FailurePolicy.PAPER, SLOT_BOND);
        uint256 slotId = _open(HALF);
        address c = _committee(slotId, 0);
        _submit(slotId, c);
        vm.warp(uint256(_slot(slotId).deadline) + 1);
        vm.expectEmit(address(market));
        emit IProcurementMarket.PayoutCredited(slotId, requester, ESCROW, uint8(PayoutKind.REFUND));
        vm.expectEmit(address(market));
        emit IProcurementMarket.PayoutCredited(slotId, requester, SLOT_BOND, uint8(PayoutKind.SLASH_REFUND));
        _settle(slotId);
        vm.assertEq(market.claimable(requester), ESCROW + SLOT_BOND, "requester gets all");
        vm.assertEq(market.claimable(c), 0, "committee gets nothing under PAPER");
    }

    function test_settle_failureWithoutDeliveriesRefundsAndSlashes() public {
        uint256 slotId = _open(HALF);
        address d = _designate(slotId);
        vm.warp(uint256(_slot(slotId).deadline) + 1);
        _settle(slotId);
        vm.assertEq(market.claimable(requester), ESCROW + SLOT_BOND, "refund + slash");
        vm.assertTrue(registry.isJailed(d), "jailed");
    }

    function test_settle_revertsBeforeDeadlineTwiceAndUnknown() public {
        uint256 slotId = _open(HALF);
        uint64 deadline = _slot(slotId).deadline;
        vm.warp(deadline);
        vm.expectRevert(
            abi.encodeWithSelector(IProcurementMarket.Market_DeadlineNotPassed.selector, slotId, deadline, deadline)
        );
        _settle(slotId);
        vm.warp(uint256(deadline) + 1);
        _settle(slotId);
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_AlreadySettled.selector, slotId));
        _settle(slotId);
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_UnknownSlot.selector, 1));
        _settle(1);
    }

    function test_settle_possibleLongAfterDeadline() public {
        uint256 slotId = _open(HALF);
        _submit(slotId, _designate(slotId));
        vm.warp(uint256(_slot(slotId).deadline) + 3650 days);
        _settle(slotId);
        vm.assertTrue(_slot(slotId).settled, "settled");
    }

    // ------------------------------------------------------------ claim
    function test_claim_transfersAndZeroes() public {
        uint256 slotId = _open(HALF);
        address d = _designate(slotId);
        _submit(slotId, d);
        vm.warp(uint256(_slot(slotId).deadline) + 1);
        _settle(slotId);
        uint256 before = token.balanceOf(d);
        vm.expectEmit(address(market));
        emit IProcurementMarket.Claimed(d, ESCROW);
        vm.prank(d);
        market.claim();
        vm.assertEq(token.balanceOf(d) - before, ESCROW, "paid");
        vm.assertEq(market.claimable(d), 0, "zeroed");
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_NothingToClaim.selector, d));
        vm.prank(d);
        market.claim();
    }

    // ------------------------------------------------------------ pure helpers
    function test_prizeHelpers_revertOnProbabilityAboveOne() public {
        PaymentRecipe recipe = new PaymentRecipe();
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_InvalidMixingProbability.selector, WAD + 1));
        recipe.totalPrizeWad(3, WAD + 1);
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_InvalidMixingProbability.selector, WAD + 1));
        recipe.committeePrizeWad(3, WAD + 1);
    }

    function test_prizeHelpers_limits() public {
        PaymentRecipe recipe = new PaymentRecipe();
        vm.assertEq(recipe.committeePrizeWad(4, 0), WAD, "p = 0");
        vm.assertEq(recipe.committeePrizeWad(0, HALF), WAD, "m = 0");
        vm.assertEq(recipe.committeePrizeWad(4, WAD), 4 * WAD, "p = 1: Q = m");
        vm.assertEq(recipe.totalPrizeWad(4, WAD), 5 * WAD, "p = 1: T = 1 + m");
        vm.assertEq(recipe.wadPow(HALF, 4), 625e14, "0.5^4");
    }

    // ------------------------------------------------------------ results (resultOf)
    /// @dev Opens (keepResult = true) and draws a slot of the fixture's circuit as the requester.
    function _openKeeping() internal returns (uint256 slotId) {
        uint256[] memory fixedInputs = new uint256[](1);
        fixedInputs[0] = 42;
        Terms memory t;
        vm.prank(requester);
        (slotId, t) = market.openSlot(circuitId, fixedInputs, hex"c0ffee", PRICE, HALF, WINDOW, type(uint256).max, true);
        _termsOf[slotId] = t;
        _draw(slotId);
    }

    function test_resultOf_notKeptByDefault_unknownSlotReverts() public {
        uint256 slotId = _open(HALF);
        _submit(slotId, _designate(slotId));
        (ResultStatus status, bytes32 h) = market.resultOf(slotId);
        vm.assertEq(uint8(status), uint8(ResultStatus.NOT_KEPT), "a plain slot keeps nothing");
        vm.assertEq(h, bytes32(0), "no hash");
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_UnknownSlot.selector, slotId + 1));
        market.resultOf(slotId + 1);
    }

    /// The first accepted proof's outputs are the result, whoever delivered it; a later proof with other outputs
    /// (possible only for a circuit whose outputs are not a function of its payload; the mock verifier accepts any)
    /// does not replace it, and a rejected proof never sets it.
    function test_resultOf_keepsTheFirstAcceptedProofsOutputs() public {
        uint256 slotId = _openKeeping();
        vm.assertEq(uint8(market.slotState(slotId).result), uint8(ResultStatus.PENDING), "pending in the state word");
        address member = _committee(slotId, 0);
        uint256[8] memory proof;
        verifier.setAccept(false);
        vm.prank(member);
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_InvalidProof.selector, slotId, member));
        market.submitProof(slotId, _t(slotId), _outputs(), proof);
        (ResultStatus status,) = market.resultOf(slotId);
        vm.assertEq(uint8(status), uint8(ResultStatus.PENDING), "a rejected proof keeps nothing");
        verifier.setAccept(true);
        bytes32 expected = keccak256(abi.encodePacked(uint256(7), uint256(9)));
        vm.expectEmit(address(market));
        emit IResultMarket.ResultKept(slotId, member, expected);
        _submit(slotId, member);
        uint256[] memory other = new uint256[](2);
        other[0] = 8;
        other[1] = 9;
        vm.prank(_designate(slotId));
        market.submitProof(slotId, _t(slotId), other, proof);
        bytes32 h;
        (status, h) = market.resultOf(slotId);
        vm.assertEq(uint8(status), uint8(ResultStatus.DELIVERED), "delivered");
        vm.assertEq(h, expected, "the committee member's outputs, delivered first");
        vm.warp(block.timestamp + WINDOW + 1);
        _settle(slotId);
        (status, h) = market.resultOf(slotId);
        vm.assertEq(uint8(status), uint8(ResultStatus.DELIVERED), "kept after settlement");
        vm.assertEq(h, expected, "unchanged");
    }

    /// A kept slot without an accepted proof: PENDING until the deadline, FAILED after it (and after a cancel).
    function test_resultOf_failedOnceNoProofCanCome() public {
        uint256 slotId = _openKeeping();
        uint64 deadline = market.slotState(slotId).deadline;
        vm.warp(deadline);
        (ResultStatus status,) = market.resultOf(slotId);
        vm.assertEq(uint8(status), uint8(ResultStatus.PENDING), "a proof may still come at the deadline");
        vm.warp(deadline + 1);
        (status,) = market.resultOf(slotId);
        vm.assertEq(uint8(status), uint8(ResultStatus.FAILED), "none can after it");

        uint256[] memory fixedInputs = new uint256[](1);
        fixedInputs[0] = 42;
        vm.prank(requester);
        (uint256 undrawn, Terms memory t) =
            market.openSlot(circuitId, fixedInputs, hex"c0ffee", PRICE, HALF, WINDOW, type(uint256).max, true);
        (status,) = market.resultOf(undrawn);
        vm.assertEq(uint8(status), uint8(ResultStatus.PENDING), "not drawn yet: pending");
        vm.roll(block.number + DRAW_DELAY + 258);
        vm.warp(block.timestamp + 365 days); // the undrawn slot's deadline field holds its window, not a time
        (status,) = market.resultOf(undrawn);
        vm.assertEq(uint8(status), uint8(ResultStatus.PENDING), "undrawn: still drawable or cancellable");
        market.cancel(undrawn, t);
        (status,) = market.resultOf(undrawn);
        vm.assertEq(uint8(status), uint8(ResultStatus.FAILED), "cancelled: failed");
    }
}
