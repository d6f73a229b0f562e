// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IProverRegistryTypes} from "./IProverRegistryTypes.sol";

/// @title IProverRegistry
/// @notice The functions of `ProverRegistry` (docs/DESIGN.md §3; its errors, events and types are in
///         `IProverRegistryTypes`): what `ProcurementMarket` and clients depend on. Amounts in ERC-20 base units of
///         `token()`; times in unix seconds.
interface IProverRegistry is IProverRegistryTypes {
    // ---------------------------------------------------------------- functions
    /// @notice Registers `msg.sender` as a prover (commission 100%: the operator keeps all payouts until it lowers it).
    /// @dev Requirements: not paused; not registered before (`Registry_AlreadyRegistered`). Emits `ProverRegistered`,
    ///      and `EligibilityChanged` when `minBond == 0`.
    /// @param endpoint Agent endpoint URL (free text, informational).
    /// @param vrfPublicKeyHash keccak256 of the VRF public key the prover uses for its committee coins.
    function register(string calldata endpoint, bytes32 vrfPublicKeyHash) external;

    /// @notice Adds `amount` tokens (base units) from `msg.sender` (who must have approved this contract) to its own
    ///         pool (the operator's bond). Same as `stakeTo(msg.sender, amount)`.
    /// @dev Requirements as `stakeTo`. Emits `Bonded`, possibly `EligibilityChanged`.
    /// @param amount Tokens in base units.
    function bond(uint256 amount) external;

    /// @notice Stakes `amount` tokens (base units) from `msg.sender` behind `prover`: mints shares at the pool's
    ///         share price (rounded down, in favour of the pool). The staker shares the prover's slashes and the
    ///         rewards it passes on (everything above its commission).
    /// @dev Requirements: not paused; `prover` registered (`Registry_NotRegistered`); `amount > 0`
    ///      (`Registry_ZeroAmount`); at least one share minted
    ///      (`Registry_ZeroShares`); the ERC-20 transfer succeeds. Emits `Bonded`, possibly `EligibilityChanged`.
    /// @param prover The prover whose pool receives the stake.
    /// @param amount Tokens in base units.
    function stakeTo(address prover, uint256 amount) external;

    /// @notice Queues `amount` of the operator's own stake for withdrawal. Same as `requestUnstake(msg.sender, amount)`.
    /// @dev Requirements and events as `requestUnstake`.
    /// @param amount Tokens in base units.
    function requestUnbond(uint256 amount) external;

    /// @notice Takes `amount` tokens of `msg.sender`'s stake out of `prover`'s pool, locked or not: its pro-rata part of
    ///         the pool's free stake is queued for withdrawal after `unbondingDelay()` seconds; its pro-rata part of the
    ///         pool's lock (rounded up) stays at risk in the pool's open slots (`riskOf`; released or seized pro rata
    ///         with the pool's own lock as they end), so no exit escapes a slash it was exposed to. The shares leave
    ///         the pool at once (they stop counting for eligibility); shares burnt are rounded up (in favour of the
    ///         pool). Each request restarts the delay for the account's whole pending amount. The last holder of a
    ///         pool takes its whole stake (and carries its whole lock).
    /// @dev Requirements: `amount > 0`; `amount` at most the caller's stake in the pool
    ///      (`Registry_InsufficientAvailableBond`); a committee-pool member keeps a full slice or leaves entirely
    ///      (`Registry_CommitteeSliceTooSmall`). Emits `UnbondRequested`, `ExitAtRisk` when part of it stays locked,
    ///      possibly `EligibilityChanged`.
    /// @param prover The pool.
    /// @param amount Tokens in base units.
    function requestUnstake(address prover, uint256 amount) external;

