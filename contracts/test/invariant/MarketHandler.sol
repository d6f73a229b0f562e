// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IProcurementMarket} from "../../src/interfaces/IProcurementMarket.sol";
import {Vm} from "../utils/Vm.sol";
import {DemoToken} from "../../src/DemoToken.sol";
import {ProverRegistry} from "../../src/ProverRegistry.sol";
import {ProcurementMarket, PayoutKind, SlotTerms, SlotState, FailurePolicy} from "../../src/ProcurementMarket.sol";
import {ResultStatus} from "../../src/types/MarketTypes.sol";

/// @notice Invariant-test handler: drives a whole marketplace (slots, proofs, settlement, claims, stakers, commission,
///         jail, reward distribution, time) with bounded inputs so that no call reverts (fail_on_revert), and keeps
///         ghost variables of what the contracts must hold.
contract MarketHandler {
    Vm internal constant vm = Vm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);
    bytes32 internal constant PAYOUT_TOPIC = keccak256("PayoutCredited(uint256,address,uint256,uint8)");

    DemoToken public immutable token;
    ProverRegistry public immutable registry;
    ProcurementMarket public immutable market;
    uint256 public immutable circuitId;
    address public immutable requester;
    address public immutable keeper = address(0x4EE9);
    address[] public provers;
    address[] public stakers;

    // ghost variables
    uint256 public ghostOpenEscrow;
    /// @dev Committee shares of settled slots not yet credited (`creditCommittee`).
    uint256 public ghostOwedCommittee;
    uint256 public ghostSettledSlots;
    bool public ghostDoublePay;
    bool public ghostStateWentBack;
    /// @dev Set when `resultOf` disagrees with the ghost: a slot opened with keepResult holds the hash of the outputs
    ///      of its first accepted proof (and a plain slot none).
    bool public ghostResultWrong;
    mapping(uint256 slotId => bool) internal ghostKept;
    mapping(uint256 slotId => bytes32) internal ghostFirstOutputs;
    bool public ghostSlotCreditMismatch;
    mapping(uint256 slotId => bool) public ghostSettled;
    mapping(uint256 slotId => bool) public ghostDesignateDelivered;
    mapping(uint256 slotId => uint256) public ghostDeliveries;
    mapping(uint256 slotId => mapping(address account => uint256 proverCredits)) internal _credits;
    mapping(bytes4 selector => uint256) public calls;
    mapping(uint256 slotId => SlotTerms) internal _terms;
    mapping(uint256 slotId => uint256) internal _shareEach;
    /// @dev What the registry must hold locked per pool: the bond of every drawn slot whose designate has neither
    ///      delivered (released on delivery) nor been settled (slashed), and the committee pool's correlated stake
    ///      of each such slot.
    mapping(address pool => uint256) public ghostLocked;
    bool public ghostDrawOutsideSet;
    /// @dev Set when an exit lowered the exiting holder's share of its pool's lock, or raised another holder's (by
    ///      more than rounding): the order and number of exits must not move a lock's burden between holders.
    bool public ghostExitShiftedALock;

    // Ghost model of exits from the committee pool (exact, per lock): each open committee lock's part still owned by
    // the pool (scaled by 1e18), and each exit's part of each lock it shared. An exit takes `atRisk / ownLocked` of
    // every open lock's own part; a seizure charges each exit its part of the lock; the registry's `charged` must
    // match within rounding (a unit per cohort the exit shares).
    uint256 internal constant GHOST_SCALE = 1e18;
    uint256[] internal _openCommitteeLocks;
    mapping(uint256 slotId => uint256) internal _ghostOwn;
    uint256[] internal _ghostExits;
    mapping(uint256 exitId => uint256[]) internal _ghostExitSlots;
    mapping(uint256 exitId => mapping(uint256 slotId => uint256)) internal _ghostPart;
    mapping(uint256 exitId => uint256) public ghostCharged;
    /// @dev Committee exits at risk seen, and those paid (`withdrawCommitteeExit`), for the campaign's record.
    uint256 public ghostCommitteeExits;
    uint256 public ghostCommitteeExitsPaid;
    /// @dev Set when a committee exit's charge differs from the ghost model beyond rounding.
    bool public ghostCommitteeChargeWrong;

    constructor(
        DemoToken token_,
        ProverRegistry registry_,
        ProcurementMarket market_,
        uint256 circuitId_,
        address requester_,
        address[] memory provers_,
        address[] memory stakers_
    ) {
        token = token_;
        registry = registry_;
        market = market_;
        circuitId = circuitId_;
        requester = requester_;
        provers = provers_;
        stakers = stakers_;
    }

    function proverCount() external view returns (uint256) {
        return provers.length;
    }

    function stakerCount() external view returns (uint256) {
        return stakers.length;
    }

    /// @dev Every account that may hold a claimable balance.
    function accounts() public view returns (address[] memory all) {
        all = new address[](provers.length + stakers.length + 2);
        for (uint256 i = 0; i < provers.length; ++i) {
            all[i] = provers[i];
        }
        for (uint256 i = 0; i < stakers.length; ++i) {
            all[provers.length + i] = stakers[i];
        }
        all[all.length - 2] = requester;
        all[all.length - 1] = keeper;
    }

    /// @dev Every account that may hold shares of a pool: the operators and the stakers.
    function holders() public view returns (address[] memory all) {
        all = new address[](provers.length + stakers.length);
        for (uint256 i = 0; i < provers.length; ++i) {
            all[i] = provers[i];
        }
        for (uint256 i = 0; i < stakers.length; ++i) {
            all[provers.length + i] = stakers[i];
        }
    }

    // ------------------------------------------------------------ actions
    function openSlot(uint256 pSeed, uint256 priceSeed, uint256 windowSeed) external {
        calls[this.openSlot.selector]++;
        _openSlot(pSeed, priceSeed, windowSeed);
    }

    function _openSlot(uint256 pSeed, uint256 priceSeed, uint256 windowSeed) internal {
        if (registry.eligibleCount(circuitId) == 0) return;
        uint256 p = pSeed % (1e18 + 1);
        uint256 minPrice = market.circuitTerms(circuitId).minProofPrice;
        uint256 price = minPrice + priceSeed % 100e18;
        uint64 window = uint64(10 minutes + windowSeed % 2 hours);
        bool keep = (priceSeed >> 128) % 2 == 1; // about half the slots keep their result
        uint256[] memory fixedInputs = new uint256[](1);
        vm.prank(requester);
        (uint256 slotId, SlotTerms memory t) =
            market.openSlot(circuitId, fixedInputs, hex"c0ffee", price, p, window, type(uint256).max, keep);
        _terms[slotId] = t;
        ghostKept[slotId] = keep;
        ghostOpenEscrow += t.escrow;
        _checkForward();
    }

    /// @dev Draws an opened slot (mining to its draw block first) with a fuzzed draw-block hash; a draw that finds
    ///      no candidate cancels the slot (escrow refunded).
    function draw(uint256 slotSeed, uint256 hashSeed) external {
        calls[this.draw.selector]++;
        uint256 n = market.nextSlotId();
        if (n == 0) return;
        _draw(slotSeed % n, hashSeed);
        _checkForward();
    }

    /// @dev Cancels an undrawn slot after the draw block left the BLOCKHASH horizon (mines past it).
    function cancelUndrawn(uint256 slotSeed) external {
        calls[this.cancelUndrawn.selector]++;
        uint256 n = market.nextSlotId();
        if (n == 0) return;
        _cancel(slotSeed % n);
        _checkForward();
    }

    function optIn(uint256 proverSeed) external {
        calls[this.optIn.selector]++;
        address p = provers[proverSeed % provers.length];
        if (registry.isOptedIn(p, circuitId)) return;
        vm.prank(p);
        registry.optIn(circuitId);
    }

    function optOut(uint256 proverSeed) external {
        calls[this.optOut.selector]++;
        address p = provers[proverSeed % provers.length];
        if (!registry.isOptedIn(p, circuitId)) return;
        vm.prank(p);
        registry.optOut(circuitId);
    }

    function submit(uint256 slotSeed, uint256 proverSeed) external {
        calls[this.submit.selector]++;
        uint256 n = market.nextSlotId();
        if (n == 0) return;
        uint256 slotId = slotSeed % n;
        SlotTerms memory t = _terms[slotId];
        SlotState memory s = market.slotState(slotId);
        address prover = provers[proverSeed % provers.length];
        if (!s.drawn || s.settled || block.timestamp > s.deadline) return;
        if (prover == t.designate ? s.designateDelivered : market.committeeShareOwed(slotId, prover)) return;
        if (prover != t.designate && !registry.isEligibleForSlot(prover, circuitId, t.snapshot)) return;
        uint256[] memory outputs = new uint256[](2);
        outputs[0] = proverSeed % 1000; // deliverers may differ (the mock verifier accepts any outputs)
        outputs[1] = slotId;
        uint256[8] memory proof;
        vm.prank(prover);
        market.submitProof(slotId, t, outputs, proof);
        if (ghostFirstOutputs[slotId] == bytes32(0)) ghostFirstOutputs[slotId] = keccak256(abi.encodePacked(outputs));
        if (prover == t.designate) {
            ghostLocked[prover] -= t.bondAtRisk; // released on delivery
            ghostLocked[registry.COMMITTEE_POOL()] -= market.correlatedStake();
            _ghostCommitteeLockEnded(slotId, false);
        }
        _checkForward();
    }

    function warp(uint256 secondsSeed) external {
        calls[this.warp.selector]++;
        vm.warp(block.timestamp + 1 + secondsSeed % 3 hours);
    }

    function settle(uint256 slotSeed) external {
        calls[this.settle.selector]++;
        uint256 n = market.nextSlotId();
        if (n == 0) return;
        _settle(slotSeed % n);
        _checkForward();
    }

    function creditCommittee(uint256 slotSeed, uint256 proverSeed) external {
        calls[this.creditCommittee.selector]++;
        uint256 n = market.nextSlotId();
        if (n == 0) return;
        uint256 slotId = slotSeed % n;
        address prover = provers[proverSeed % provers.length];
        if (!market.slotState(slotId).settled || !market.committeeShareOwed(slotId, prover)) return;
        _credit(slotId, prover);
    }

    function claim(uint256 accountSeed) external {
        calls[this.claim.selector]++;
        address[] memory all = accounts();
        address a = all[accountSeed % all.length];
        if (market.claimable(a) == 0) return;
        vm.prank(a);
        market.claim();
    }

    /// @dev A prover's pool, or (when the registry has one) the committee pool, picked by `seed`.
    function _pool(uint256 seed) internal view returns (address) {
        uint256 n = provers.length + (registry.committeeSlice() != 0 ? 1 : 0);
        uint256 i = seed % n;
        return i < provers.length ? provers[i] : registry.COMMITTEE_POOL();
    }

    function stake(uint256 stakerSeed, uint256 proverSeed, uint256 amountSeed) external {
        calls[this.stake.selector]++;
        address st = stakers[stakerSeed % stakers.length];
        address p = _pool(proverSeed);
        uint256 amount = 1 + amountSeed % 200e18;
        if (p == registry.COMMITTEE_POOL() && registry.sharesOf(p, st) == 0 && amount < registry.committeeSlice()) {
            amount = registry.committeeSlice(); // a first stake into the committee pool is at least a slice
        }
        if (token.balanceOf(st) < amount) return;
        uint256 total = registry.totalSharesOf(p);
        uint256 poolStake = registry.bondOf(p);
        if (total != 0 && poolStake != 0 && amount * total / poolStake == 0) return;
        vm.prank(st);
        registry.stakeTo(p, amount);
    }

    /// @dev Exits of any size, locked stake or not, as often as the fuzzer likes: every fifth takes everything.
    function unstake(uint256 holderSeed, uint256 proverSeed, uint256 amountSeed) external {
        calls[this.unstake.selector]++;
        _unstake(holderSeed, _pool(proverSeed), amountSeed);
    }

    /// @dev Exits from the committee pool (correlated markets), which keeps taking locks meanwhile: the case the
    ///      ghost model of committee exits checks.
    function exitCommittee(uint256 holderSeed, uint256 amountSeed) external {
        calls[this.exitCommittee.selector]++;
        if (registry.committeeSlice() == 0) return;
        if (amountSeed % 3 != 0) {
            // mostly while the pool is locked: open and draw one more slot first
            uint256 before = market.nextSlotId();
            _openSlot(amountSeed, amountSeed >> 64, amountSeed >> 128);
            if (market.nextSlotId() > before) _draw(before, amountSeed);
        }
        _unstake(holderSeed, registry.COMMITTEE_POOL(), amountSeed);
    }

    /// @dev A prover (back) into the committee pool with a slice and more, so that it stays eligible and the pool busy.
    function joinCommittee(uint256 proverSeed, uint256 amountSeed) external {
        calls[this.joinCommittee.selector]++;
        if (registry.committeeSlice() == 0) return;
        address pr = provers[proverSeed % provers.length];
        address pool = registry.COMMITTEE_POOL();
        uint256 amount = registry.committeeSlice() + amountSeed % 100e18;
        if (token.balanceOf(pr) < amount) return;
        uint256 total = registry.totalSharesOf(pool);
        uint256 poolStake = registry.bondOf(pool);
        if (total != 0 && poolStake != 0 && amount * total / poolStake == 0) return;
        vm.prank(pr);
        registry.stakeTo(pool, amount); // provers approved the registry for everything at setup
    }

    /// @dev Pays what can be paid of a holder's committee exits.
    function payCommitteeExits(uint256 holderSeed) external {
        calls[this.payCommitteeExits.selector]++;
        if (registry.committeeSlice() == 0) return;
        address[] memory all = holders();
        _payCommitteeExits(all[holderSeed % all.length]);
    }

    function _unstake(uint256 holderSeed, address p, uint256 amountSeed) internal {
        address[] memory all = holders();
        address h = all[holderSeed % all.length];
        if (registry.sharesOf(p, h) == 0) return;
        uint256[] memory before = _exposures(p, all);
        uint256 ownBefore = registry.lockedOf(p) - registry.atRiskOf(p);
        uint256 exitsBefore = p == registry.COMMITTEE_POOL() ? registry.committeeExitsOf(h).length : 0;
        if (amountSeed % 5 == 0) {
            vm.prank(h);
            registry.requestUnstakeAll(p);
        } else {
            uint256 mine = registry.stakeOf(p, h);
            if (mine == 0) return;
            uint256 amount = 1 + amountSeed % mine;
            if (p == registry.COMMITTEE_POOL() && amount < mine && mine - amount < registry.committeeSlice() + 2) {
                return; // a member keeps a full slice or leaves entirely (partial exits below a slice revert)
            }
            if (_worthless(p, h, amount)) return;
            vm.prank(h);
            registry.requestUnstake(p, amount);
        }
        if (p == registry.COMMITTEE_POOL() && registry.committeeExitsOf(h).length > exitsBefore) {
            _ghostCommitteeExit(registry.committeeExitsOf(h)[exitsBefore], ownBefore);
        }
        uint256[] memory afterExit = _exposures(p, all);
        for (uint256 i = 0; i < all.length; ++i) {
            if (all[i] == h ? afterExit[i] + 2 < before[i] : afterExit[i] > before[i] + 2) ghostExitShiftedALock = true;
        }
    }

    /// @dev Each holder's share of pool `p`'s lock: its shares' part of the pool's own locked stake plus its exits
    ///      still at risk.
    function _exposures(address p, address[] memory all) internal view returns (uint256[] memory e) {
        e = new uint256[](all.length);
        uint256 total = registry.totalSharesOf(p);
        uint256 own = registry.lockedOf(p) - registry.atRiskOf(p);
        for (uint256 i = 0; i < all.length; ++i) {
            (uint256 atRisk,) = registry.riskOf(p, all[i]);
            e[i] = atRisk + (total == 0 ? 0 : registry.sharesOf(p, all[i]) * own / total);
        }
    }

    function withdraw(uint256 holderSeed, uint256 proverSeed) external {
        calls[this.withdraw.selector]++;
        address[] memory all = holders();
        address h = all[holderSeed % all.length];
        address p = _pool(proverSeed);
        if (p == registry.COMMITTEE_POOL()) _payCommitteeExits(h);
        (uint256 pending, uint64 release) = registry.pendingOf(p, h);
        (, uint256 released) = registry.riskOf(p, h);
        if (pending + released == 0 || block.timestamp < release) return;
        vm.prank(h);
        registry.withdrawFrom(p);
    }

    function rebondAndUnjail(uint256 proverSeed) external {
        calls[this.rebondAndUnjail.selector]++;
        address p = provers[proverSeed % provers.length];
        if (!registry.isJailed(p)) return;
        if (block.timestamp < registry.getProver(p).jailedAt + registry.jailCooldown()) return; // still cooling down
        uint256 free = registry.freeBondOf(p);
        uint256 minBond = registry.minBond();
        if (free < minBond) {
            uint256 need = minBond - free;
            if (token.balanceOf(p) < need) return;
            uint256 total = registry.totalSharesOf(p);
            uint256 poolStake = registry.bondOf(p);
            if (total != 0 && poolStake != 0 && need * total / poolStake == 0) return;
            vm.prank(p);
            registry.bond(need);
        }
        vm.prank(p);
        registry.unjail();
    }

    function setCommission(uint256 proverSeed, uint256 bpsSeed) external {
        calls[this.setCommission.selector]++;
        address p = provers[proverSeed % provers.length];
        vm.prank(p);
        registry.setCommission(uint16(bpsSeed % 10_001));
    }

    function distribute(uint256 proverSeed) external {
        calls[this.distribute.selector]++;
        address p = provers[proverSeed % provers.length];
        if (market.stakerRewards(p) == 0) return;
        market.distributeStakerRewards(p);
    }

    // ------------------------------------------------------------ drain (used after a run)
    /// @dev Settles every slot, distributes and claims everything, unbonds every holder and withdraws after the delay.
    function drainAll() external {
        vm.warp(block.timestamp + 3 hours);
        uint256 n = market.nextSlotId();
        for (uint256 i = 0; i < n; ++i) {
            _cancel(i);
        }
        vm.warp(block.timestamp + 3 hours);
        for (uint256 i = 0; i < n; ++i) {
            _settle(i);
            for (uint256 k = 0; k < provers.length; ++k) {
                if (market.committeeShareOwed(i, provers[k])) _credit(i, provers[k]);
            }
        }
        for (uint256 i = 0; i < provers.length; ++i) {
            if (market.stakerRewards(provers[i]) != 0) market.distributeStakerRewards(provers[i]);
        }
        address[] memory all = accounts();
        for (uint256 i = 0; i < all.length; ++i) {
            if (market.claimable(all[i]) == 0) continue;
            vm.prank(all[i]);
            market.claim();
        }
        address[] memory hs = holders();
        for (uint256 k = 0; k <= provers.length; ++k) {
            address p = _pool(k);
            for (uint256 i = 0; i < hs.length; ++i) {
                if (registry.sharesOf(p, hs[i]) == 0) continue;
                vm.prank(hs[i]);
                registry.requestUnstakeAll(p);
            }
        }
        vm.warp(block.timestamp + registry.unbondingDelay());
        if (registry.committeeSlice() != 0) {
            for (uint256 i = 0; i < hs.length; ++i) {
                _payCommitteeExits(hs[i]);
            }
        }
        for (uint256 k = 0; k <= provers.length; ++k) {
            address p = _pool(k);
            for (uint256 i = 0; i < hs.length; ++i) {
                (uint256 pending,) = registry.pendingOf(p, hs[i]);
                (, uint256 released) = registry.riskOf(p, hs[i]);
                if (pending + released == 0) continue;
                vm.prank(hs[i]);
                registry.withdrawFrom(p);
            }
        }
    }

    // ------------------------------------------------------------ internal
    function _draw(uint256 slotId, uint256 hashSeed) internal {
        SlotState memory s = market.slotState(slotId);
        if (s.drawn || s.settled) return;
        uint256 drawBlock = s.openBlock + market.drawDelay();
        if (block.number > drawBlock + market.BLOCKHASH_HORIZON()) return; // expired: only cancel is left
        if (block.number <= drawBlock) vm.roll(drawBlock + 1);
        vm.setBlockhash(drawBlock, keccak256(abi.encode(hashSeed)));
        SlotTerms memory t = _terms[slotId];
        vm.recordLogs();
        address d = market.draw(slotId, t);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        if (d == address(0)) {
            _ended(slotId, t, logs);
            return;
        }
        if (!registry.isEligibleForSlot(d, circuitId, t.snapshot)) ghostDrawOutsideSet = true;
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].emitter == address(market) && logs[i].topics[0] == IProcurementMarket.SlotDrawn.selector) {
                (bytes32 seed,,) = abi.decode(logs[i].data, (bytes32, uint64, uint256));
                t.designate = d;
                t.seed = seed;
            }
        }
        _terms[slotId] = t;
        ghostLocked[d] += t.bondAtRisk;
        ghostLocked[registry.COMMITTEE_POOL()] += market.correlatedStake();
        if (market.correlatedStake() != 0) {
            _openCommitteeLocks.push(slotId);
            _ghostOwn[slotId] = market.correlatedStake() * GHOST_SCALE;
        }
    }

    function _cancel(uint256 slotId) internal {
        SlotState memory s = market.slotState(slotId);
        if (s.drawn || s.settled) return;
        uint256 from = s.openBlock + market.drawDelay() + market.BLOCKHASH_HORIZON() + 1;
        if (block.number < from) vm.roll(from);
        vm.recordLogs();
        market.cancel(slotId, _terms[slotId]);
        _ended(slotId, _terms[slotId], vm.getRecordedLogs());
    }

    /// @dev A cancelled slot: its whole escrow, and nothing else, was credited back to the requester.
    function _ended(uint256 slotId, SlotTerms memory t, Vm.Log[] memory logs) internal {
        (uint256 credited, uint256 accrued) = _creditsIn(slotId, logs);
        if (credited != t.escrow || accrued != 0 || market.claimable(requester) < t.escrow) {
            ghostSlotCreditMismatch = true;
        }
        ghostOpenEscrow -= t.escrow;
        ghostSettledSlots++;
    }

    function _settle(uint256 slotId) internal {
        SlotTerms memory t = _terms[slotId];
        SlotState memory s = market.slotState(slotId);
        if (!s.drawn || s.settled || block.timestamp <= s.deadline) return;
        vm.recordLogs();
        vm.prank(keeper);
        market.settle(slotId, t);
        (uint256 credited, uint256 accrued) = _creditsIn(slotId, vm.getRecordedLogs());
        // committee shares are owed, credited later by creditCommittee
        uint256 j = s.committeeDeliveries;
        uint256 each;
        if (j != 0) {
            uint256 pool = s.designateDelivered ? t.committeePrize : _failedPool(t);
            each = pool / j;
        }
        _shareEach[slotId] = each;
        ghostOwedCommittee += each * j;
        // Every token of the slot is credited exactly once: escrow (+ the seized bond and correlated stake on failure).
        uint256 expected = t.escrow + (s.designateDelivered ? 0 : t.bondAtRisk + market.correlatedStake());
        if (credited + accrued + each * j != expected) ghostSlotCreditMismatch = true;
        ghostOpenEscrow -= t.escrow;
        ghostSettledSlots++;
        if (!s.designateDelivered) {
            ghostLocked[t.designate] -= t.bondAtRisk; // slashed
            ghostLocked[registry.COMMITTEE_POOL()] -= market.correlatedStake();
            _ghostCommitteeLockEnded(slotId, true);
        }
    }

    function _failedPool(SlotTerms memory t) internal view returns (uint256) {
        if (market.policy() == FailurePolicy.PAPER) return 0;
        uint256 b = t.bondAtRisk + market.correlatedStake() - t.keeperFee;
        return t.committeePrize < b ? t.committeePrize : b;
    }

    function _credit(uint256 slotId, address prover) internal {
        vm.recordLogs();
        uint256 share = market.creditCommittee(slotId, _terms[slotId], prover);
        (uint256 credited, uint256 accrued) = _creditsIn(slotId, vm.getRecordedLogs());
        if (share != _shareEach[slotId] || credited + accrued != share) ghostSlotCreditMismatch = true;
        ghostOwedCommittee -= share;
    }

    /// @dev Sums PayoutCredited and StakerRewardAccrued amounts in `logs`; flags a second prover payout in one slot.
    function _creditsIn(uint256 slotId, Vm.Log[] memory logs) internal returns (uint256 credited, uint256 accrued) {
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].emitter != address(market)) continue;
            if (logs[i].topics[0] == IProcurementMarket.StakerRewardAccrued.selector) {
                accrued += abi.decode(logs[i].data, (uint256));
                continue;
            }
            if (logs[i].topics[0] != PAYOUT_TOPIC) continue;
            address account = address(uint160(uint256(logs[i].topics[2])));
            (uint256 amount, uint8 kind) = abi.decode(logs[i].data, (uint256, uint8));
            credited += amount;
            if (
                kind == uint8(PayoutKind.DESIGNATE) || kind == uint8(PayoutKind.COMMITTEE)
                    || kind == uint8(PayoutKind.SLASH_COMPENSATION)
            ) {
                if (++_credits[slotId][account] > 1) ghostDoublePay = true;
            }
        }
    }

    /// @dev Ghost of committee exit `exitId`, which took `atRisk` of the pool's own locked stake `ownBefore`: its
    ///      part of every open committee lock is that fraction of the lock's own part.
    function _ghostCommitteeExit(uint256 exitId, uint256 ownBefore) internal {
        ghostCommitteeExits++;
        uint256 atRisk = registry.committeeExit(exitId).atRisk;
        _ghostExits.push(exitId);
        for (uint256 i = 0; i < _openCommitteeLocks.length; ++i) {
            uint256 slotId = _openCommitteeLocks[i];
            uint256 part = _ghostOwn[slotId] * atRisk / ownBefore;
            _ghostOwn[slotId] -= part;
            _ghostPart[exitId][slotId] = part;
            _ghostExitSlots[exitId].push(slotId);
        }
    }

    /// @dev A committee lock ended: on a seizure every exit that shared it is charged its part.
    function _ghostCommitteeLockEnded(uint256 slotId, bool seized) internal {
        if (market.correlatedStake() == 0) return;
        uint256 n = _openCommitteeLocks.length;
        for (uint256 i = 0; i < n; ++i) {
            if (_openCommitteeLocks[i] != slotId) continue;
            _openCommitteeLocks[i] = _openCommitteeLocks[n - 1];
            _openCommitteeLocks.pop();
            break;
        }
        if (!seized) return;
        for (uint256 e = 0; e < _ghostExits.length; ++e) {
            ghostCharged[_ghostExits[e]] += _ghostPart[_ghostExits[e]][slotId];
        }
    }

    /// @dev Pays every committee exit of `h` that can be paid now (release time passed, its slots ended), and checks
    ///      its charge against the ghost model.
    function _payCommitteeExits(address h) internal {
        uint256[] memory ids = registry.committeeExitsOf(h);
        for (uint256 i = 0; i < ids.length; ++i) {
            ProverRegistry.CommitteeExitInfo memory x = registry.committeeExit(ids[i]);
            if (x.paid || block.timestamp < x.releaseTime || x.locked != 0) continue;
            try registry.withdrawCommitteeExit(ids[i], 1_000) returns (bool paid) {
                if (!paid) continue;
                ghostCommitteeExitsPaid++;
                _checkCharge(ids[i]);
            } catch {
                // a slot it shared is still open (its locked part rounds to zero in the view): later
            }
        }
    }

    /// @dev The registry's charge of a (paid) committee exit against the ghost: at most a unit of rounding per lock
    ///      it shared, plus one.
    function _checkCharge(uint256 exitId) internal {
        uint256 charged = registry.committeeExit(exitId).charged;
        uint256 ghost = ghostCharged[exitId] / GHOST_SCALE;
        uint256 diff = charged > ghost ? charged - ghost : ghost - charged;
        if (diff > _ghostExitSlots[exitId].length + 1) ghostCommitteeChargeWrong = true;
    }

    /// @dev A partial exit from the committee pool that the registry turns into a full one (the rest would be worth
    ///      nothing) must respect the slice rule too: skip the corner.
    function _worthless(address p, address h, uint256 amount) internal view returns (bool) {
        uint256 total = registry.totalSharesOf(p);
        uint256 shares = registry.sharesOf(p, h);
        uint256 poolStake = registry.bondOf(p);
        uint256 burn = (amount * total + poolStake - 1) / poolStake;
        return burn < shares && (shares - burn) * (poolStake - amount) / (total - burn) == 0;
    }

    /// @dev Slot states only move forward: settled stays settled, a delivery is never undone.
    function _checkForward() internal {
        uint256 n = market.nextSlotId();
        for (uint256 i = 0; i < n; ++i) {
            SlotState memory s = market.slotState(i);
            if (ghostSettled[i] && !s.settled) ghostStateWentBack = true;
            if (ghostDesignateDelivered[i] && !s.designateDelivered) ghostStateWentBack = true;
            if (s.committeeDeliveries < ghostDeliveries[i]) ghostStateWentBack = true;
            if (s.settled && !ghostSettled[i]) ghostSettled[i] = true;
            if (s.designateDelivered) ghostDesignateDelivered[i] = true;
            ghostDeliveries[i] = s.committeeDeliveries;
            (ResultStatus status, bytes32 h) = market.resultOf(i);
            bytes32 first = ghostFirstOutputs[i];
            if (!ghostKept[i]) {
                if (status != ResultStatus.NOT_KEPT || h != bytes32(0)) ghostResultWrong = true;
            } else if (first != bytes32(0)) {
                if (status != ResultStatus.DELIVERED || h != first) ghostResultWrong = true;
            } else if (status == ResultStatus.DELIVERED || h != bytes32(0)) {
                ghostResultWrong = true;
            } else if (status == ResultStatus.FAILED && !s.settled && !(s.drawn && block.timestamp > s.deadline)) {
                ghostResultWrong = true;
            }
        }
    }
}
