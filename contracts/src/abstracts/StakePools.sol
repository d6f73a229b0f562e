// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IProverRegistryTypes} from "../interfaces/IProverRegistryTypes.sol";

/// @title StakePools
/// @notice Share-based stake pools, one per prover (docs/DESIGN.md §3): the operator and any staker hold shares of a pool of
///         `stake` tokens; a slash lowers the stake and so every share pro rata, rewards (vesting over the unbonding
///         delay) raise it — O(1), nothing loops over holders. Part of a pool is locked for open slots; an exit while
///         locked leaves its pro-rata part of the lock at risk (a *risk generation*, released or slashed pro rata with
///         the pool's own lock as the slots end), so no order or number of exits moves a slash between holders.
/// @dev Amounts in ERC-20 base units of the bond token; times in unix seconds. The inheriting contract decides who may
///      stake and what a pool's change means (`_beforeStake`, `_checkRemainder`, `_poolChanged`, `_released`), and
///      calls `_stake`, `_requestUnstake(All)`, `_withdraw`, `_lock`, `_unlock`, `_seize` and `_addRewards`.
///      Token balance held for pools = Σ (stake + unvested rewards + totalPending + risk held) (invariant tested).
abstract contract StakePools is IProverRegistryTypes {
    using SafeERC20 for IERC20;

    /// @dev One pool. Word 0 (stake, locked, hasRisk) is all a lock or a release touches, and is non-zero whenever a
    ///      bond exists, so a lock never pays for a fresh storage word. `locked` is the pool's own locked stake (its
    ///      exits' locked tokens are in the current risk generation); `hasRisk` says that generation is not empty.
    struct Pool {
        uint120 stake;
        uint120 locked;
        bool hasRisk;
        uint256 totalShares;
        uint128 totalPending;
        uint64 riskGeneration;
        uint64 era;
    }

    /// @dev Rewards added to a pool that have not vested into its stake yet: `unvested` vests linearly from
    ///      `updated` to `end` (unix s).
    struct RewardStream {
        uint128 unvested;
        uint64 updated;
        uint64 end;
    }

    /// @dev The at-risk part of exits from one pool in one generation (see the contract notes): `atRisk` tokens still
    ///      locked in the pool's open slots, owned by `shares` risk shares; `released` tokens freed by unlocks and not
    ///      yet moved to a holder; `acc` released tokens per risk share, scaled by `ACC`. A generation ends when its
    ///      `atRisk` reaches zero (every lock it shared has ended); the next exit while locked opens a new one.
    struct RiskPool {
        uint128 atRisk;
        uint128 released;
        uint256 shares;
        uint256 acc;
    }

    /// @dev One holder's at-risk exits from a pool: `shares` of generation `generation`, released tokens per share
    ///      already counted (`snap`), and released tokens owed to it (paid by `withdrawFrom` after its release time).
    struct RiskPosition {
        uint256 shares;
        uint256 snap;
        uint128 owed;
        uint64 generation;
    }

    /// @dev One holder's shares of a pool (they count only in the pool's current `era`) and its pending unbond.
    struct StakerState {
        uint256 shares;
        uint256 pending;
        uint64 releaseTime;
        uint64 era;
    }

    /// @dev Precision of `RiskPool.acc` (released tokens per risk share).
    uint256 internal constant ACC = 1e36;
    /// @notice Virtual shares of every pool's share conversion: OpenZeppelin ERC-4626's decimals offset of 3, so a pool
    ///         converts with `totalShares + 1e3` shares and `stake + 1` tokens. A fresh pool mints 1e3 shares per base
    ///         unit and rounding favours the pool. A pool seized to zero (nothing left, not even vesting rewards) starts
    ///         a new share *era* when it is staked into again: its old shares are worth nothing and stop counting, so
    ///         repeated wipes cannot inflate the share count towards overflow.
    uint256 public constant VIRTUAL_SHARES = 1e3;

    IERC20 internal immutable _token;
    uint64 internal immutable _unbondingDelay;

    mapping(address prover => Pool) internal _pools;
    mapping(address prover => mapping(address staker => StakerState)) internal _stakers;
    mapping(address prover => RewardStream) internal _streams;
    mapping(address prover => mapping(uint64 generation => RiskPool)) internal _riskPools;
    mapping(address prover => mapping(address staker => RiskPosition)) internal _riskPositions;
    /// @dev Tokens of exits still held for a pool: every generation's atRisk and released, and every position's owed.
    mapping(address prover => uint256) internal _riskHeld;

    /// @param token_ Bond token.
    /// @param unbondingDelay_ Seconds between an exit and its withdrawal (also the rewards' vesting period).
    constructor(IERC20 token_, uint64 unbondingDelay_) {
        _token = token_;
        _unbondingDelay = unbondingDelay_;
    }

    // ---------------------------------------------------------------- hooks
    /// @dev Before `staker` stakes `amount` into `prover`'s pool: revert to refuse it.
    function _beforeStake(address prover, address staker, uint256 amount) internal view virtual;

    /// @dev After a partial exit that leaves `staker` `value` tokens in `prover`'s pool: revert to refuse it.
    function _checkRemainder(address prover, address staker, uint256 value) internal view virtual;

    /// @dev After `prover`'s pool changed through `staker` (a stake, an exit, a lock, a release with exits at risk).
    function _poolChanged(address prover, address staker) internal virtual;

    /// @dev After a release from `prover`'s pool without exits at risk, `freeBefore` being its free stake before it.
    function _released(address prover, uint256 freeBefore) internal virtual;

    // ---------------------------------------------------------------- pool views
    /// @dev Shares `staker` holds in `prover`'s pool (shares of an earlier era count as none).
    function _sharesOf(address prover, address staker) internal view returns (uint256) {
        StakerState storage st = _stakers[prover][staker];
        return st.era == _pools[prover].era ? st.shares : 0;
    }

    /// @dev Shares worth `assets` tokens in a pool of `stake` tokens and `totalShares` shares (ERC-4626 style, with
    ///      `VIRTUAL_SHARES` virtual shares and one virtual token).
    function _toShares(uint256 assets, uint256 totalShares, uint256 stake, Math.Rounding rounding)
        internal
        pure
        returns (uint256)
    {
        return Math.mulDiv(assets, totalShares + VIRTUAL_SHARES, stake + 1, rounding);
    }

    /// @dev Tokens `shares` are worth in a pool of `stake` tokens and `totalShares` shares (ERC-4626 style).
    function _toAssets(uint256 shares, uint256 totalShares, uint256 stake, Math.Rounding rounding)
        internal
        pure
        returns (uint256)
    {
        return Math.mulDiv(shares, stake + 1, totalShares + VIRTUAL_SHARES, rounding);
    }

    // ---------------------------------------------------------------- pool operations
    function _stake(address prover, address staker, uint256 amount) internal {
        Pool storage s = _pools[prover];
        _beforeStake(prover, staker, amount);
        if (amount == 0) revert Registry_ZeroAmount();
        _drip(prover); // shares are priced with every reward vested so far
        _vestAllIfEmptied(prover);
        if (s.stake == 0 && s.totalShares != 0) {
            // seized to zero: the old shares are worth nothing; a new era keeps the share count bounded
            s.era += 1;
            s.totalShares = 0;
        }
        uint256 shares = _toShares(amount, s.totalShares, s.stake, Math.Rounding.Floor);
        if (shares == 0) revert Registry_ZeroShares(prover, amount);
        s.totalShares += shares;
        s.stake = SafeCast.toUint120(uint256(s.stake) + amount);
        StakerState storage st = _stakers[prover][staker];
        if (st.era != s.era) {
            st.era = s.era;
            st.shares = 0;
        }
        st.shares += shares;
        emit Bonded(prover, amount, s.stake, staker, shares);
        _poolChanged(prover, staker);
        _token.safeTransferFrom(staker, address(this), amount);
    }

    function _requestUnstake(address prover, address staker, uint256 amount) internal {
        if (amount == 0) revert Registry_ZeroAmount();
        _drip(prover);
        Pool storage s = _pools[prover];
        uint256 shares = _sharesOf(prover, staker);
        uint256 total = s.totalShares;
        uint256 value = _toAssets(shares, total, s.stake, Math.Rounding.Floor);
        if (amount > value) revert Registry_InsufficientAvailableBond(staker, amount, value);
        uint256 burn = _toShares(amount, total, s.stake, Math.Rounding.Ceil); // <= shares (value rounded down)
        if (burn == total) amount = s.stake; // the last holder leaves: no token is left without an owner
        _queue(prover, staker, burn, amount);
    }

    function _requestUnstakeAll(address prover, address staker) internal {
        _drip(prover);
        Pool storage s = _pools[prover];
        uint256 shares = _sharesOf(prover, staker);
        if (shares == 0) revert Registry_ZeroAmount();
        uint256 total = s.totalShares;
        // the last holder takes the whole stake; anyone else the rounded-down value of its shares
        uint256 amount = shares == total ? s.stake : _toAssets(shares, total, s.stake, Math.Rounding.Floor);
        _queue(prover, staker, shares, amount);
    }

    /// @dev Burns `burn` shares of `staker`, worth `amount` tokens, and takes them out of the pool: the free part
    ///      into the holder's pending unbond, its pro-rata part of the lock (`amount * locked / stake`, rounded up)
    ///      into the pool's current risk generation (`_holdAtRisk`), where it stays locked with the slots it was
    ///      locked for.
    function _queue(address prover, address staker, uint256 burn, uint256 amount) internal {
        Pool storage s = _pools[prover];
        StakerState storage st = _stakers[prover][staker];
        uint256 stake = s.stake;
        uint256 locked = s.locked;
        // the holder's part of the lock, rounded up (in favour of the slots the lock insures), at most the lock
        uint256 atRisk = locked == 0 ? 0 : Math.min(Math.mulDiv(amount, locked, stake, Math.Rounding.Ceil), locked);
        if (burn == s.totalShares) atRisk = locked; // the last holder carries the whole lock
        st.shares -= burn;
        s.totalShares -= burn;
        s.stake = uint120(stake - amount); // <= stake
        if (atRisk != 0) s.locked = uint120(locked - atRisk); // <= locked
        if (st.shares != 0) {
            _checkRemainder(prover, staker, _toAssets(st.shares, s.totalShares, s.stake, Math.Rounding.Floor));
        }
        uint256 free = amount - atRisk;
        if (s.totalShares == 0) {
            // the last holder also takes what has not vested yet: no token is left without an owner
            uint256 rest = _streams[prover].unvested;
            if (rest != 0) {
                delete _streams[prover];
                free += rest;
            }
        }
        s.totalPending += uint128(free);
        st.pending += free;
        uint64 release = uint64(block.timestamp) + _unbondingDelay;
        st.releaseTime = release;
        emit UnbondRequested(prover, free, st.pending, release, staker, burn);
        if (atRisk != 0) _holdAtRisk(prover, staker, atRisk, locked);
        _poolChanged(prover, staker);
    }

    /// @dev Keeps `atRisk` tokens of an exit from `prover`'s pool locked with the slots they insure (`locked` being the
    ///      pool's own locked stake before the exit): a prover pool puts them in its current risk generation
    ///      (`_enterRisk`); the inheriting contract decides (the committee pool books them by cohort).
    function _holdAtRisk(address prover, address staker, uint256 atRisk, uint256 locked) internal virtual;

    /// @dev Moves `amount` locked tokens of an exiting holder into the pool's current risk generation (a new one when
    ///      the current one has ended): they keep insuring the pool's open slots, slashed and released pro rata with
    ///      the pool's own locked stake, and reach the holder as the slots end.
    function _enterRisk(address prover, address staker, uint256 amount) internal {
        Pool storage s = _pools[prover];
        uint64 g = s.riskGeneration;
        RiskPool storage rp = _riskPools[prover][g];
        if (rp.atRisk == 0 && rp.shares != 0) {
            g = ++s.riskGeneration; // the current generation ended (its holders still collect what it released)
            rp = _riskPools[prover][g];
        }
        _settleRisk(prover, staker); // a position in an ended generation is closed here
        RiskPosition storage pos = _riskPositions[prover][staker];
        uint256 minted = rp.shares == 0 ? amount : Math.mulDiv(amount, rp.shares, rp.atRisk);
        rp.shares += minted; // a risk share is never worth more than one token, so minted >= amount > 0
        rp.atRisk = SafeCast.toUint128(uint256(rp.atRisk) + amount);
        pos.shares += minted;
        pos.snap = rp.acc;
        pos.generation = g;
        s.hasRisk = true;
        _riskHeld[prover] += amount;
        emit ExitAtRisk(prover, staker, amount, g, minted);
    }

    /// @dev Moves what `staker`'s risk position released since it was last settled into its `owed`; a position in an
    ///      ended generation is closed (its shares burnt; the generation's last holder also takes the rounding dust).
    function _settleRisk(address prover, address staker) internal {
        RiskPosition storage pos = _riskPositions[prover][staker];
        uint256 shares = pos.shares;
        if (shares == 0) return;
        RiskPool storage rp = _riskPools[prover][pos.generation];
        uint256 owed = Math.mulDiv(shares, rp.acc - pos.snap, ACC);
        pos.snap = rp.acc;
        if (rp.atRisk == 0) {
            if (shares == rp.shares) owed = rp.released; // the last holder of an ended generation takes the rest
            rp.shares -= shares;
            pos.shares = 0;
        }
        rp.released -= uint128(owed); // <= released (each holder's part is rounded down)
        pos.owed += uint128(owed);
    }

    /// @dev Ends `amount` of the pool's total lock (its own locked stake plus the current risk generation's tokens)
    ///      pro rata: returns the pool's own part; the risk generation's part is released to its holders
    ///      (`release`) or removed (a slash; the caller transfers it). The last unit of lock takes the generation's
    ///      whole remainder.
    function _splitLock(address prover, uint256 amount, bool release) internal returns (uint256 own) {
        Pool storage s = _pools[prover];
        RiskPool storage rp = _riskPools[prover][s.riskGeneration];
        uint256 risk = rp.atRisk;
        uint256 locked = s.locked;
        uint256 total = locked + risk;
        if (amount > total) revert Registry_InsufficientLock(prover, amount, total);
        uint256 fromRisk = amount == total ? risk : Math.mulDiv(amount, risk, total);
        if (amount - fromRisk > locked) fromRisk = amount - locked; // rounding never takes more than the own lock
        own = amount - fromRisk;
        rp.atRisk = uint128(risk - fromRisk);
        if (release) {
            rp.released += uint128(fromRisk);
            rp.acc += Math.mulDiv(fromRisk, ACC, rp.shares);
        } else {
            _riskHeld[prover] -= fromRisk;
        }
        if (risk == fromRisk) s.hasRisk = false; // every lock the generation shared has ended
    }

    function _withdraw(address prover, address staker) internal {
        StakerState storage st = _stakers[prover][staker];
        _settleRisk(prover, staker);
        RiskPosition storage pos = _riskPositions[prover][staker];
        uint256 pending = st.pending;
        uint256 owed = pos.owed;
        if (pending + owed == 0) revert Registry_NothingToWithdraw(staker);
        if (block.timestamp < st.releaseTime) {
            revert Registry_UnbondingNotElapsed(staker, st.releaseTime, block.timestamp);
        }
        st.pending = 0;
        if (pos.shares == 0) st.releaseTime = 0; // keep it while locked tokens of the same exits may still come
        pos.owed = 0;
        _pools[prover].totalPending -= uint128(pending); // <= totalPending
        _riskHeld[prover] -= owed;
        emit Withdrawn(prover, pending + owed, staker);
        _token.safeTransfer(staker, pending + owed);
    }

    /// @dev Locks `amount` of the pool's free stake for slot `slotId`.
    function _lock(address prover, uint256 slotId, uint256 amount) internal {
        Pool storage s = _pools[prover];
        uint256 free = s.stake - s.locked;
        if (amount > free) revert Registry_InsufficientFreeBond(prover, amount, free);
        s.locked += uint120(amount); // <= free
        emit BondLocked(prover, slotId, amount);
        _poolChanged(prover, prover);
    }

    function _unlock(address prover, uint256 slotId, uint256 amount) internal {
        Pool storage s = _pools[prover];
        uint256 locked = s.locked;
        if (s.hasRisk) {
            // exits took part of the lock: it ends pro rata for the pool and the exited holders
            s.locked = uint120(locked - _splitLock(prover, amount, true));
            emit BondUnlocked(prover, slotId, amount);
            _poolChanged(prover, prover);
            return;
        }
        if (amount > locked) revert Registry_InsufficientLock(prover, amount, locked);
        s.locked = uint120(locked - amount); // <= locked
        emit BondUnlocked(prover, slotId, amount);
        _released(prover, s.stake - locked);
    }

    /// @dev Removes `amount` of the pool's locked stake (it leaves the pool; the caller transfers it).
    function _seize(address prover, uint256 slotId, uint256 amount, address to) internal {
        Pool storage s = _pools[prover];
        uint256 own = amount;
        if (s.hasRisk) {
            own = _splitLock(prover, amount, false); // the exited holders' locked tokens pay their part
        } else if (amount > s.locked) {
            revert Registry_InsufficientLock(prover, amount, s.locked);
        }
        s.locked -= uint120(own); // <= locked
        s.stake -= uint120(own); // locked <= stake
        _vestAllIfEmptied(prover);
        emit Slashed(prover, slotId, amount, to);
    }

    /// @dev A pool emptied (by a slash) while rewards still vest owes them to its holders: vest them all now, so they
    ///      stay with the holders' shares instead of going, diluted, to whoever stakes into the emptied pool next.
    function _vestAllIfEmptied(address prover) internal {
        Pool storage s = _pools[prover];
        uint256 unvested = _streams[prover].unvested;
        if (s.stake != 0 || unvested == 0) return;
        s.stake = uint120(unvested); // came in through addRewards (SafeCast) and fits the stake
        delete _streams[prover];
    }

    /// @dev Moves the rewards vested since the last update into the pool's stake.
    function _drip(address prover) internal {
        RewardStream storage r = _streams[prover];
        if (r.unvested == 0) return;
        uint256 vested = _vested(prover);
        r.updated = uint64(block.timestamp);
        if (vested == 0) return;
        r.unvested -= uint128(vested); // <= unvested
        Pool storage s = _pools[prover];
        s.stake = SafeCast.toUint120(uint256(s.stake) + vested);
    }

    /// @dev Rewards of `prover`'s pool vested since the stream's last update (linear from `updated` to `end`).
    function _vested(address prover) internal view returns (uint256) {
        RewardStream storage r = _streams[prover];
        uint256 unvested = r.unvested;
        if (unvested == 0) return 0;
        if (block.timestamp >= r.end) return unvested;
        return Math.mulDiv(unvested, block.timestamp - r.updated, r.end - r.updated);
    }

    /// @dev The pool's stake with the rewards vested so far.
    function _stakeNow(address prover) internal view returns (uint256) {
        return _pools[prover].stake + _vested(prover);
    }


    /// @notice Adds `amount` tokens, already transferred here by the market, to `prover`'s pool (the stakers' part
    ///         of the prover's payouts). They vest into the pool's stake linearly over `unbondingDelay()` (what was
    ///         still unvested is stretched over the new period too), every share gaining pro rata as they vest. A
    ///         staker who joins just before rewards are added and leaves right after therefore gets only what vested
    ///         while it held shares (and was exposed to slashes): no just-in-time sniping of rewards earned earlier.
    /// @dev Requirements: the pool has shares (`Registry_NoShares`). Emits `RewardsAdded`.
    /// @param prover The pool.
    /// @param amount Tokens in base units.
    function _addRewards(address prover, uint256 amount) internal {
        Pool storage s = _pools[prover];
        if (s.totalShares == 0) revert Registry_NoShares(prover);
        _drip(prover);
        RewardStream storage r = _streams[prover];
        uint256 unvested = r.unvested + amount;
        uint64 end = uint64(block.timestamp) + _unbondingDelay;
        r.unvested = SafeCast.toUint128(SafeCast.toUint120(unvested)); // vests into a uint120 stake
        r.updated = uint64(block.timestamp);
        r.end = end;
        emit RewardsAdded(prover, amount, unvested, end);
    }

}
