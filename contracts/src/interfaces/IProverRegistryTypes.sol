// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title IProverRegistryTypes
/// @notice Errors, events and types of `ProverRegistry` (docs/DESIGN.md §3), shared by its stake pools and by the
///         `CommitteeDesk` it delegates committee exits to. Amounts in ERC-20 base units; times in unix seconds.
interface IProverRegistryTypes {
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
    /// @notice Requested more than the account's stake in the pool.
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
    /// @notice A third party's first stake, or what a partial exit leaves it, is below the operator's minimum stake.
    error Registry_StakeBelowMinimum(address prover, uint256 amount, uint256 minStake);
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
    /// @notice `withdrawCommitteeExit` for an exit id that does not exist.
    error Registry_UnknownCommitteeExit(uint256 exitId);
    /// @notice `withdrawCommitteeExit` while cohort `cohort`, which the exit shared, still has `openAmount` tokens
    ///         locked in open slots (settle them first: anyone may settle a slot after its window).
    error Registry_CommitteeLocksOpen(uint256 exitId, uint256 cohort, uint256 openAmount);

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
    event ExitAtRisk(
        address indexed prover, address indexed staker, uint256 amount, uint64 generation, uint256 riskShares
    );
    /// @notice An exit from the committee pool left `atRisk` tokens locked in open slots, those of cohorts
    ///         `firstCohort..lastCohort`: exit `exitId`, paid by `withdrawCommitteeExit` from `releaseTime` (unix s) once
    ///         those slots have ended, less its part of their slashes.
    event CommitteeExitQueued(
        address indexed staker,
        uint256 indexed exitId,
        uint256 atRisk,
        uint64 releaseTime,
        uint64 firstCohort,
        uint64 lastCohort
    );
    /// @notice `withdrawCommitteeExit` walked committee exit `exitId`'s cohorts up to `nextCohort` (exclusive): call it
    ///         again to go on.
    event CommitteeExitProgress(uint256 indexed exitId, uint256 nextCohort);
    /// @notice Committee exit `exitId` paid `amount` tokens to `staker`; `charged` is its part of the slashes.
    event CommitteeExitPaid(address indexed staker, uint256 indexed exitId, uint256 amount, uint256 charged);
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
    /// @notice The operator set the least stake a third party may hold in its pool (base units).
    event MinStakeChanged(address indexed prover, uint256 minStake);
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

    // ---------------------------------------------------------------- types
    /// @notice Full state of one prover's pool, as returned by `getProver`.
    /// @param registered True once `register` was called.
    /// @param jailed True after a slash until `unjail`.
    /// @param endpoint Agent endpoint (URL) announced by the operator.
    /// @param vrfPublicKeyHash keccak256 of the prover's VRF public key (private committee coins).
    /// @param bond Tokens in the pool (operator and stakers, base units), including the locked part.
    /// @param locked Tokens locked in open slots (base units): the pool's own locked stake plus exits still at risk.
    /// @param pendingUnbond Tokens of this pool's holders waiting for the unbonding delay (base units).
    /// @param unbondReleaseTime Unix time (s) from which the operator's own pending unbond can be withdrawn.
    /// @param eligible Whether the prover is bonded-eligible now (registered, not jailed, free stake >= minBond,
    ///        committee slice held); it is drawn only for the circuits it opted into (`circuitsOf`).
    /// @param jailedAt Unix time (s) of the last jailing (0: never); `unjail` is possible from
    ///        `jailedAt + jailCooldown()`.
    /// @param totalShares Shares of the pool outstanding.
    /// @param commissionBps Commission in force now (basis points of each payout kept by the operator).
    struct ProverInfo {
        bool registered;
        bool jailed;
        string endpoint;
        bytes32 vrfPublicKeyHash;
        uint256 bond;
        uint256 locked;
        uint256 pendingUnbond;
        uint64 unbondReleaseTime;
        bool eligible;
        uint64 jailedAt;
        uint256 totalShares;
        uint16 commissionBps;
    }

    /// @notice One exit from the committee pool that left tokens at risk, as returned by `committeeExit`.
    /// @param staker The member that left (paid by `withdrawCommitteeExit`).
    /// @param releaseTime Unix time (s) from which it can be paid.
    /// @param atRisk Tokens it left locked in open slots when it left.
    /// @param locked Of those, tokens still locked in slots not yet ended (rounded down).
    /// @param charged Its part of the slashes of those slots so far (rounded up).
    /// @param firstCohort First cohort of locks it shares.
    /// @param lastCohort Last cohort of locks it shares (the one its exit closed).
    /// @param nextCohort Cohort `withdrawCommitteeExit` goes on from (its progress).
    /// @param paid Whether it was paid.
    struct CommitteeExitInfo {
        address staker;
        uint64 releaseTime;
        uint256 atRisk;
        uint256 locked;
        uint256 charged;
        uint64 firstCohort;
        uint64 lastCohort;
        uint64 nextCohort;
        bool paid;
    }

}