    /// @notice Burns all of `msg.sender`'s shares in `prover`'s pool and queues their value (rounded down; the last
    ///         holder takes the whole stake) for withdrawal, so that every share can always be redeemed, even one
    ///         whose value rounds to zero.
    /// @dev Requirements: the caller holds shares (`Registry_ZeroAmount`). As `requestUnstake`, the part of the value
    ///      locked in open slots stays at risk. Emits `UnbondRequested`, `ExitAtRisk` when part of it stays locked,
    ///      possibly `EligibilityChanged`.
    /// @param prover The pool.
    function requestUnstakeAll(address prover) external;

    /// @notice Pays the operator's own pending unbond. Same as `withdrawFrom(msg.sender)`.
    /// @dev Requirements and events as `withdrawFrom`.
    function withdraw() external;

    /// @notice Pays `msg.sender`'s whole pending unbond from `prover`'s pool, and what its exits' at-risk parts have
    ///         been released so far, once its release time has passed. Works while paused: withdrawals after the
    ///         delay are never blocked.
    /// @dev Requirements: something pending or released (`Registry_NothingToWithdraw`), `block.timestamp >=
    ///      releaseTime` (`Registry_UnbondingNotElapsed`). Emits `Withdrawn`.
    /// @param prover The pool.
    function withdrawFrom(address prover) external;

    /// @notice Pays committee exit `exitId` (see `committeeExitsOf`) to the member that left: what it left at risk in
    ///         the committee pool's open slots, less its part of the slashes of those slots after it left (exact: the
    ///         slots drawn after it left cost it nothing). Anyone may call it; the tokens go to the member. It walks
    ///         the cohorts of locks the exit shared, at most `maxCohorts` per call (about 10k gas each), so a long
    ///         walk can be split over several calls.
    /// @dev Requirements: the exit exists (`Registry_UnknownCommitteeExit`) and is not paid
    ///      (`Registry_NothingToWithdraw`); `block.timestamp >= releaseTime` (`Registry_UnbondingNotElapsed`); every
    ///      slot it shared has ended (`Registry_CommitteeLocksOpen`: settle them first). Emits `CommitteeExitProgress`
    ///      or `CommitteeExitPaid`. Works while paused.
    /// @param exitId The exit (from `CommitteeExitQueued`).
    /// @param maxCohorts Most cohorts to walk in this call.
    /// @return paid Whether the exit was paid (false: call again).
    function withdrawCommitteeExit(uint256 exitId, uint256 maxCohorts) external returns (bool paid);

    /// @notice Ids of the committee-pool exits of `staker` that left tokens at risk (paid or not).
    function committeeExitsOf(address staker) external view returns (uint256[] memory);

    /// @notice Committee exit `exitId` now (`CommitteeExitInfo`; all zero for an unknown id).
    function committeeExit(uint256 exitId) external view returns (CommitteeExitInfo memory);

    /// @notice Sets the least stake a third party may hold in the caller's pool (0: any, the default): a staker's
    ///         first stake must reach it and a partial exit must leave at least it (or leave entirely). It prices the
    ///         griefing open to a stranger with dust in the pool: an exit that puts a wei at risk in a locked pool
    ///         (which keeps the pool from being drawn until its locks end), and a dust position that stays to collect
    ///         the rewards still vesting when everyone else leaves. Applies to positions opened or reduced from now on.
    /// @dev Requirements: registered (`Registry_NotRegistered`). Emits `MinStakeChanged`.
    /// @param minStake Tokens in base units.
    function setMinStake(uint256 minStake) external;

    /// @notice The least stake a third party may hold in `prover`'s pool (base units; 0: any).
    function minStakeOf(address prover) external view returns (uint256);

    /// @notice Sets the operator's commission (basis points of each of its payouts it keeps; the rest goes to the
    ///         pool, pro rata to all shares, its own included). A decrease applies at once; an increase applies
    ///         after `unbondingDelay()`, so stakers can leave before it bites.
    /// @dev Requirements: registered (`Registry_NotRegistered`); `commissionBps <= 10000`
    ///      (`Registry_InvalidCommission`). Emits `CommissionChanged`.
    /// @param commissionBps New commission in basis points.
    function setCommission(uint16 commissionBps) external;

