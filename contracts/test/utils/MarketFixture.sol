// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {TestBase} from "./TestBase.sol";
import {Vm} from "./Vm.sol";
import {DemoToken} from "../../src/DemoToken.sol";
import {ProverRegistry} from "../../src/ProverRegistry.sol";
import {ProcurementMarket, FailurePolicy, SlotTerms, SlotState} from "../../src/ProcurementMarket.sol";
import {MockVerifier} from "../mocks/MockVerifier.sol";

/// @notice Deploys token, registry, market (given policy) and a mock circuit (1 fixed input, 2 outputs), with
///         `PROVERS` registered and bonded provers and a funded requester.
///         Remembers every slot's terms (the market stores only their hash) for the calls that need them back.
abstract contract MarketFixture is TestBase {
    /// @dev A slot's terms and state in one struct, as tests read them.
    struct SlotView {
        address requester;
        address designate;
        uint256 circuitId;
        uint256 eligibleCount;
        uint64 snapshot;
        uint256 mixingProbability;
        uint256 proofPrice;
        uint256 escrow;
        uint256 committeePrize;
        uint256 bondAtRisk;
        uint256 keeperFee;
        bytes32 payloadHash;
        bytes32 seed;
        uint64 deadline;
        uint256 committeeDeliveries;
        bool designateDelivered;
        bool settled;
    }

    uint256 internal constant WAD = 1e18;
    uint256 internal constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint256 internal constant MIN_BOND = 100e18;
    uint256 internal constant SLOT_BOND = 50e18;
    uint64 internal constant DELAY = 7 days;
    uint64 internal constant WINDOW = 1 hours;
    uint256 internal constant PRICE = 10e18;
    uint256 internal constant PROVERS = 5;
    /// @dev Circuit terms of the fixture's circuit: what its provers accept.
    uint128 internal constant MIN_PRICE = 1e18;
    uint32 internal constant MIN_WINDOW = 10 minutes;
    uint32 internal constant MAX_WINDOW = 1 days;
    uint64 internal constant JAIL_COOLDOWN = 1 days;
    uint256 internal constant DRAW_DELAY = 4;

    address internal owner = address(0xA11CE);
    address internal requester = address(0xBEEF);
    DemoToken internal token;
    ProverRegistry internal registry;
    ProcurementMarket internal market;
    MockVerifier internal verifier;
    uint256 internal circuitId;
    address[] internal provers;
    mapping(uint256 slotId => SlotTerms) internal _termsOf;

    function _deploy(FailurePolicy policy, uint256 slotBond) internal {
        _deploy(policy, slotBond, 0, 0);
    }

    /// @dev As `_deploy`, with a committee pool: every prover stakes `slice` into it (correlated slashing of
    ///      `correlated` tokens per failed slot; both 0: no pool).
    function _deploy(FailurePolicy policy, uint256 slotBond, uint256 slice, uint256 correlated) internal {
        vm.warp(1_700_000_000);
        token = new DemoToken("Procura Demo", "PDT", owner);
        registry = new ProverRegistry(token, MIN_BOND, DELAY, slice, JAIL_COOLDOWN, _nextCreate(1), owner);
        market = new ProcurementMarket(token, registry, policy, slotBond, correlated, DRAW_DELAY, owner);
        verifier = new MockVerifier();
        vm.prank(owner);
        circuitId = market.registerCircuit(address(verifier), 1, 2, address(0), MIN_PRICE, MIN_WINDOW, MAX_WINDOW);
        vm.warp(block.timestamp + market.termsNotice()); // the new circuit takes slots after the notice
        delete provers;
        for (uint256 i = 0; i < PROVERS; ++i) {
            provers.push(_newProver(i, MIN_BOND));
        }
        vm.prank(owner);
        token.mint(requester, 1_000_000e18);
        vm.prank(requester);
        token.approve(address(market), type(uint256).max);
    }

    /// @dev A registry bound to the market this contract creates right after it (for tests that build a second one).
    function _freshRegistry() internal returns (ProverRegistry) {
        return new ProverRegistry(token, MIN_BOND, DELAY, 0, JAIL_COOLDOWN, _nextCreate(1), owner);
    }

    /// @dev Mints `amount` to `staker` and stakes it behind `prover`.
    function _stakeFrom(address staker, address prover, uint256 amount) internal {
        vm.prank(owner);
        token.mint(staker, amount);
        vm.startPrank(staker);
        token.approve(address(registry), type(uint256).max);
        registry.stakeTo(prover, amount);
        vm.stopPrank();
    }

    /// @dev Registers a circuit with the fixture's terms, waits out the notice and opts every fixture prover in.
    function _registerCircuit(address v, uint8 numFixed, uint8 numOutputs, address checker)
        internal
        returns (uint256 id)
    {
        vm.prank(owner);
        id = market.registerCircuit(v, numFixed, numOutputs, checker, MIN_PRICE, MIN_WINDOW, MAX_WINDOW);
        vm.warp(block.timestamp + market.termsNotice());
        for (uint256 i = 0; i < provers.length; ++i) {
            vm.prank(provers[i]);
            registry.optIn(id);
        }
    }

    function _newProver(uint256 i, uint256 bondAmount) internal returns (address prover) {
        prover = address(uint160(0x1000 + i));
        vm.prank(owner);
        token.mint(prover, 1_000e18);
        vm.startPrank(prover);
        token.approve(address(registry), type(uint256).max);
        registry.register(string.concat("http://prover-", vm.toString(i)), keccak256(abi.encode(i)));
        if (bondAmount != 0) registry.bond(bondAmount);
        uint256 slice = registry.committeeSlice();
        if (slice != 0) registry.stakeTo(registry.COMMITTEE_POOL(), slice); // join the committee pool
        registry.optIn(circuitId);
        vm.stopPrank();
    }

    /// @dev Opens and draws a slot of the fixture's circuit (fixed input 42, payload c0ffee) as the requester.
    function _open(uint256 p) internal returns (uint256 slotId) {
        slotId = _openUndrawn(p);
        _draw(slotId);
    }

    /// @dev Opens a slot of the fixture's circuit (fixed input 42, payload c0ffee) as the requester; no draw yet.
    function _openUndrawn(uint256 p) internal returns (uint256 slotId) {
        uint256[] memory fixedInputs = new uint256[](1);
        fixedInputs[0] = 42;
        vm.prank(requester);
        slotId = _openOnly(circuitId, fixedInputs, hex"c0ffee", PRICE, p, WINDOW);
    }

    /// @dev market.openSlot (the caller pranks first) with an unlimited maxEscrow, then `draw` after the draw
    ///      delay, remembering the slot's drawn terms.
    function _openSlot(
        uint256 circuit,
        uint256[] memory fixedInputs,
        bytes memory payload,
        uint256 price,
        uint256 p,
        uint64 window
    ) internal returns (uint256 slotId) {
        slotId = _openOnly(circuit, fixedInputs, payload, price, p, window);
        _draw(slotId);
    }

    /// @dev market.openSlot only (the caller pranks first): the slot waits for its draw.
    function _openOnly(
        uint256 circuit,
        uint256[] memory fixedInputs,
        bytes memory payload,
        uint256 price,
        uint256 p,
        uint64 window
    ) internal returns (uint256 slotId) {
        SlotTerms memory t;
        (slotId, t) = market.openSlot(circuit, fixedInputs, payload, price, p, window, type(uint256).max, false);
        _termsOf[slotId] = t;
    }

    /// @dev Opens a slot (p = `p`) whose draw picks `who`: sets the draw block's hash to one that selects it (the
    ///      first candidate of `ProverRegistry.drawAndLock`'s sampling, which must qualify).
    function _openWithDesignate(address who, uint256 p) internal returns (uint256 slotId) {
        slotId = _openUndrawn(p);
        _drawAs(slotId, who);
    }

    /// @dev Draws an opened slot with a draw-block hash that selects `who` (searched), and checks it did.
    function _drawAs(uint256 slotId, address who) internal {
        uint256 drawBlock = market.slotState(slotId).openBlock + DRAW_DELAY;
        uint256 len = market.slotState(slotId).listLength; // the draw samples the members listed at the opening
        for (uint256 r = 1; r < 2000; ++r) {
            bytes32 h = keccak256(abi.encode("hash", r));
            uint256 word = uint256(keccak256(abi.encode(h, slotId, address(market))));
            if (registry.memberAt(circuitId, uint256(keccak256(abi.encode(word, uint256(0)))) % len) == who) {
                vm.roll(drawBlock + 1);
                vm.setBlockhash(drawBlock, h);
                vm.assertEq(_draw(slotId), who, "designate drawn");
                return;
            }
        }
        revert("no block hash draws this designate");
    }

    /// @dev Draws an opened slot with `h` as its draw block's hash.
    function _drawWith(uint256 slotId, bytes32 h) internal returns (address) {
        uint256 drawBlock = market.slotState(slotId).openBlock + DRAW_DELAY;
        vm.roll(drawBlock + 1);
        vm.setBlockhash(drawBlock, h == bytes32(0) ? bytes32(uint256(1)) : h); // no block hash is zero
        return _draw(slotId);
    }

    /// @dev Mines past the slot's draw block and calls `draw` (as an outsider), recording the designate and seed
    ///      (from `SlotDrawn`) in the remembered terms. Returns the designate (zero: the slot was cancelled).
    function _draw(uint256 slotId) internal returns (address designate) {
        uint256 drawBlock = market.slotState(slotId).openBlock + DRAW_DELAY;
        if (block.number <= drawBlock) vm.roll(drawBlock + 1);
        vm.recordLogs();
        vm.prank(address(0xD4A3));
        designate = market.draw(slotId, _termsOf[slotId]);
        _recordDraw(slotId, designate);
    }

    /// @dev After a `draw` run under `vm.recordLogs()`: copies the designate and the seed of `SlotDrawn` into the
    ///      remembered terms (nothing when `designate` is zero: the slot was cancelled).
    function _recordDraw(uint256 slotId, address designate) internal {
        if (designate == address(0)) return;
        Vm.Log[] memory logs = vm.getRecordedLogs();
        bytes32 topic = keccak256("SlotDrawn(uint256,address,bytes32,uint64,uint256)");
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].emitter == address(market) && logs[i].topics[0] == topic) {
                (bytes32 seed,,) = abi.decode(logs[i].data, (bytes32, uint64, uint256));
                _termsOf[slotId].designate = designate;
                _termsOf[slotId].seed = seed;
                return;
            }
        }
        revert("no SlotDrawn event");
    }

    /// @dev The terms of a slot opened through this fixture.
    function _t(uint256 slotId) internal view returns (SlotTerms memory) {
        return _termsOf[slotId];
    }

    /// @dev Terms and state of a slot opened through this fixture.
    function _slot(uint256 slotId) internal view returns (SlotView memory v) {
        SlotTerms storage t = _termsOf[slotId];
        SlotState memory st = market.slotState(slotId);
        v.requester = t.requester;
        v.designate = t.designate;
        v.circuitId = t.circuitId;
        v.eligibleCount = t.eligibleCount;
        v.snapshot = t.snapshot;
        v.mixingProbability = t.mixingProbability;
        v.proofPrice = t.proofPrice;
        v.escrow = t.escrow;
        v.committeePrize = t.committeePrize;
        v.bondAtRisk = t.bondAtRisk;
        v.keeperFee = t.keeperFee;
        v.payloadHash = t.payloadHash;
        v.seed = t.seed;
        v.deadline = st.deadline;
        v.committeeDeliveries = st.committeeDeliveries;
        v.designateDelivered = st.designateDelivered;
        v.settled = st.settled;
    }

    /// @dev Settles the slot (caller pays nothing; anyone may settle) and credits every committee deliverer among
    ///      the fixture's provers.
    function _settle(uint256 slotId) internal {
        market.settle(slotId, _t(slotId));
        _creditCommittee(slotId);
    }

    /// @dev Credits every fixture prover that is owed a committee share of the (settled) slot.
    function _creditCommittee(uint256 slotId) internal {
        if (slotId >= market.nextSlotId() || !market.slotState(slotId).settled) return;
        for (uint256 i = 0; i < provers.length; ++i) {
            if (market.committeeShareOwed(slotId, provers[i])) market.creditCommittee(slotId, _t(slotId), provers[i]);
        }
    }

    function _outputs() internal pure returns (uint256[] memory outputs) {
        outputs = new uint256[](2);
        outputs[0] = 7;
        outputs[1] = 9;
    }

    function _submit(uint256 slotId, address prover) internal {
        uint256[8] memory proof;
        vm.prank(prover);
        market.submitProof(slotId, _t(slotId), _outputs(), proof);
    }

    function _designate(uint256 slotId) internal view returns (address) {
        return _termsOf[slotId].designate;
    }

    /// @dev The `k`-th prover (0-based) other than the slot's designate.
    function _committee(uint256 slotId, uint256 k) internal view returns (address) {
        address d = _designate(slotId);
        uint256 seen;
        for (uint256 i = 0; i < provers.length; ++i) {
            if (provers[i] == d) continue;
            if (seen == k) return provers[i];
            ++seen;
        }
        revert("no such committee member");
    }

    function _claimAll(address account) internal returns (uint256 amount) {
        amount = market.claimable(account);
        if (amount == 0) return 0;
        vm.prank(account);
        market.claim();
    }
}
