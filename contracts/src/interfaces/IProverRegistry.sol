// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title IProverRegistry
/// @notice Errors, events and the market-facing functions of `ProverRegistry` (DESIGN.md §3): what
///         `ProcurementMarket` depends on. Amounts in ERC-20 base units of `token()`; times in unix seconds.
interface IProverRegistry {
    // ---------------------------------------------------------------- errors
    /// @notice A constructor argument is the zero address.
    error Registry_ZeroAddress();
    /// @notice The unbonding delay must be positive.
    error Registry_ZeroUnbondingDelay();
    /// @notice Caller is not the market.
    error Registry_NotMarket(address caller);
    /// @notice `register` called twice by the same prover.
    error Registry_AlreadyRegistered(address prover);
    /// @notice The prover never called `register`.
    error Registry_NotRegistered(address prover);
    /// @notice A zero amount was given where a positive one is required.
    error Registry_ZeroAmount();
    /// @notice Requested more than the account's share of the pool's unlocked stake.
    error Registry_InsufficientAvailableBond(address prover, uint256 requested, uint256 available);
    /// @notice `withdraw` with nothing pending.
    error Registry_NothingToWithdraw(address prover);
    /// @notice `withdraw` before the release time.
    error Registry_UnbondingNotElapsed(address prover, uint64 releaseTime, uint256 nowTime);
    /// @notice `unjail` by a prover that is not jailed.
    error Registry_NotJailed(address prover);
    /// @notice `unjail` before the jail cool-down ended (unix s).
    error Registry_JailCooldown(address prover, uint64 unjailableFrom, uint256 nowTime);
    /// @notice `optIn` for a circuit the prover is already opted into.
    error Registry_AlreadyOptedIn(address prover, uint256 circuitId);
    /// @notice `optOut` for a circuit the prover is not opted into.
    error Registry_NotOptedIn(address prover, uint256 circuitId);
    /// @notice `optIn` beyond `MAX_CIRCUITS_PER_PROVER`.
    error Registry_TooManyCircuits(address prover, uint256 max);
    /// @notice `optIn` for a circuit the market does not know.
    error Registry_UnknownCircuit(uint256 circuitId);
    /// @notice `unjail` while `stake - locked < minBond`.
    error Registry_BondBelowMinimum(address prover, uint256 effectiveBond, uint256 minBond);
    /// @notice The market tried to lock more than the pool's free stake.
    error Registry_InsufficientFreeBond(address prover, uint256 requested, uint256 free);
    /// @notice The market tried to unlock or slash more than is locked.
    error Registry_InsufficientLock(address prover, uint256 requested, uint256 locked);
    /// @notice `memberAt` index out of range.
    error Registry_IndexOutOfRange(uint256 index, uint256 count);
    /// @notice Rewards for a pool without shares (the market credits the operator instead).
    error Registry_NoShares(address prover);
    /// @notice Commission above 10000 bps.
    error Registry_InvalidCommission(uint256 commissionBps);
    /// @notice Staking this amount would mint no share (amount too small for the share price).
    error Registry_ZeroShares(address prover, uint256 amount);
    /// @notice A first stake into the committee pool, or what a member would leave in it, below `committeeSlice()`
    ///         (members hold at least a slice or leave the pool entirely).
    error Registry_CommitteeSliceTooSmall(uint256 amount, uint256 committeeSlice);