    /// @notice Opts `msg.sender` into circuit `circuitId`: from now on it may be drawn as designate of the
    ///         circuit's slots and sits in their committees, on the circuit's terms (minimum proof price, prove-window
    ///         bounds; `ProcurementMarket.circuitTerms`). A prover is never drawn for a circuit it did not opt into.
    /// @dev Requirements: registered (`Registry_NotRegistered`); the market knows the circuit
    ///      (`Registry_UnknownCircuit`); not opted in already (`Registry_AlreadyOptedIn`); fewer than
    ///      `MAX_CIRCUITS_PER_PROVER` circuits (`Registry_TooManyCircuits`). Emits `OptedIn`, and `EligibilityChanged`
    ///      when the prover is bonded-eligible.
    /// @param circuitId The market's circuit id.
    function optIn(uint256 circuitId) external;

    /// @notice Opts `msg.sender` out of circuit `circuitId`: no new slot of the circuit draws it or counts it in
    ///         its committee, at once; the slots already open keep its duties (designate) and rights (committee).
    /// @dev Requirements: opted in (`Registry_NotOptedIn`). Emits `OptedOut`, possibly `EligibilityChanged`.
    /// @param circuitId The market's circuit id.
    function optOut(uint256 circuitId) external;

    /// @notice Leaves jail after a slash, once the jail cool-down has passed and the pool's free stake is back at
    ///         `minBond()` or above.
    /// @dev Requirements: jailed (`Registry_NotJailed`), `block.timestamp >= jailedAt + jailCooldown()`
    ///      (`Registry_JailCooldown`), `stake - locked >= minBond` (`Registry_BondBelowMinimum`).
    ///      Emits `Unjailed` and possibly `EligibilityChanged`.
    function unjail() external;

    /// @notice Draws a slot's designate from circuit `circuitId`'s member list with the random `word` and locks
    ///         its stake at risk (and, when `poolAmount > 0`, that much of the committee pool) in one call: what the
    ///         market's `draw` needs. Candidate k (k = 0 .. attempts-1) is the member at position
    ///         `uint256(keccak256(abi.encode(word, k))) % listLength`, `listLength` being the member list's length when
    ///         the slot opened; the first candidate that was in the circuit's set at `snapshot` (the slot's eligible
    ///         set: opting out or leaving later does not take it out) and can lock now (not jailed, no exits at risk,
    ///         `amount` free) is drawn. Member positions never move and the modulus is fixed at the opening, so the
    ///         outcome depends only on `word` and on which of the slot's provers can still lock: uniform over them
    ///         (rejection sampling); members appended later are never indexed.
    /// @dev Requirements: caller is the market. Returns address(0) and locks nothing when no candidate qualifies or
    ///      the committee pool lacks `poolAmount` free (the market cancels the slot). Emits `BondLocked`, possibly
    ///      `EligibilityChanged`.
    /// @param circuitId The slot's circuit.
    /// @param word Uniform random word (the market derives it from a block hash after the slot opened).
    /// @param snapshot The slot's eligibility epoch.
    /// @param listLength The circuit's member-list length when the slot opened (`circuitSnapshot`).
    /// @param attempts Most candidates to try.
    /// @param slotId The market's slot id.
    /// @param amount Tokens (base units) to lock from the designate's pool.
    /// @param poolAmount Tokens (base units) to lock from the committee pool (0: none).
    /// @return designate The drawn prover, or address(0).
    function drawAndLock(
        uint256 circuitId,
        uint256 word,
        uint64 snapshot,
        uint256 listLength,
        uint256 attempts,
        uint256 slotId,
        uint256 amount,
        uint256 poolAmount
    ) external returns (address designate);

