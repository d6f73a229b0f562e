// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {PaymentMath} from "../../src/libraries/PaymentMath.sol";
import {IProverRegistry} from "../../src/interfaces/IProverRegistry.sol";
import {IProverRegistryTypes} from "../../src/interfaces/IProverRegistryTypes.sol";
import {IProcurementMarket} from "../../src/interfaces/IProcurementMarket.sol";
import {MarketFixture} from "../utils/MarketFixture.sol";
import {ProverRegistry} from "../../src/ProverRegistry.sol";
import {ProcurementMarket, FailurePolicy, SlotTerms} from "../../src/ProcurementMarket.sol";
import {MockVerifier} from "../mocks/MockVerifier.sol";

/// @notice A requester contract that wants to open slots only when its own prover would be drawn (the attack on a
///         draw computable inside `openSlot`): it opens and looks for the designate in the same transaction.
contract DrawPeeker {
    ProcurementMarket internal immutable _market;
    address public seenDesignate;
    bytes public drawError;

    constructor(ProcurementMarket market_) {
        _market = market_;
    }

    function openAndPeek(uint256 circuitId, uint256 price, uint64 window) external returns (uint256 slotId) {
        uint256[] memory fixedInputs = new uint256[](1);
        SlotTerms memory t;
        (slotId, t) = _market.openSlot(circuitId, fixedInputs, "", price, 5e17, window, type(uint256).max, false);
        seenDesignate = t.designate;
        try _market.draw(slotId, t) returns (address d) {
            seenDesignate = d;
        } catch (bytes memory err) {
            drawError = err;
        }
    }

    function approve(address token, uint256 amount) external {
        (bool ok,) = token.call(abi.encodeWithSignature("approve(address,uint256)", address(_market), amount));
        require(ok, "approve");
    }
}

