// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IProcurementMarket} from "../../src/interfaces/IProcurementMarket.sol";
import {MarketFixture} from "../utils/MarketFixture.sol";
import {ProverRegistry} from "../../src/ProverRegistry.sol";
import {ProcurementMarket, FailurePolicy, SlotTerms} from "../../src/ProcurementMarket.sol";
import {HookToken, ITokenReceiver} from "../mocks/HookToken.sol";
import {MockVerifier} from "../mocks/MockVerifier.sol";
import {DigitsVerifier} from "../../src/verifiers/DigitsVerifier.sol";
import {DigitsPayloadChecker} from "../../src/checkers/DigitsPayloadChecker.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @notice Re-enters `claim` / `withdraw` from the token's transfer hook, and records whether the inner call got in.
contract ReentrantClaimer is ITokenReceiver {
    ProcurementMarket internal immutable _market;
    ProverRegistry internal immutable _registry;
    bool public reenterWithdraw;
    bool public innerSucceeded;
    bytes public innerError;
    uint256 public hooks;

    constructor(ProcurementMarket market_, ProverRegistry registry_) {
        _market = market_;
        _registry = registry_;
    }

    function setReenterWithdraw(bool v) external {
        reenterWithdraw = v;
    }

    function register(IERC20 token, uint256 amount, uint256 circuitId) external {
        HookToken(address(token)).registerHook();
        token.approve(address(_registry), type(uint256).max);
        _registry.register("evil", bytes32(0));
        _registry.bond(amount);
        _registry.optIn(circuitId);
    }

    function requestUnbond(uint256 amount) external {
        _registry.requestUnbond(amount);
    }

    function withdraw() external {
        _registry.withdraw();
    }

    function submit(uint256 slotId, SlotTerms memory terms) external {
        uint256[] memory outputs = new uint256[](2);
        uint256[8] memory proof;
        _market.submitProof(slotId, terms, outputs, proof);
    }

    function claim() external {
        _market.claim();
    }

    function onTokenReceived(address, uint256) external {
        ++hooks;
        if (hooks > 1) return;
        try this.reenter() {
            innerSucceeded = true;
        } catch (bytes memory err) {
            innerError = err;
        }
    }

    function reenter() external {
        if (reenterWithdraw) _registry.withdraw();
        else _market.claim();
    }
}