    /// @notice Releases `amount` of `prover`'s locked stake and `poolAmount` of the committee pool's (slot
    ///         `slotId` can no longer fail: its designate delivered).
    /// @dev Requirements: caller is the market, each amount <= what is locked (`Registry_InsufficientLock`). Emits
    ///      `BondUnlocked` (per non-zero amount), possibly `EligibilityChanged`.
    /// @param prover The slot's designate.
    /// @param slotId The market's slot id.
    /// @param amount Tokens in base units.
    /// @param poolAmount Committee-pool tokens in base units (0: none).
    function unlock(address prover, uint256 slotId, uint256 amount, uint256 poolAmount) external;

    /// @notice Seizes `amount` of `prover`'s locked stake and `poolAmount` of the committee pool's, transfers both
    ///         to `to` and jails the prover (docs/MECHANISM.md §3: the designate failed; §6 correlated slashing). Every
    ///         share of each pool loses value pro rata, in O(1). Every slash restarts the jail cool-down.
    /// @dev Requirements: caller is the market, each amount <= what is locked (`Registry_InsufficientLock`), `to`
    ///      non-zero. Jails even when `amount == 0`. Emits `Slashed` (per pool), `Jailed` (unless already jailed) and
    ///      possibly `EligibilityChanged`.
    /// @param prover The slot's designate.
    /// @param slotId The market's slot id.
    /// @param amount Tokens in base units.
    /// @param poolAmount Committee-pool tokens in base units (0: none).
    /// @param to Receiver of the seized tokens (the market, which credits them per its failure policy).
    function slash(address prover, uint256 slotId, uint256 amount, uint256 poolAmount, address to) external;

    /// @notice Adds `amount` tokens, already transferred here by the market, to `prover`'s pool (the stakers' part
    ///         of the prover's payouts), vesting into its stake linearly over `unbondingDelay()` (`StakePools`).
    /// @dev Requirements: caller is the market; the pool has shares (`Registry_NoShares`). Emits `RewardsAdded`.
    /// @param prover The pool.
    /// @param amount Tokens in base units.
    function addRewards(address prover, uint256 amount) external;

    /// @notice The bond token.
    function token() external view returns (IERC20);

    /// @notice Minimum free stake (base units) for eligibility.
    function minBond() external view returns (uint256);

    /// @notice Least committee-pool stake (base units) an eligible prover must hold; 0: no committee pool.
    function committeeSlice() external view returns (uint256);

    /// @notice Unbonding delay in seconds.
    function unbondingDelay() external view returns (uint64);

    /// @notice The market allowed to draw and lock, unlock, slash and add rewards (fixed at construction).
    function market() external view returns (address);

    /// @notice Stake in `prover`'s pool (operator and stakers, base units), including the locked part.
    function bondOf(address prover) external view returns (uint256);

    /// @notice Rewards added to `prover`'s pool that have not vested into its stake yet (base units).
    function unvestedRewardsOf(address prover) external view returns (uint256);

    /// @notice Tokens locked in `prover`'s open slots (base units): the pool's own locked stake plus the locked
    ///         part of exits still at risk (`atRiskOf`).
    function lockedOf(address prover) external view returns (uint256);

    /// @notice Locked tokens that exited holders left in `prover`'s open slots (base units): slashed or released pro
    ///         rata with the pool's own locked stake as the slots end. While it is not zero the prover is not
    ///         drawn as designate (no new lock may mix with the exits' exposure); it keeps its committee seats.
    function atRiskOf(address prover) external view returns (uint256);

    /// @notice Every token of exits still held for `prover`'s pool: at risk, released and not yet withdrawn.
    function riskHeldOf(address prover) external view returns (uint256);

    /// @notice `staker`'s exits from `prover`'s pool that were locked when it left: `atRisk` tokens still locked in
    ///         open slots and `released` tokens the slots have freed, withdrawable (`withdrawFrom`) from its release
    ///         time (base units, rounded down).
    function riskOf(address prover, address staker) external view returns (uint256 atRisk, uint256 released);

    /// @notice Tokens of `prover`'s pool holders waiting for the unbonding delay (base units).
    function pendingUnbondOf(address prover) external view returns (uint256);

    /// @notice Stake of the pool that is not locked: `stake - locked` (base units).
    function freeBondOf(address prover) external view returns (uint256);