/// @notice The attacks of the circuit-markets issue, each shown failing: a requester (or circuit admin) can no longer
///         set terms that rob an honest prover's bond. Mock verifier: the proof is not the point here.
contract CircuitMarketAttackTest is MarketFixture {
    uint256 internal constant HALF = 5e17;

    function setUp() public {
        _deploy(FailurePolicy.COMPENSATE_COMMITTEE, SLOT_BOND);
    }

    /// @dev Everything a requester could have taken or locked: its balance, the market's, every prover's lock.
    function _snapshot() internal view returns (uint256 requesterBalance, uint256 marketBalance, uint256 locked) {
        requesterBalance = token.balanceOf(requester);
        marketBalance = token.balanceOf(address(market));
        for (uint256 i = 0; i < provers.length; ++i) {
            locked += registry.lockedOf(provers[i]);
        }
    }

    function _assertNothingMoved(uint256 r0, uint256 m0, uint256 l0, uint256 nextSlot) internal view {
        (uint256 r1, uint256 m1, uint256 l1) = _snapshot();
        vm.assertEq(r1, r0, "requester kept its tokens");
        vm.assertEq(m1, m0, "market took nothing");
        vm.assertEq(l1, l0, "no bond locked");
        vm.assertEq(market.nextSlotId(), nextSlot, "no slot opened");
    }

    // ------------------------------------------------------------ attack 1: a window too short to prove in
    /// Before: a requester opened slots with a 1-second prove window, so every designate was slashed and jailed.
    /// Now the circuit's minimum window (above proving time plus inclusion) bounds it: the slot never opens.
    function test_attack_oneSecondProveWindowIsRefused() public {
        (uint256 r0, uint256 m0, uint256 l0) = _snapshot();
        uint256[] memory fixedInputs = new uint256[](1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IProcurementMarket.Market_ProveWindowOutOfRange.selector, circuitId, 1, MIN_WINDOW, MAX_WINDOW
            )
        );
        vm.prank(requester);
        market.openSlot(circuitId, fixedInputs, "", PRICE, HALF, 1, type(uint256).max, false);
        _assertNothingMoved(r0, m0, l0, 0);
    }

    // ------------------------------------------------------------ attack 2: dust price, long lock
    /// Before: a 1-wei proof price forced the designate to prove for nothing or lose its bond. Now the circuit's
    /// minimum proof price refuses it.
    function test_attack_oneWeiProofPriceIsRefused() public {
        (uint256 r0, uint256 m0, uint256 l0) = _snapshot();
        uint256[] memory fixedInputs = new uint256[](1);
        vm.expectRevert(
            abi.encodeWithSelector(IProcurementMarket.Market_ProofPriceBelowMinimum.selector, circuitId, 1, MIN_PRICE)
        );
        vm.prank(requester);
        market.openSlot(circuitId, fixedInputs, "", 1, HALF, WINDOW, type(uint256).max, false);
        _assertNothingMoved(r0, m0, l0, 0);
    }

    /// Before: a bond stayed locked until `settle`, so slots with long windows locked every prover out of the market
    /// for days. Now the window is at most the circuit's maximum, and a designate that delivers gets its bond back
    /// in the same transaction: it can take the next slot at once and leave with all of it.
    function test_attack_longWindowsNoLongerLockADeliveredBond() public {
        uint256[] memory fixedInputs = new uint256[](1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IProcurementMarket.Market_ProveWindowOutOfRange.selector, circuitId, 30 days, MIN_WINDOW, MAX_WINDOW
            )
        );
        vm.prank(requester);
        market.openSlot(circuitId, fixedInputs, "", PRICE, HALF, 30 days, type(uint256).max, false);

        vm.prank(requester);
        uint256 slotId = _openSlot(circuitId, fixedInputs, "", PRICE, HALF, MAX_WINDOW);
        address d = _designate(slotId);
        vm.assertEq(registry.lockedOf(d), SLOT_BOND, "locked while it owes the proof");
        _submit(slotId, d);
        vm.assertEq(registry.lockedOf(d), 0, "released by its own proof, a day before the deadline");
        vm.assertTrue(registry.isEligibleFor(d, circuitId), "eligible for the next slot at once");
        vm.assertEq(registry.availableToUnbond(d, d), MIN_BOND, "and free to leave with everything");
        vm.prank(d);
        registry.requestUnbond(MIN_BOND);
        // the slot still settles and pays it
        vm.warp(uint256(_slot(slotId).deadline) + 1);
        _settle(slotId);
        vm.assertEq(market.claimable(d), _slot(slotId).escrow, "paid as designate");
    }

    // ------------------------------------------------------------ attack 3: a circuit nobody can prove
    /// Before: every eligible prover could be drawn for every registered circuit, so a circuit no agent can prove
    /// (or a malicious verifier the circuit admin registers) turned every bond into prize money. Now a new circuit
    /// takes slots only after the notice, and only provers that opted into it are drawn: with none, no slot opens.
    function test_attack_unprovableCircuitCannotDrawProversThatDidNotOptIn() public {
        MockVerifier evil = new MockVerifier();
        evil.setAccept(false); // no proof will ever verify
        vm.prank(owner);
        uint256 id = market.registerCircuit(address(evil), 1, 2, address(0), MIN_PRICE, MIN_WINDOW, MAX_WINDOW);
        uint256[] memory fixedInputs = new uint256[](1);
        (uint256 r0, uint256 m0, uint256 l0) = _snapshot();
        uint64 activeFrom = market.circuitTerms(id).effectiveAt;
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_CircuitNotActive.selector, id, activeFrom));
        vm.prank(requester);
        market.openSlot(id, fixedInputs, "", PRICE, HALF, WINDOW, type(uint256).max, false);
        vm.warp(activeFrom);
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_NoEligibleProvers.selector, id));
        vm.prank(requester);
        market.openSlot(id, fixedInputs, "", PRICE, HALF, WINDOW, type(uint256).max, false);
        _assertNothingMoved(r0, m0, l0, 0);
        vm.assertEq(registry.eligibleCount(id), 0, "nobody opted in");
        vm.assertEq(registry.eligibleCount(circuitId), PROVERS, "the provers stay in the circuit they chose");
    }

    /// Terms may change only with a notice of the unbonding delay: a prover that does not accept the new terms
    /// opts out first, and is not drawn for any slot opened under them.
    function test_attack_circuitTermsChangedUnderTheProversAreNoticedAndAvoidable() public {
        address leaver = provers[0];
        vm.prank(owner);
        market.setCircuitTerms(circuitId, MIN_PRICE, 1, MAX_WINDOW); // a 1 s minimum window, after the notice
        vm.prank(leaver);
        registry.optOut(circuitId); // the prover does not accept it: it leaves before the terms apply
        vm.warp(block.timestamp + market.termsNotice());
        uint256[] memory fixedInputs = new uint256[](1);
        for (uint256 k = 0; k < 20; ++k) {
            vm.prank(requester);
            uint256 slotId = _openSlot(circuitId, fixedInputs, "", PRICE, HALF, 1);
            vm.assertTrue(_designate(slotId) != leaver, "the prover that opted out is never drawn");
            vm.assertEq(_t(slotId).eligibleCount, PROVERS - 1, "nor counted in the committee");
            _submit(slotId, _designate(slotId)); // release, so the others stay eligible
        }
    }

    // ------------------------------------------------------------ attack 6: a draw the requester can predict
    /// Before: the designate came from block.prevrandao inside openSlot, so a requester contract could open only
    /// when the draw suited it (its own prover drawn, then withholding to collect others' bonds). Now nobody, the
    /// requester included, can know the designate in the opening transaction: it comes from the hash of a block
    /// `drawDelay` blocks later, and `draw` in the same block reverts.
    function test_attack_requesterContractCannotSeeTheDesignateWhenItOpens() public {
        DrawPeeker peeker = new DrawPeeker(market);
        vm.prank(owner);
        token.mint(address(peeker), 1_000e18);
        peeker.approve(address(token), type(uint256).max);
        uint256 slotId = peeker.openAndPeek(circuitId, PRICE, WINDOW);
        vm.assertEq(peeker.seenDesignate(), address(0), "no designate to see");
        uint256 drawBlock = block.number + DRAW_DELAY;
        vm.assertEq(
            keccak256(peeker.drawError()),
            keccak256(
                abi.encodeWithSelector(IProcurementMarket.Market_DrawTooEarly.selector, slotId, drawBlock + 1, block.number)
            ),
            "draw in the opening block is refused"
        );
        for (uint256 i = 0; i < provers.length; ++i) {
            vm.assertEq(registry.lockedOf(provers[i]), 0, "nobody locked before the draw");
        }
    }

    /// @dev Opens a slot, mines past its draw block and gives that block the hash `h`; returns the draw block too.
    function _openAtHash(bytes32 h) internal returns (uint256 slotId, uint256 drawBlock) {
        slotId = _openUndrawn(HALF);
        drawBlock = block.number + DRAW_DELAY;
        vm.roll(drawBlock + 1);
        vm.setBlockhash(drawBlock, h);
    }

    /// Who calls `draw`, and when, does not matter: the designate depends only on the draw block's hash and on who
    /// is eligible. A requester that waits, or an agent that draws late, gets the same designate.
    function test_attack_theDrawCannotBeTimedOrDoneByAChosenCaller() public {
        (uint256 slotId, uint256 drawBlock) = _openAtHash(keccak256("the draw block"));
        uint256 snap = vm.snapshotState();
        vm.prank(requester);
        address early = market.draw(slotId, _t(slotId));
        vm.revertToState(snap);
        vm.roll(drawBlock + 200);
        vm.prank(provers[3]);
        address late = market.draw(slotId, _t(slotId));
        vm.assertEq(late, early, "same designate whoever draws, whenever");
    }

    /// A prover cannot steer the draw by joining after the slot opened (it is skipped) nor make anyone else be
    /// drawn by leaving (member positions never move), and the drawn prover cannot dodge it by opting out once it
    /// knows the draw block's hash: it was in the slot's set, so it is drawn anyway.
    function test_attack_joiningOrLeavingAfterTheOpeningDoesNotSteerTheDraw() public {
        (uint256 slotId,) = _openAtHash(keccak256("another draw block"));
        uint256 snap = vm.snapshotState();
        address honest = market.draw(slotId, _t(slotId));
        vm.revertToState(snap);
        // sybils join after the opening (with the hash known), a bystander leaves: the designate is the same
        for (uint256 i = 0; i < 5; ++i) {
            _newProver(100 + i, MIN_BOND);
        }
        address bystander = provers[0] == honest ? provers[1] : provers[0];
        vm.prank(bystander);
        registry.optOut(circuitId);
        vm.prank(honest);
        registry.optOut(circuitId); // the would-be designate tries to dodge
        vm.assertEq(market.draw(slotId, _t(slotId)), honest, "joins, exits and a dodging opt-out change nothing");
        vm.assertEq(registry.lockedOf(honest), SLOT_BOND, "the dodger answers for the slot it was eligible for");
    }

    /// Review finding: the draw took its modulus from the member list's length when `draw` ran, so whoever saw the
    /// draw block's hash could append members (fresh sybils opting in) until the modulus picked its own prover. The
    /// slot now samples the members listed when it opened: appending members after the hash is known changes nothing.
    function test_attack_appendingMembersAfterTheHashIsKnownDoesNotReRollTheDraw() public {
        address[] memory sybils = new address[](3);
        for (uint256 i = 0; i < 3; ++i) {
            sybils[i] = address(uint160(0x5B00 + i));
            vm.prank(owner);
            token.mint(sybils[i], MIN_BOND);
            vm.startPrank(sybils[i]);
            token.approve(address(registry), type(uint256).max);
            registry.register("sybil", bytes32(0));
            registry.bond(MIN_BOND); // bonded, not opted in: a member-list entry in waiting
            vm.stopPrank();
        }
        for (uint256 r = 0; r < 20; ++r) {
            (uint256 slotId,) = _openAtHash(keccak256(abi.encode("draw block", r)));
            uint256 snap = vm.snapshotState();
            address honest = market.draw(slotId, _t(slotId));
            for (uint256 k = 1; k <= 3; ++k) {
                vm.revertToState(snap);
                snap = vm.snapshotState();
                for (uint256 i = 0; i < k; ++i) {
                    vm.prank(sybils[i]);
                    registry.optIn(circuitId); // appended to the list after the hash is known
                }
                vm.assertEq(market.draw(slotId, _t(slotId)), honest, "k appended members change nothing");
            }
            vm.revertToState(snap);
            _draw(slotId);
            _submit(slotId, honest); // release, so the next round starts from the same set
        }
    }

    /// Review finding: a stranger with a few wei staked behind a locked prover could exit (putting a wei at risk) and
    /// so knock the prover out of every eligible set, costing it committee seats in slots opened before. Exits at
    /// risk now only stop new *draws* of that pool (no new lock may mix with them); its seats stay.
    function test_attack_aStrangersDustExitCostsALockedProverNoCommitteeSeat() public {
        address victim = provers[4];
        address griefer = address(0x6E1F);
        _stakeFrom(griefer, victim, 1_000);
        vm.prank(victim);
        registry.bond(MIN_BOND); // well bonded: stays eligible while one slot bond is locked
        uint256 slotA = _openWithDesignate(victim, HALF);
        uint256 slotB = _openUndrawn(HALF);
        _drawAs(slotB, provers[1]);
        vm.prank(griefer);
        registry.requestUnstake(victim, 1);
        (uint256 atRisk,) = registry.riskOf(victim, griefer);
        vm.assertEq(atRisk, 1, "one wei stays at risk");
        vm.assertTrue(registry.isEligibleFor(victim, circuitId), "the victim keeps its place in the circuit");
        vm.assertTrue(registry.isEligibleForSlot(victim, circuitId, _t(slotB).snapshot), "and its seat in slot B");
        _submit(slotB, victim); // its committee delivery is accepted
        vm.assertTrue(market.committeeShareOwed(slotB, victim), "delivered as committee");
        _submit(slotA, victim);
        vm.assertEq(registry.atRiskOf(victim), 0, "the exit's lock ended with the slot");
    }

    // ------------------------------------------------------------ requester protections
    /// A prover set that grows just before the requester's transaction (front-run) raises T: maxEscrow stops the
    /// requester from paying more than it agreed to.
    function test_maxEscrowStopsAFrontRunSetGrowthFromRaisingThePrice() public {
        uint256 quoted = _quoteEscrow(PROVERS);
        for (uint256 i = 0; i < 3; ++i) {
            _newProver(200 + i, MIN_BOND); // joins in the same block, before the requester
        }
        uint256 raised = _quoteEscrow(PROVERS + 3);
        uint256[] memory fixedInputs = new uint256[](1);
        uint256 balance = token.balanceOf(requester);
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_EscrowAboveMax.selector, raised, quoted));
        vm.prank(requester);
        market.openSlot(circuitId, fixedInputs, "", PRICE, HALF, WINDOW, quoted, false);
        vm.assertEq(token.balanceOf(requester), balance, "nothing taken");
    }

    function _quoteEscrow(uint256 n) internal view returns (uint256) {
        return PaymentMath.totalPrizeWad(n - 1, HALF) * PRICE / WAD;
    }

    /// A slashed prover cannot unjail at once (and be drawn again right away): it waits out the cool-down.
    function test_jailedProverWaitsOutTheCooldown() public {
        uint256[] memory fixedInputs = new uint256[](1);
        vm.prank(requester);
        uint256 slotId = _openSlot(circuitId, fixedInputs, "", PRICE, HALF, WINDOW);
        address d = _designate(slotId);
        vm.warp(uint256(_slot(slotId).deadline) + 1);
        _settle(slotId);
        vm.prank(d);
        registry.bond(SLOT_BOND);
        uint64 from = uint64(block.timestamp) + JAIL_COOLDOWN;
        vm.expectRevert(abi.encodeWithSelector(IProverRegistryTypes.Registry_JailCooldown.selector, d, from, block.timestamp));
        vm.prank(d);
        registry.unjail();
        vm.warp(from);
        vm.prank(d);
        registry.unjail();
        vm.assertTrue(registry.isEligibleFor(d, circuitId), "back after the cool-down");
    }
}
