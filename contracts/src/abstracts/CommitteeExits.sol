// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {StakePools} from "./StakePools.sol";
import {ICommitteeDesk} from "../interfaces/ICommitteeDesk.sol";

/// @dev Pseudo-prover whose pool holds the committee members' slices for correlated slashing (docs/MECHANISM.md §6,
///      Rem. 3.10): every eligible prover stakes at least `committeeSlice()` into it (`stakeTo(COMMITTEE_POOL,
///      amount)`), the market locks a fixed amount of it per slot and seizes that amount when the designate fails,
///      so every slice loses the same fraction (share price, O(1)). It is never eligible, never jailed, never paid.
address constant COMMITTEE_POOL_ADDRESS = address(uint160(uint256(keccak256("procura.committee-pool"))));

/// @title CommitteeExits
/// @notice Exact exits from the committee pool: a member that leaves while slots are open bears a slash of each of
///         those slots in proportion to what it held when the slot's lock was taken, and nothing of the slots drawn
///         after it left, however many slots the pool keeps taking meanwhile. Prover pools get the same guarantee
///         differently (`StakePools`: a prover pool with exits at risk takes no new lock); the committee pool must
///         keep taking locks for every circuit, so it books its exits by *cohort*.
/// @dev The construction. Every exit at risk closes the current *cohort*: the locks taken between two such exits
///      form one cohort and have the same owners in the same proportions. A *survival* product `P` (scaled by
///      `SURVIVAL_ONE`) starts at one and, at every exit that takes `atRisk` of the pool's own locked stake `L`, is
///      multiplied by `(L - atRisk) / L`. A lock of `a` tokens taken in cohort `k` (whose first lock recorded `P_k`)
///      is owned `a * P / P_k` by the pool's holders now, and `a * w_e / P_k` by each later exit `e`, whose weight
///      is `w_e = P_before - P_after` (the weights of the exits after the lock sum to `P_k - P`, so every token of
///      the lock has one owner). When a lock ends, its own part returns to the pool (release) or is seized with the
///      exits' parts (slash; the cohort's cumulative slashed amount is checkpointed with OpenZeppelin `Checkpoints`,
///      keyed by the cohort count at the time). An exit therefore gets back what it left at risk minus its part of
///      the slashes of the cohorts it shared, slashed after it left: `withdrawCommitteeExit` adds these up over the
///      exit's cohorts (O(cohorts), paginated, paid by the leaver); locks, releases and slashes stay O(1).
///
///      Rounding keeps both parts of the open locks exact in tokens: `pool.locked` (own) + `riskLocked` (exits) = the
///      open committee locks, and the last lock to end takes what is left of both. A survival product that reaches
///      zero (the last holder left) starts a new *era* at one; so does any lock taken while none is open. An exit's
///      charges are rounded up and its payout capped by what is released, so exits never take tokens of others; the
///      last exit outstanding takes the rounding dust, and dust released while no exit is outstanding returns to the
///      pool: no token is left without an owner.
///
///      Code size: an exit's bookkeeping (`_enterCommitteeRisk`, `_withdrawCommitteeExit`) runs in a `CommitteeDesk`
///      that the registry creates and delegatecalls (EIP-170 caps a contract at 24,576 bytes); both inherit this
///      contract, so the desk's code reads and writes the registry's storage with the same layout.
abstract contract CommitteeExits is StakePools {
    using Checkpoints for Checkpoints.Trace208;
    using SafeERC20 for IERC20;

    /// @notice The committee pool's pseudo-prover address (see the file-level `COMMITTEE_POOL_ADDRESS`).
    address public constant COMMITTEE_POOL = COMMITTEE_POOL_ADDRESS;
    /// @notice Scale of the survival product (1.0).
    uint256 public constant SURVIVAL_ONE = 1e36;
    /// @dev Most empty cohorts an exit skips when it advances the `firstLive` hint (bounds an exit's gas).
    uint256 private constant HINT_STEPS = 16;

    /// @dev The committee pool's exit book (3 words).
    /// @param survival P, scaled by `SURVIVAL_ONE` (never zero).
    /// @param cohort The cohort new locks join; every exit at risk closes it.
    /// @param eraStart First cohort of the current era: locks of earlier cohorts are owned by exits only.
    /// @param riskLocked Tokens of exits still locked in open slots.
    /// @param riskReleased Tokens of exits released by ended slots and not yet paid.
    /// @param openAmount Open committee locks (tokens) = the pool's own `locked` + `riskLocked`.
    /// @param exitCount Exits at risk so far (exit ids are 1..exitCount).
    /// @param unpaidExits Exits at risk not yet paid.
    /// @param firstLive No cohort below it has open locks (a hint: it may lag).
    struct Book {
        uint128 survival;
        uint64 cohort;
        uint64 eraStart;
        uint128 riskLocked;
        uint128 riskReleased;
        uint128 openAmount;
        uint64 exitCount;
        uint64 unpaidExits;
        uint64 firstLive;
    }

    /// @dev One cohort: the survival product at its first lock (0: no lock yet) and its open locks (tokens).
    struct Cohort {
        uint128 survival;
        uint128 openAmount;
    }

    /// @dev One exit at risk: it shares cohorts `firstCohort..lastCohort`; `nextCohort` and `charged` are the progress
    ///      of `withdrawCommitteeExit` (charges of the cohorts before `nextCohort`, final since they have ended).
    struct Exit {
        address staker;
        uint64 releaseTime;
        uint128 weight;
        uint128 atRisk;
        uint64 firstCohort;
        uint64 lastCohort;
        uint64 nextCohort;
        bool paid;
        uint128 charged;
    }

    Book internal _book;
    mapping(uint256 cohort => Cohort) internal _cohorts;
    /// @dev Cumulative slashed committee locks (tokens) of a cohort, checkpointed by the cohort count at the slash.
    mapping(uint256 cohort => Checkpoints.Trace208) internal _slashedIn;
    mapping(uint256 exitId => Exit) internal _exits;
    mapping(address staker => uint256[]) internal _exitIds;
    /// @dev The cohort of an open committee lock, plus one (0: no committee lock for the slot).
    mapping(uint256 slotId => uint256) internal _lockCohort;

    /// @dev The `CommitteeDesk` that runs the exits' bookkeeping on this contract's storage (delegatecall); zero in
    ///      the desk itself.
    address internal immutable _desk;

    /// @param desk_ The `CommitteeDesk` (address(0) in the desk itself).
    constructor(address desk_) {
        _desk = desk_;
        _book.survival = uint128(SURVIVAL_ONE);
    }

    /// @dev Runs `data` (a call of `ICommitteeDesk`) on this contract's storage through the desk; bubbles up reverts.
    function _toDesk(bytes memory data) internal returns (bytes memory) {
        return Address.functionDelegateCall(_desk, data);
    }

    // ---------------------------------------------------------------- pool operations
    /// @inheritdoc StakePools
    function _holdAtRisk(address prover, address staker, uint256 atRisk, uint256 locked) internal override {
        if (prover == COMMITTEE_POOL) _toDesk(abi.encodeCall(ICommitteeDesk.enterRisk, (staker, atRisk, locked)));
        else _enterRisk(prover, staker, atRisk);
    }

    /// @dev Locks `amount` of the committee pool's free stake for slot `slotId`, in the current cohort.
    function _lockCommittee(uint256 slotId, uint256 amount) internal {
        Book storage b = _book;
        uint64 k = b.cohort;
        if (b.openAmount == 0 && b.survival != SURVIVAL_ONE) {
            // nothing is open: start a new era at full precision
            if (_cohorts[k].survival != 0) k = ++b.cohort;
            b.survival = uint128(SURVIVAL_ONE);
            b.eraStart = k;
        }
        Cohort storage c = _cohorts[k];
        if (c.survival == 0) c.survival = b.survival;
        c.openAmount += SafeCast.toUint128(amount);
        b.openAmount += uint128(amount); // the pool's open locks, within its uint120 stake
        _lockCohort[slotId] = uint256(k) + 1;
        _lock(COMMITTEE_POOL, slotId, amount);
    }

    /// @dev Releases the committee lock of slot `slotId` (`amount` tokens): the pool's part returns to its free stake,
    ///      the exits' part becomes payable to them.
    function _unlockCommittee(uint256 slotId, uint256 amount) internal {
        (, uint256 risk) = _endCommitteeLock(slotId, amount);
        if (risk != 0) {
            if (_book.unpaidExits == 0) {
                // rounding dust of exits already paid: back to the pool
                _pools[COMMITTEE_POOL].stake = SafeCast.toUint120(uint256(_pools[COMMITTEE_POOL].stake) + risk);
                _riskHeld[COMMITTEE_POOL] -= risk;
            } else {
                _book.riskReleased += uint128(risk); // <= riskLocked, a uint128
            }
        }
        emit BondUnlocked(COMMITTEE_POOL, slotId, amount);
    }

    /// @dev Seizes the committee lock of slot `slotId` (`amount` tokens; the caller transfers them): the pool's part
    ///      from its stake, the exits' part from what they left at risk; the cohort's slashed amount is checkpointed.
    function _seizeCommittee(uint256 slotId, uint256 amount, address to) internal {
        uint256 k = _lockCohort[slotId];
        (uint256 own, uint256 risk) = _endCommitteeLock(slotId, amount);
        _pools[COMMITTEE_POOL].stake -= uint120(own); // own <= locked <= stake
        _riskHeld[COMMITTEE_POOL] -= risk; // risk <= riskLocked
        Checkpoints.Trace208 storage t = _slashedIn[k - 1];
        t.push(SafeCast.toUint48(_book.cohort), t.latest() + SafeCast.toUint208(amount));
        emit Slashed(COMMITTEE_POOL, slotId, amount, to);
    }

    /// @dev Ends the committee lock of `slotId`: splits `amount` into the pool's own part (`a * P / P_k`, rounded up,
    ///      within what each side holds; the last open lock takes what is left) and the exits' part.
    function _endCommitteeLock(uint256 slotId, uint256 amount) private returns (uint256 own, uint256 risk) {
        uint256 tag = _lockCohort[slotId];
        Book storage b = _book;
        if (tag == 0 || amount > b.openAmount) revert Registry_InsufficientLock(COMMITTEE_POOL, amount, tag == 0 ? 0 : b.openAmount);
        delete _lockCohort[slotId];
        uint256 k = tag - 1;
        Cohort storage c = _cohorts[k];
        c.openAmount -= uint128(amount); // the market ends a lock with the amount it took
        b.openAmount -= uint128(amount);
        Pool storage s = _pools[COMMITTEE_POOL];
        uint256 locked = s.locked;
        uint256 riskLocked = b.riskLocked;
        if (b.openAmount == 0) {
            own = locked; // locked + riskLocked == amount
        } else {
            own = k < b.eraStart ? 0 : Math.mulDiv(amount, b.survival, c.survival, Math.Rounding.Ceil);
            if (own > locked) own = locked;
            if (amount - own > riskLocked) own = amount - riskLocked; // amount <= locked + riskLocked
        }
        risk = amount - own;
        s.locked = uint120(locked - own); // own <= locked
        b.riskLocked = uint128(riskLocked - risk); // risk <= riskLocked
    }

    /// @dev An exit from the committee pool that leaves `atRisk` of the pool's own locked stake `locked` at risk: closes
    ///      the cohort, records the exit's weight and range of cohorts, and lowers the survival product.
    function _enterCommitteeRisk(address staker, uint256 atRisk, uint256 locked) internal {
        Book storage b = _book;
        uint256 p = b.survival;
        uint256 after_ = Math.mulDiv(p, locked - atRisk, locked);
        uint64 last = b.cohort;
        uint64 first = b.firstLive < b.eraStart ? b.eraStart : b.firstLive;
        for (uint256 i = 0; i < HINT_STEPS && first < last && _cohorts[first].openAmount == 0; ++i) ++first;
        b.firstLive = first;
        uint256 id = ++b.exitCount;
        b.unpaidExits += 1;
        uint64 release = uint64(block.timestamp) + _unbondingDelay;
        _exits[id] = Exit({
            staker: staker,
            releaseTime: release,
            weight: uint128(p - after_), // <= SURVIVAL_ONE
            atRisk: uint128(atRisk), // <= the pool's uint120 lock
            firstCohort: first,
            lastCohort: last,
            nextCohort: first,
            paid: false,
            charged: 0
        });
        _exitIds[staker].push(id);
        b.cohort = last + 1;
        b.riskLocked += uint128(atRisk); // the exits' part of the open locks, within the pool's
        _riskHeld[COMMITTEE_POOL] += atRisk;
        if (after_ == 0) {
            b.survival = uint128(SURVIVAL_ONE); // every open lock is now owned by exits: a new era
            b.eraStart = last + 1;
        } else {
            b.survival = uint128(after_); // <= survival
        }
        emit CommitteeExitQueued(staker, id, atRisk, release, first, last);
    }

    /// @dev Part of committee exit `x` of the slashes of cohort `k` since it left (tokens, rounded up).
    function _chargeOf(Exit storage x, uint256 k) internal view returns (uint256) {
        uint256 survival = _cohorts[k].survival;
        if (survival == 0) return 0; // no lock was ever taken in it
        Checkpoints.Trace208 storage t = _slashedIn[k];
        uint256 since = t.latest() - t.upperLookup(uint48(x.lastCohort));
        return since == 0 ? 0 : Math.mulDiv(since, x.weight, survival, Math.Rounding.Ceil);
    }

    /// @dev Pays committee exit `exitId` once its release time passed and every cohort it shared has ended, walking at
    ///      most `maxCohorts` cohorts per call. Returns whether it was paid (false: call again to go on).
    function _withdrawCommitteeExit(uint256 exitId, uint256 maxCohorts) internal returns (bool) {
        Exit storage x = _exits[exitId];
        address staker = x.staker;
        if (staker == address(0)) revert Registry_UnknownCommitteeExit(exitId);
        if (x.paid) revert Registry_NothingToWithdraw(staker);
        if (block.timestamp < x.releaseTime) revert Registry_UnbondingNotElapsed(staker, x.releaseTime, block.timestamp);
        uint256 k = x.nextCohort;
        uint256 last = x.lastCohort;
        uint256 charged = x.charged;
        for (uint256 i = 0; i < maxCohorts && k <= last; ++i) {
            uint256 open = _cohorts[k].openAmount;
            if (open != 0) revert Registry_CommitteeLocksOpen(exitId, k, open);
            charged += _chargeOf(x, k);
            ++k;
        }
        x.nextCohort = uint64(k); // <= lastCohort + 1
        x.charged = SafeCast.toUint128(charged);
        if (k <= last) {
            emit CommitteeExitProgress(exitId, k);
            return false;
        }
        x.paid = true;
        Book storage b = _book;
        b.unpaidExits -= 1;
        uint256 owed = x.atRisk > charged ? x.atRisk - charged : 0;
        uint256 released = b.riskReleased;
        if (owed > released || (b.unpaidExits == 0 && b.riskLocked == 0)) owed = released; // caps; the last takes dust
        b.riskReleased = uint128(released - owed); // owed <= released
        _riskHeld[COMMITTEE_POOL] -= owed;
        emit CommitteeExitPaid(staker, exitId, owed, charged);
        if (owed != 0) _token.safeTransfer(staker, owed);
        return true;
    }

    // ---------------------------------------------------------------- views
    /// @dev Committee exit `x` now: tokens still locked in open slots (rounded up, like the exit's part of the lock
    ///      when it left), and its charges so far (tokens).
    function _exitStatus(Exit storage x) internal view returns (uint256 locked, uint256 charged) {
        charged = x.charged;
        for (uint256 k = x.nextCohort; k <= x.lastCohort; ++k) {
            Cohort storage c = _cohorts[k];
            if (c.openAmount != 0) locked += Math.mulDiv(c.openAmount, x.weight, c.survival, Math.Rounding.Ceil);
            charged += _chargeOf(x, k);
        }
    }
}