    /// @notice Shares of `prover`'s pool outstanding.
    function totalSharesOf(address prover) external view returns (uint256);

    /// @notice Shares `staker` holds in `prover`'s pool.
    function sharesOf(address prover, address staker) external view returns (uint256);

    /// @notice Value of `staker`'s shares in `prover`'s pool (base units, rounded down).
    function stakeOf(address prover, address staker) external view returns (uint256);

    /// @notice What an exit of all of `staker`'s stake in `prover`'s pool would queue at once: its share of the
    ///         unlocked stake (base units); the rest of its stake would stay at risk in the open slots (`riskOf`).
    function availableToUnbond(address prover, address staker) external view returns (uint256);

    /// @notice Pending unbond of `staker` from `prover`'s pool and the time (unix s) it may be withdrawn.
    function pendingOf(address prover, address staker) external view returns (uint256 amount, uint64 releaseTime);

    /// @notice Commission of `prover` in force now (basis points of each payout the operator keeps).
    function commissionOf(address prover) external view returns (uint16);

    /// @notice Whether `prover` is bonded-eligible now (registered, not jailed, free stake >= minBond, committee
    ///         slice held); it is eligible for a circuit when it is also opted into it (`isEligibleFor`).
    function isEligible(address prover) external view returns (bool);

    /// @notice Whether `prover` is in circuit `circuitId`'s eligible set now.
    function isEligibleFor(address prover, uint256 circuitId) external view returns (bool);

    /// @notice Whether `prover` is opted into circuit `circuitId`.
    function isOptedIn(address prover, uint256 circuitId) external view returns (bool);

    /// @notice The circuits `prover` is opted into (at most `MAX_CIRCUITS_PER_PROVER`, in no particular order).
    function circuitsOf(address prover) external view returns (uint256[] memory);

    /// @notice Whether `prover` was registered.
    function isRegistered(address prover) external view returns (bool);

    /// @notice Whether `prover` is jailed.
    function isJailed(address prover) external view returns (bool);

    /// @notice Seconds a slashed prover stays jailed at least.
    function jailCooldown() external view returns (uint64);

    /// @notice Number of provers eligible for circuit `circuitId` now (n of a slot opened now).
    function eligibleCount(uint256 circuitId) external view returns (uint256);

    /// @notice n, the eligibility epoch and the member-list length of a slot of circuit `circuitId` opened now (one
    ///         call for `openSlot`; the draw samples the first `listLength` members).
    function circuitSnapshot(uint256 circuitId) external view returns (uint256 n, uint64 snapshot, uint256 listLength);

    /// @notice Length of circuit `circuitId`'s append-only member list (provers ever eligible for it).
    function memberCount(uint256 circuitId) external view returns (uint256);

    /// @notice The `index`-th prover of circuit `circuitId`'s member list (0-based; positions never change).
    /// @dev Reverts `Registry_IndexOutOfRange` when `index >= memberCount(circuitId)`.
    function memberAt(uint256 circuitId, uint256 index) external view returns (address);

    /// @notice Current eligibility epoch: bumped by one on every change of a circuit's eligible set. A slot
    ///         stores it as its snapshot.
    function eligibilityEpoch() external view returns (uint64);

    /// @notice Whether `prover` was in circuit `circuitId`'s eligible set at eligibility epoch `snapshot` (O(1)).
    /// @dev Exact for the prover's latest interval; see the contract notes for the corner cases (a prover that left
    ///      and re-entered the set after `snapshot` is reported false).
    /// @param prover The prover.
    /// @param circuitId The slot's circuit.
    /// @param snapshot An eligibility epoch, as recorded by a slot when it opened.
    function isEligibleForSlot(address prover, uint256 circuitId, uint256 snapshot) external view returns (bool);

    /// @notice Full state of `prover`'s pool (all zero / empty for an unknown address).
    function getProver(address prover) external view returns (ProverInfo memory info);
}