/// @notice Attacks on slot economics, settlement, claims and bonds (mock verifier; the proof itself is not the point).
contract MarketAttackTest is MarketFixture {
    uint256 internal constant HALF = 5e17;
    uint256 internal constant ESCROW = 30e18; // n = 5, p = 0.5, price 10e18
    uint256 internal constant PRIZE = 21333333333333333330;

    function setUp() public {
        _deploy(FailurePolicy.COMPENSATE_COMMITTEE, SLOT_BOND);
    }

    // ------------------------------------------------------------ requester-owned designate withholds
    /// The requester controls prover provers[0]; it is drawn designate and withholds; two honest committee members
    /// deliver. Token balances of every party before/after, to the unit, under both failure policies.
    function _collusion(FailurePolicy policy)
        internal
        returns (int256 coalition, uint256 eachHonest, uint256 requesterProofs)
    {
        _deploy(policy, SLOT_BOND);
        address colluder = provers[0];
        uint256 coalitionBefore = token.balanceOf(requester) + token.balanceOf(colluder) + registry.bondOf(colluder);
        uint256 slotId = _openWithDesignate(colluder, HALF);
        address c0 = _committee(slotId, 0);
        address c1 = _committee(slotId, 1);
        _submit(slotId, c0);
        _submit(slotId, c1);
        requesterProofs = _slot(slotId).committeeDeliveries;
        vm.warp(uint256(_slot(slotId).deadline) + 1);
        _settle(slotId);
        _claimAll(requester);
        _claimAll(colluder);
        eachHonest = _claimAll(c0);
        vm.assertEq(_claimAll(c1), eachHonest, "equal split");
        uint256 coalitionAfter = token.balanceOf(requester) + token.balanceOf(colluder) + registry.bondOf(colluder);
        coalition = int256(coalitionAfter) - int256(coalitionBefore);
        vm.assertEq(token.balanceOf(address(market)), 0, "market empty");
    }

    function test_attack_requesterOwnDesignateWithholds_paperPolicy() public {
        (int256 coalition, uint256 each, uint256 proofs) = _collusion(FailurePolicy.PAPER);
        // PAPER: the slashed 50e18 goes back to the requester: the coalition gets 2 proofs for 0 tokens and the
        // honest committee proved for nothing. This is the collusion COMPENSATE_COMMITTEE closes (docs/DESIGN.md §3).
        vm.assertEq(proofs, 2, "requester got its proofs");
        vm.assertEq(uint256(coalition), 0, "coalition pays nothing");
        vm.assertEq(each, 0, "honest committee unpaid");
    }

    function test_attack_requesterOwnDesignateWithholds_compensateCommittee() public {
        (int256 coalition, uint256 each, uint256 proofs) = _collusion(FailurePolicy.COMPENSATE_COMMITTEE);
        // COMPENSATE_COMMITTEE: the deliverers share min(Q, B) = min(21.33, 50) out of the colluder's bond, exactly
        // the prize they would have had if the designate had delivered; the coalition loses it.
        vm.assertEq(proofs, 2, "requester got its proofs");
        vm.assertEq(each, PRIZE / 2, "each honest deliverer gets Q/2");
        vm.assertEq(coalition, -int256(PRIZE - (PRIZE % 2)), "coalition pays the committee prize (dust returns)");
    }

    // ------------------------------------------------------------ unprovable slot
    /// @dev Registers the digits circuit with its payload checker (real DigitsVerifier + DigitsPayloadChecker over
    ///      the bundled model's commitment) and returns its id and the sample image 0 (pixels, commitment).
    function _digitsWithChecker() internal returns (uint256 id, bytes memory pixels, uint256 imageCommitment, uint256 model) {
        string memory json = vm.readFile(string.concat(vm.projectRoot(), "/test/fixtures/mimc-vectors.json"));
        model = vm.parseJsonUint(json, ".model.commitment");
        uint256[] memory px = vm.parseJsonUintArray(json, ".images[0].pixels");
        pixels = new bytes(px.length);
        for (uint256 i = 0; i < px.length; ++i) {
            pixels[i] = bytes1(uint8(px[i]));
        }
        imageCommitment = vm.parseJsonUint(json, ".images[0].commitment");
        DigitsPayloadChecker checker = new DigitsPayloadChecker(model);
        DigitsVerifier digits = new DigitsVerifier();
        id = _registerCircuit(address(digits), 2, 1, address(checker));
    }

    /// A requester cannot open a slot whose fixed inputs do not match its payload (so no proof can exist): the
    /// circuit's payload checker recomputes the MiMC image commitment of the payload on chain and the market
    /// refuses the slot. Nothing moves: no escrow, no slot id, no designate bond locked.
    function test_attack_unprovableSlotCannotBeOpened() public {
        (uint256 id, bytes memory pixels, uint256 imageCommitment, uint256 model) = _digitsWithChecker();
        uint256[] memory fixedInputs = new uint256[](2);
        fixedInputs[0] = model;
        fixedInputs[1] = imageCommitment ^ 1; // a commitment of some other image
        uint256 balance = token.balanceOf(requester);
        uint256 nextId = market.nextSlotId();
        address checker;
        (,,,, checker) = market.circuits(id);
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_UnprovableSlot.selector, id, checker));
        vm.prank(requester);
        market.openSlot(id, fixedInputs, pixels, PRICE, HALF, WINDOW, type(uint256).max, false);

        fixedInputs[1] = imageCommitment;
        fixedInputs[0] = model ^ 1; // a model no prover holds
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_UnprovableSlot.selector, id, checker));
        vm.prank(requester);
        market.openSlot(id, fixedInputs, pixels, PRICE, HALF, WINDOW, type(uint256).max, false);

        fixedInputs[0] = model;
        bytes memory truncated = new bytes(63); // not a 64-pixel image
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_UnprovableSlot.selector, id, checker));
        vm.prank(requester);
        market.openSlot(id, fixedInputs, truncated, PRICE, HALF, WINDOW, type(uint256).max, false);

        vm.assertEq(token.balanceOf(requester), balance, "no escrow taken");
        vm.assertEq(market.nextSlotId(), nextId, "no slot opened");
        for (uint256 i = 0; i < provers.length; ++i) {
            vm.assertEq(registry.lockedOf(provers[i]), 0, "no bond locked");
        }

        // the consistent slot opens
        vm.prank(requester);
        uint256 slotId = _openSlot(id, fixedInputs, pixels, PRICE, HALF, WINDOW);
        vm.assertEq(slotId, nextId, "consistent slot opened");
    }

    /// Why every circuit should register a checker: on a circuit registered without one, an unprovable slot costs
    /// the honest designate exactly its slotBond (and jails it), which the requester pockets.
    function test_attack_unprovableSlotOnACircuitWithoutChecker_costsTheDesignateItsSlotBond() public {
        address honest = provers[1];
        uint256 requesterBefore = token.balanceOf(requester);
        uint256 slotId = _openWithDesignate(honest, HALF); // fixed input 42 "does not match" payload c0ffee
        verifier.setAccept(false); // no valid proof exists for this statement
        uint256[8] memory proof;
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_InvalidProof.selector, slotId, honest));
        vm.prank(honest);
        market.submitProof(slotId, _t(slotId), _outputs(), proof);
        vm.warp(uint256(_slot(slotId).deadline) + 1);
        _settle(slotId);
        _claimAll(requester);
        vm.assertEq(registry.bondOf(honest), MIN_BOND - SLOT_BOND, "honest designate lost slotBond");
        vm.assertTrue(registry.isJailed(honest), "and is jailed");
        vm.assertEq(token.balanceOf(requester) - requesterBefore, SLOT_BOND, "requester pockets exactly slotBond");
    }

    // ------------------------------------------------------------ bonds locked by open slots
    /// The designate requests to leave with everything while its slot is open: the free part is queued, the locked
    /// part stays at risk, and the failed slot still seizes the whole slot bond.
    function test_attack_designateCannotUnbondLockedStake() public {
        uint256 slotId = _open(HALF);
        address d = _designate(slotId);
        uint256 available = registry.availableToUnbond(d, d);
        vm.assertEq(available, MIN_BOND - SLOT_BOND, "only the unlocked part comes out at once");
        vm.prank(d);
        registry.requestUnbond(MIN_BOND);
        (uint256 atRisk,) = registry.riskOf(d, d);
        vm.assertEq(atRisk, SLOT_BOND, "the locked part stays at risk");
        vm.assertFalse(registry.isEligible(d), "not drawable while exits are at risk");
        vm.warp(uint256(_slot(slotId).deadline) + 1);
        _settle(slotId);
        vm.assertEq(registry.bondOf(d), 0, "nothing left in the pool");
        vm.assertEq(market.claimable(requester), ESCROW + SLOT_BOND, "requester got the full B");
        vm.warp(block.timestamp + DELAY);
        uint256 before = token.balanceOf(d);
        vm.prank(d);
        registry.withdraw();
        vm.assertEq(token.balanceOf(d) - before, available, "the designate got only its free part back");
        vm.assertEq(token.balanceOf(address(registry)), (PROVERS - 1) * MIN_BOND, "only the others' bonds remain");
    }

    function test_attack_stakerCannotRunWithTheLockedPart() public {
        address staker = address(0x57A4E);
        vm.prank(owner);
        token.mint(staker, 100e18);
        address d = provers[2];
        vm.startPrank(staker);
        token.approve(address(registry), type(uint256).max);
        registry.stakeTo(d, 100e18);
        vm.stopPrank();
        uint256 slotId = _openWithDesignate(d, HALF);
        // pool 200, locked 50: the staker leaves with everything; its half of the lock (25) stays at risk
        vm.assertEq(registry.availableToUnbond(d, staker), 75e18, "pro rata free part");
        vm.prank(staker);
        registry.requestUnstakeAll(d);
        (uint256 atRisk,) = registry.riskOf(d, staker);
        vm.assertEq(atRisk, 25e18, "its half of the lock");
        vm.warp(uint256(_slot(slotId).deadline) + 1);
        _settle(slotId);
        vm.assertEq(market.claimable(requester), ESCROW + SLOT_BOND, "the whole B was still there");
        // each holder lost exactly its half of the 50 slashed: the operator 100 -> 75, the staker 100 -> 75
        vm.assertEq(registry.bondOf(d), 75e18, "pool after slash");
        vm.assertEq(registry.stakeOf(d, d), 75e18, "operator bears exactly its half");
        vm.warp(block.timestamp + DELAY);
        vm.prank(staker);
        registry.withdrawFrom(d);
        vm.assertEq(token.balanceOf(staker), 75e18, "staker bears exactly its half");
    }

    // ------------------------------------------------------------ re-entrancy through the token
    function _hookMarket() internal returns (HookToken hook, ReentrantClaimer evil) {
        hook = new HookToken();
        registry = new ProverRegistry(IERC20(address(hook)), MIN_BOND, DELAY, 0, JAIL_COOLDOWN, _nextCreate(1), owner);
        market = new ProcurementMarket(
            IERC20(address(hook)), registry, FailurePolicy.COMPENSATE_COMMITTEE, SLOT_BOND, 0, DRAW_DELAY, owner
        );
        verifier = new MockVerifier();
        delete provers;
        circuitId = _registerCircuit(address(verifier), 1, 2, address(0));
        evil = new ReentrantClaimer(market, registry);
        hook.mint(address(evil), MIN_BOND);
        evil.register(IERC20(address(hook)), MIN_BOND, circuitId);
        hook.mint(requester, 1_000e18);
        vm.prank(requester);
        hook.approve(address(market), type(uint256).max);
    }

    function test_attack_reentrancyThroughTokenOnClaimPaysOnce() public {
        (HookToken hook, ReentrantClaimer evil) = _hookMarket();
        uint256[] memory fixedInputs = new uint256[](1);
        vm.prank(requester);
        uint256 slotId = _openSlot(circuitId, fixedInputs, "", PRICE, HALF, WINDOW); // n = 1: evil is designate
        evil.submit(slotId, _t(slotId));
        vm.warp(uint256(_slot(slotId).deadline) + 1);
        _settle(slotId);
        uint256 owed = market.claimable(address(evil));
        vm.assertEq(owed, PRICE, "escrow of n = 1");
        // a second slot leaves more tokens in the market for the attacker to try to drain
        vm.prank(requester);
        market.openSlot(circuitId, fixedInputs, "", PRICE, HALF, WINDOW, type(uint256).max, false);
        evil.claim();
        vm.assertFalse(evil.innerSucceeded(), "re-entrant claim blocked");
        vm.assertEq(bytes4(evil.innerError()), bytes4(keccak256("ReentrancyGuardReentrantCall()")), "by the guard");
        vm.assertEq(hook.balanceOf(address(evil)), owed, "paid exactly once");
        vm.assertEq(hook.balanceOf(address(market)), PRICE, "the other slot's escrow untouched");
    }

    function test_attack_reentrancyThroughTokenOnWithdrawPaysOnce() public {
        (HookToken hook, ReentrantClaimer evil) = _hookMarket();
        evil.requestUnbond(40e18);
        vm.warp(block.timestamp + DELAY);
        evil.setReenterWithdraw(true);
        evil.withdraw();
        vm.assertFalse(evil.innerSucceeded(), "re-entrant withdraw blocked");
        vm.assertEq(hook.balanceOf(address(evil)), 40e18, "paid exactly once");
        vm.assertEq(hook.balanceOf(address(registry)), 60e18, "rest of the bond still held");
    }

    // ------------------------------------------------------------ settle / claim / submit misuse
    function test_attack_settleTwiceClaimTwiceSettleEarly() public {
        uint256 slotId = _open(HALF);
        address d = _designate(slotId);
        _submit(slotId, d);
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
        vm.prank(d);
        market.claim();
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_NothingToClaim.selector, d));
        vm.prank(d);
        market.claim();
        vm.assertEq(token.balanceOf(address(market)), 0, "paid once, nothing left");
    }

    function test_attack_outsiderAndLateJoinerCannotSubmit() public {
        uint256 slotId = _open(HALF);
        address late = _newProver(77, MIN_BOND);
        uint256[8] memory proof;
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_NotInSlotSet.selector, slotId, late));
        vm.prank(late);
        market.submitProof(slotId, _t(slotId), _outputs(), proof);
        address jailedBefore = _designate(slotId);
        vm.assertTrue(jailedBefore != late, "sanity");
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_NotInSlotSet.selector, slotId, address(this)));
        market.submitProof(slotId, _t(slotId), _outputs(), proof);
    }
}