    // ---------------------------------------------------------------- events
    /// @notice A prover registered its agent endpoint and VRF key hash.
    event ProverRegistered(address indexed prover, string endpoint, bytes32 vrfPublicKeyHash);
    /// @notice `staker` added `amount` base units to `prover`'s pool for `shares` new shares; `newBond` is the
    ///         pool's stake. `staker == prover` is the operator's own bond.
    event Bonded(address indexed prover, uint256 amount, uint256 newBond, address indexed staker, uint256 shares);
    /// @notice `staker` queued `amount` (burning `shares`) of `prover`'s pool; its `totalPending` may be withdrawn
    ///         from `releaseTime` (unix s).
    event UnbondRequested(
        address indexed prover,
        uint256 amount,
        uint256 totalPending,
        uint64 releaseTime,
        address indexed staker,
        uint256 shares
    );
    /// @notice An exit from `prover`'s pool left `amount` tokens locked in its open slots: they joined risk generation
    ///         `generation` as `riskShares`; they are slashed or released pro rata with the pool's own locked stake and
    ///         reach `staker` through `withdrawFrom` as the slots end.
    event ExitAtRisk(address indexed prover, address indexed staker, uint256 amount, uint64 generation, uint256 riskShares);
    /// @notice `amount` base units of `staker`'s pending unbond from `prover`'s pool were paid to `staker`.
    event Withdrawn(address indexed prover, uint256 amount, address indexed staker);
    /// @notice `amount` of the pool's stake was locked for slot `slotId`.
    event BondLocked(address indexed prover, uint256 indexed slotId, uint256 amount);
    /// @notice `amount` of the pool's stake was released from slot `slotId`.
    event BondUnlocked(address indexed prover, uint256 indexed slotId, uint256 amount);
    /// @notice `amount` of the stake locked for slot `slotId` was seized and transferred to `to`.
    event Slashed(address indexed prover, uint256 indexed slotId, uint256 amount, address to);
    /// @notice `amount` base units of rewards were added to the pool; they vest into its stake linearly until
    ///         `vestedBy` (unix s), every share gaining pro rata as they do. `unvested` is what is still to vest.
    event RewardsAdded(address indexed prover, uint256 amount, uint256 unvested, uint64 vestedBy);
    /// @notice The operator set its commission to `commissionBps`, in force from `effectiveTime` (unix s).
    event CommissionChanged(address indexed prover, uint16 commissionBps, uint64 effectiveTime);
    /// @notice The prover was jailed (ineligible for new slots) until it unjails.
    event Jailed(address indexed prover);
    /// @notice The prover left jail.
    event Unjailed(address indexed prover);
    /// @notice The prover entered (`eligible = true`) or left circuit `circuitId`'s eligible set at eligibility
    ///         epoch `epoch`.
    event EligibilityChanged(address indexed prover, uint256 indexed circuitId, bool eligible, uint64 epoch);
    /// @notice The prover opted into circuit `circuitId` (it may be drawn for it and sits in its committees).
    event OptedIn(address indexed prover, uint256 indexed circuitId);
    /// @notice The prover opted out of circuit `circuitId`: no new slots; open ones keep its duties.
    event OptedOut(address indexed prover, uint256 indexed circuitId);
    /// @notice The market (sole caller of drawAndLock/unlock/slash/addRewards) was bound at construction.
    event MarketSet(address indexed market);

    // ---------------------------------------------------------------- what the market calls
    /// @notice The bond token.
    function token() external view returns (IERC20);

    /// @notice The market bound at construction (sole caller of `drawAndLock`, `unlock`, `slash`, `addRewards`).
    function market() external view returns (address);

    /// @notice Minimum free stake (base units) for eligibility; the market's slot bond never exceeds it.
    function minBond() external view returns (uint256);

    /// @notice Seconds between an exit and its withdrawal; also the notice of circuit terms.
    function unbondingDelay() external view returns (uint64);

    /// @notice Least committee-pool stake (base units) an eligible prover holds; 0: no committee pool.
    function committeeSlice() external view returns (uint256);

    /// @notice n (provers eligible for `circuitId` now) and the eligibility epoch of a slot opened now.
    function circuitSnapshot(uint256 circuitId) external view returns (uint256 n, uint64 snapshot);

    /// @notice Whether `prover` was in `circuitId`'s eligible set at epoch `snapshot` (O(1); false negatives only).
    function isEligibleForSlot(address prover, uint256 circuitId, uint256 snapshot) external view returns (bool);

    /// @notice Commission (basis points of each payout the operator keeps) of `prover` in force now.
    function commissionOf(address prover) external view returns (uint16);

    /// @notice Shares of `prover`'s pool outstanding.
    function totalSharesOf(address prover) external view returns (uint256);

    /// @notice Draws a slot's designate from `circuitId`'s member list with `word` (up to `attempts` candidates
    ///         eligible at `snapshot` and able to lock) and locks `amount` of its pool and `poolAmount` of the
    ///         committee pool for slot `slotId`. Market only. Returns address(0) (nothing locked) when none qualifies.
    function drawAndLock(
        uint256 circuitId,
        uint256 word,
        uint64 snapshot,
        uint256 attempts,
        uint256 slotId,
        uint256 amount,
        uint256 poolAmount
    ) external returns (address designate);

    /// @notice Releases `amount` of `prover`'s lock and `poolAmount` of the committee pool's for slot `slotId`.
    ///         Market only.
    function unlock(address prover, uint256 slotId, uint256 amount, uint256 poolAmount) external;

    /// @notice Seizes `amount` of `prover`'s lock and `poolAmount` of the committee pool's for slot `slotId`, sends
    ///         them to `to` and jails the prover. Market only.
    function slash(address prover, uint256 slotId, uint256 amount, uint256 poolAmount, address to) external;

    /// @notice Adds `amount` tokens (already transferred to the registry) to `prover`'s pool as rewards vesting over
    ///         the unbonding delay. Market only.
    function addRewards(address prover, uint256 amount) external;
}
