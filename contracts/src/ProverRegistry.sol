// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @dev Pseudo-prover whose pool holds the committee members' slices for correlated slashing (MECHANISM.md §6,
///      Rem. 3.10): every eligible prover stakes at least `committeeSlice()` into it (`stakeTo(COMMITTEE_POOL,
///      amount)`), the market locks a fixed amount of it per slot and seizes that amount when the designate fails,
///      so every slice loses the same fraction (share price, O(1)). It is never eligible, never jailed, never paid.
address constant COMMITTEE_POOL_ADDRESS = address(uint160(uint256(keccak256("procura.committee-pool"))));

/// @title ProverRegistry
/// @notice Registration, bonds (the operator's and its stakers'), unbonding, commission, eligibility and jail of
///         Procura provers (DESIGN.md §3). All amounts are in ERC-20 base units of `token()`; times are unix seconds.
/// @dev Every prover has one stake pool: `stake` tokens owned by `totalShares` shares. The operator (the prover's
///      own address) and any staker hold shares of it (`bond` = stake into one's own pool, `stakeTo` = stake into
///      another's). A slash lowers `stake` and therefore the value of every share pro rata; rewards the operator
///      shares (everything above its commission) raise it pro rata — both in O(1), nothing loops over stakers.
///      `bondOf(prover)` is the pool's stake. `locked` (<= stake) is the part at risk in open slots; an unbond
///      request moves tokens out of the pool into the requester's pending queue (no longer slashable, no longer
///      counted for eligibility), from which `withdraw` pays after `unbondingDelay()`. Each account may unbond at
///      most its pro-rata share of the pool's unlocked stake: shares * (stake - locked) / totalShares, so locked
///      bonds cannot leave and the locked part stays spread over all holders.
///
///      Rewards the market adds (`addRewards`, the stakers' part of payouts) vest into a pool's stake linearly over
///      `unbondingDelay()`, so they go to whoever holds shares while they vest, not to a staker who joins just
///      before they are added and leaves right after (just-in-time sniping).
///
///      Token balance of this contract = sum over provers of (stake + unvested rewards + totalPending) (invariant
///      tested).
///
///      Eligibility: registered, not jailed, `stake - locked >= minBond` and, when `committeeSlice() > 0`, shares
///      in the `COMMITTEE_POOL` (a first stake into it must be at least `committeeSlice()`). The market never lets `slotBond`
///      exceed `minBond`, so every eligible prover can lock a full `slotBond` and the stake at risk of a slot is
///      always exactly the market's `slotBond` (what `payment-rules` is told, MECHANISM.md §6). Eligible provers
///      sit in an array with an index map (swap-remove), so `eligibleCount()` and `eligibleProverAt(i)` are O(1).
///
///      Slot snapshots (`isEligibleForSlot`): a global counter `eligibilityEpoch()` is bumped on every change of
///      the eligible set. A prover entering the set at epoch `e` stores `eligibleSince = e` and clears
///      `ineligibleSince`; leaving it at epoch `e` stores `ineligibleSince = e`. A slot records the epoch `S`
///      current when it opens; the set at `S` is exactly the provers with
///      `eligibleSince != 0 && eligibleSince <= S && (ineligibleSince == 0 || ineligibleSince > S)`.
///      Corner cases: (1) the answer is exact for the prover's latest eligibility interval; (2) a prover that was
///      in the set at `S`, then left and re-entered it (jailed and unjailed, or its free stake dipped below
///      `minBond` while locked in many slots) only keeps its latest interval, so it is reported NOT eligible for `S`
///      any more: a false negative that only ever costs that prover, never a false positive; (3) changes made
///      earlier in the same transaction or block as `openSlot` are included in the snapshot.
contract ProverRegistry is Ownable2Step, Pausable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Commission is in basis points of a payout; 10000 = the operator keeps everything (the default).
    uint16 public constant MAX_COMMISSION_BPS = 10_000;
    /// @notice The committee pool's pseudo-prover address (see the file-level `COMMITTEE_POOL`).
    address public constant COMMITTEE_POOL = COMMITTEE_POOL_ADDRESS;

    /// @notice Full state of one prover's pool, as returned by `getProver`.
    /// @param registered True once `register` was called.
    /// @param jailed True after a slash until `unjail`.
    /// @param endpoint Agent endpoint (URL) announced by the operator.
    /// @param vrfPublicKeyHash keccak256 of the prover's VRF public key (private committee coins).
    /// @param bond Tokens in the pool (operator and stakers, base units), including the locked part.
    /// @param locked Tokens of the pool at risk in open slots (base units).
    /// @param pendingUnbond Tokens of this pool's holders waiting for the unbonding delay (base units).
    /// @param unbondReleaseTime Unix time (s) from which the operator's own pending unbond can be withdrawn.
    /// @param eligibleSince Eligibility epoch at which the prover last entered the eligible set (0: never).
    /// @param ineligibleSince Eligibility epoch at which it last left the set (0: not since it last entered).
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
        uint64 eligibleSince;
        uint64 ineligibleSince;
        uint256 totalShares;
        uint16 commissionBps;
    }

    // ---------------------------------------------------------------- errors
    /// @notice A constructor argument or `setMarket` argument is the zero address / zero value.
    error Registry_ZeroAddress();
    /// @notice The unbonding delay must be positive.
    error Registry_ZeroUnbondingDelay();
    /// @notice `setMarket` was already called; the market is set once.
    error Registry_MarketAlreadySet(address market);
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
    /// @notice `unjail` while `stake - locked < minBond`.
    error Registry_BondBelowMinimum(address prover, uint256 effectiveBond, uint256 minBond);
    /// @notice The market tried to lock more than the pool's free stake.
    error Registry_InsufficientFreeBond(address prover, uint256 requested, uint256 free);
    /// @notice The market tried to unlock or slash more than is locked.
    error Registry_InsufficientLock(address prover, uint256 requested, uint256 locked);
    /// @notice `eligibleProverAt` index out of range.
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
    /// @notice The prover entered (`eligible = true`) or left the eligible set at eligibility epoch `epoch`.
    event EligibilityChanged(address indexed prover, bool eligible, uint64 epoch);
    /// @notice The market (sole caller of lock/unlock/slash/addRewards) was set.
    event MarketSet(address indexed market);

    // ---------------------------------------------------------------- storage
    /// @dev Packed so that the market's calls touch few words: word 0 (flags, commission, eligibility marks) is
    ///      all `isEligibleForSlot` reads; word 1 (stake, locked) is all `lock`/`unlock` change, and it is non-zero
    ///      whenever a bond exists, so a lock never pays for a fresh storage word. Amounts fit in 128 bits (SafeCast).
    struct ProverState {
        bool registered;
        bool jailed;
        uint16 commissionBps;
        uint16 nextCommissionBps;
        uint64 commissionEffectiveTime;
        uint64 eligibleSince;
        uint64 ineligibleSince;
        uint128 stake;
        uint128 locked;
        uint256 totalShares;
        uint128 totalPending;
        uint64 generation;
        bytes32 vrfPublicKeyHash;
        string endpoint;
    }

    /// @dev Rewards added to a pool that have not vested into its stake yet: `unvested` vests linearly from
    ///      `updated` to `end` (unix s).
    struct RewardStream {
        uint128 unvested;
        uint64 updated;
        uint64 end;
    }

    /// @dev `shares` count only while `generation` equals the pool's (a pool slashed to zero starts a new one).
    struct StakerState {
        uint256 shares;
        uint256 pending;
        uint64 releaseTime;
        uint64 generation;
    }

    IERC20 private immutable _token;
    uint256 private immutable _minBond;
    uint64 private immutable _unbondingDelay;
    uint256 private immutable _committeeSlice;

    address private _market;
    uint64 private _epoch;
    mapping(address prover => ProverState) private _provers;
    mapping(address prover => mapping(address staker => StakerState)) private _stakers;
    address[] private _eligible;
    /// @dev 1-based position in `_eligible`; 0 means not eligible.
    mapping(address prover => uint256) private _eligibleIndex;
    mapping(address prover => RewardStream) private _streams;

    /// @param token_ Bond token (ERC-20).
    /// @param minBond_ Minimum free stake (base units) to be eligible; 0 makes every registered, non-jailed prover
    ///        eligible (and forces the market's slot bond to 0).
    /// @param unbondingDelay_ Seconds between an unbond request and its withdrawal; must be positive and longer
    ///        than any slot's prove window (the market enforces `proveWindow < unbondingDelay`).
    /// @param committeeSlice_ Least stake (base units) a prover must have in the committee pool to be eligible; 0
    ///        disables the committee pool (and with it the market's correlated slashing).
    /// @param owner_ Owner (sets the market once, pauses new registrations and stake).
    /// @dev Reverts `Registry_ZeroAddress` (zero token), `Registry_ZeroUnbondingDelay`, `OwnableInvalidOwner`.
    constructor(IERC20 token_, uint256 minBond_, uint64 unbondingDelay_, uint256 committeeSlice_, address owner_)
        Ownable(owner_)
    {
        if (address(token_) == address(0)) revert Registry_ZeroAddress();
        if (unbondingDelay_ == 0) revert Registry_ZeroUnbondingDelay();
        _token = token_;
        _minBond = minBond_;
        _unbondingDelay = unbondingDelay_;
        _committeeSlice = committeeSlice_;
        if (committeeSlice_ != 0) _provers[COMMITTEE_POOL].registered = true; // a pool anyone may stake into
    }

    modifier onlyMarket() {
        if (msg.sender != _market || msg.sender == address(0)) revert Registry_NotMarket(msg.sender);
        _;
    }

    // ---------------------------------------------------------------- admin
    /// @notice Sets the market contract, the only caller of `lock`, `unlock`, `slash` and `addRewards`. One time only.
    /// @dev Requirements: caller is the owner; `market_` non-zero (`Registry_ZeroAddress`); not set before
    ///      (`Registry_MarketAlreadySet`). Emits `MarketSet`.
    /// @param market_ The ProcurementMarket address.
    function setMarket(address market_) external onlyOwner {
        if (market_ == address(0)) revert Registry_ZeroAddress();
        if (_market != address(0)) revert Registry_MarketAlreadySet(_market);
        _market = market_;
        emit MarketSet(market_);
    }

    /// @notice Stops new registrations and new stake (emergency). Unbonding, withdrawals, unjail and everything
    ///         the market does keep working, so no funds can be held hostage by a pause.
    /// @dev Requirements: owner; not paused. Emits `Paused`.
    function pause() external onlyOwner {
        _pause();
    }

    /// @notice Lifts `pause`.
    /// @dev Requirements: owner; paused. Emits `Unpaused`.
    function unpause() external onlyOwner {
        _unpause();
    }

    // ---------------------------------------------------------------- prover and staker operations
    /// @notice Registers `msg.sender` as a prover (commission 100%: the operator keeps all payouts until it lowers it).
    /// @dev Requirements: not paused; not registered before (`Registry_AlreadyRegistered`). Emits `ProverRegistered`,
    ///      and `EligibilityChanged` when `minBond == 0`.
    /// @param endpoint Agent endpoint URL (free text, informational).
    /// @param vrfPublicKeyHash keccak256 of the VRF public key the prover uses for its committee coins.
    function register(string calldata endpoint, bytes32 vrfPublicKeyHash) external whenNotPaused {
        ProverState storage s = _provers[msg.sender];
        if (s.registered) revert Registry_AlreadyRegistered(msg.sender);
        s.registered = true;
        s.endpoint = endpoint;
        s.vrfPublicKeyHash = vrfPublicKeyHash;
        s.commissionBps = MAX_COMMISSION_BPS;
        s.nextCommissionBps = MAX_COMMISSION_BPS;
        emit ProverRegistered(msg.sender, endpoint, vrfPublicKeyHash);
        _refreshEligibility(msg.sender);
    }

    /// @notice Adds `amount` tokens (base units) from `msg.sender` (who must have approved this contract) to its own
    ///         pool (the operator's bond). Same as `stakeTo(msg.sender, amount)`.
    /// @dev Requirements as `stakeTo`. Emits `Bonded`, possibly `EligibilityChanged`.
    /// @param amount Tokens in base units.
    function bond(uint256 amount) external nonReentrant whenNotPaused {
        _stake(msg.sender, msg.sender, amount);
    }

    /// @notice Stakes `amount` tokens (base units) from `msg.sender` behind `prover`: mints shares at the pool's
    ///         share price (rounded down, in favour of the pool). The staker shares the prover's slashes and the
    ///         rewards it passes on (everything above its commission).
    /// @dev Requirements: not paused; `prover` registered (`Registry_NotRegistered`); `amount > 0`
    ///      (`Registry_ZeroAmount`); at least one share minted
    ///      (`Registry_ZeroShares`); the ERC-20 transfer succeeds. Emits `Bonded`, possibly `EligibilityChanged`.
    /// @param prover The prover whose pool receives the stake.
    /// @param amount Tokens in base units.
    function stakeTo(address prover, uint256 amount) external nonReentrant whenNotPaused {
        _stake(prover, msg.sender, amount);
    }

    /// @notice Queues `amount` of the operator's own stake for withdrawal. Same as `requestUnstake(msg.sender, amount)`.
    /// @dev Requirements and events as `requestUnstake`.
    /// @param amount Tokens in base units.
    function requestUnbond(uint256 amount) external {
        _requestUnstake(msg.sender, msg.sender, amount);
    }

    /// @notice Queues `amount` tokens of `msg.sender`'s stake in `prover`'s pool for withdrawal after
    ///         `unbondingDelay()` seconds. The tokens leave the pool at once (they stop counting for eligibility and
    ///         can no longer be slashed); shares burnt are rounded up (in favour of the pool). Each request restarts
    ///         the delay for the account's whole pending amount. The last holder of a pool takes its whole stake.
    /// @dev Requirements: `amount > 0`; `amount <= shares * (stake - locked) / totalShares`
    ///      (`Registry_InsufficientAvailableBond`: locked stake cannot leave). Emits `UnbondRequested`, possibly
    ///      `EligibilityChanged`.
    /// @param prover The pool.
    /// @param amount Tokens in base units.
    function requestUnstake(address prover, uint256 amount) external {
        _requestUnstake(prover, msg.sender, amount);
    }

    /// @notice Burns all of `msg.sender`'s shares in `prover`'s pool and queues their value (rounded down; the last
    ///         holder takes the whole stake) for withdrawal, so that every share can always be redeemed, even one
    ///         whose value rounds to zero.
    /// @dev Requirements: the caller holds shares (`Registry_ZeroAmount`); their value is within the caller's
    ///      share of the unlocked stake (`Registry_InsufficientAvailableBond`: none of it may be locked, unless the
    ///      caller's part of the lock rounds away). Emits `UnbondRequested`, possibly `EligibilityChanged`.
    /// @param prover The pool.
    function requestUnstakeAll(address prover) external {
        _requestUnstakeAll(prover, msg.sender);
    }

    /// @notice Pays the operator's own pending unbond. Same as `withdrawFrom(msg.sender)`.
    /// @dev Requirements and events as `withdrawFrom`.
    function withdraw() external nonReentrant {
        _withdraw(msg.sender, msg.sender);
    }

    /// @notice Pays `msg.sender`'s whole pending unbond from `prover`'s pool once its release time has passed.
    ///         Works while paused: withdrawals after the delay are never blocked.
    /// @dev Requirements: something pending (`Registry_NothingToWithdraw`), `block.timestamp >= releaseTime`
    ///      (`Registry_UnbondingNotElapsed`). Emits `Withdrawn`.
    /// @param prover The pool.
    function withdrawFrom(address prover) external nonReentrant {
        _withdraw(prover, msg.sender);
    }

    /// @notice Sets the operator's commission (basis points of each of its payouts it keeps; the rest goes to the
    ///         pool, pro rata to all shares, its own included). A decrease applies at once; an increase applies
    ///         after `unbondingDelay()`, so stakers can leave before it bites.
    /// @dev Requirements: registered (`Registry_NotRegistered`); `commissionBps <= 10000`
    ///      (`Registry_InvalidCommission`). Emits `CommissionChanged`.
    /// @param commissionBps New commission in basis points.
    function setCommission(uint16 commissionBps) external {
        ProverState storage s = _provers[msg.sender];
        if (!s.registered) revert Registry_NotRegistered(msg.sender);
        if (commissionBps > MAX_COMMISSION_BPS) revert Registry_InvalidCommission(commissionBps);
        uint16 current = _commission(s);
        // A decrease applies now; an increase only after the unbonding delay (stakers may leave first).
        uint64 effective = commissionBps > current ? uint64(block.timestamp) + _unbondingDelay : uint64(block.timestamp);
        s.commissionBps = current;
        s.nextCommissionBps = commissionBps;
        s.commissionEffectiveTime = effective;
        emit CommissionChanged(msg.sender, commissionBps, effective);
    }

    /// @notice Leaves jail after a slash, once the pool's free stake is back at `minBond()` or above.
    /// @dev Requirements: jailed (`Registry_NotJailed`), `stake - locked >= minBond` (`Registry_BondBelowMinimum`).
    ///      Emits `Unjailed` and `EligibilityChanged`.
    function unjail() external {
        _drip(msg.sender);
        ProverState storage s = _provers[msg.sender];
        if (!s.jailed) revert Registry_NotJailed(msg.sender);
        uint256 effective = s.stake - s.locked;
        if (effective < _minBond) revert Registry_BondBelowMinimum(msg.sender, effective, _minBond);
        s.jailed = false;
        emit Unjailed(msg.sender);
        _refreshEligibility(msg.sender);
    }

    // ---------------------------------------------------------------- market-only
    /// @notice Locks `amount` of `prover`'s pool for slot `slotId` (the stake at risk B).
    /// @dev Requirements: caller is the market (`Registry_NotMarket`), `amount <= stake - locked`
    ///      (`Registry_InsufficientFreeBond`). Emits `BondLocked`, possibly `EligibilityChanged`.
    /// @param prover The slot's designate.
    /// @param slotId The market's slot id (for the event; the market keeps the per-slot amount).
    /// @param amount Tokens in base units.
    function lock(address prover, uint256 slotId, uint256 amount) external onlyMarket {
        _lock(prover, slotId, amount);
    }

    /// @notice Draws a slot's designate and locks its stake at risk in one call (what `openSlot` needs from the
    ///         registry): n = eligibleCount(), snapshot = eligibilityEpoch() before the lock, designate =
    ///         eligibleProverAt(word % n), then `lock(designate, slotId, amount)`.
    /// @dev Requirements: caller is the market. With no eligible prover it returns (address(0), 0, epoch) and locks
    ///      nothing (the market reverts). Emits `BondLocked`, possibly `EligibilityChanged`.
    /// @param word Uniform random word (the market derives it from `block.prevrandao`).
    /// @param slotId The market's slot id.
    /// @param amount Tokens (base units) to lock from the designate's pool.
    /// @return designate The drawn prover.
    /// @return n Eligible provers before the lock.
    /// @return snapshot Eligibility epoch before the lock (the slot's committee is the eligible set at it).
    function drawAndLock(uint256 word, uint256 slotId, uint256 amount)
        external
        onlyMarket
        returns (address designate, uint256 n, uint64 snapshot)
    {
        n = _eligible.length;
        snapshot = _epoch;
        if (n == 0) return (address(0), 0, snapshot);
        designate = _eligible[word % n];
        _lock(designate, slotId, amount);
    }

    /// @notice Releases `amount` of the pool's locked stake (slot `slotId` ended well).
    /// @dev Requirements: caller is the market, `amount <= locked` (`Registry_InsufficientLock`). Emits `BondUnlocked`,
    ///      possibly `EligibilityChanged`.
    /// @param prover The slot's designate.
    /// @param slotId The market's slot id.
    /// @param amount Tokens in base units.
    function unlock(address prover, uint256 slotId, uint256 amount) external onlyMarket {
        ProverState storage s = _provers[prover];
        if (amount > s.locked) revert Registry_InsufficientLock(prover, amount, s.locked);
        s.locked -= uint128(amount); // <= locked
        emit BondUnlocked(prover, slotId, amount);
        _refreshEligibility(prover);
    }

    /// @notice Seizes `amount` of the pool's locked stake, transfers it to `to` and jails the prover
    ///         (MECHANISM.md §3: the designate failed; Rem. 3.9 slashing as insurance). Every share of the pool
    ///         loses value pro rata, in O(1).
    /// @dev Requirements: caller is the market, `amount <= locked`, `to` non-zero. Jails even when `amount == 0`.
    ///      Emits `Slashed`, `Jailed` (unless already jailed) and possibly `EligibilityChanged`.
    /// @param prover The slot's designate.
    /// @param slotId The market's slot id.
    /// @param amount Tokens in base units.
    /// @param to Receiver of the seized tokens (the market, which credits them per its failure policy).
    function slash(address prover, uint256 slotId, uint256 amount, address to) external onlyMarket nonReentrant {
        if (to == address(0)) revert Registry_ZeroAddress();
        ProverState storage s = _provers[prover];
        if (amount > s.locked) revert Registry_InsufficientLock(prover, amount, s.locked);
        s.locked -= uint128(amount); // <= locked
        s.stake -= uint128(amount);
        _vestAllIfEmptied(prover);
        emit Slashed(prover, slotId, amount, to);
        if (!s.jailed && prover != COMMITTEE_POOL) {
            s.jailed = true;
            emit Jailed(prover);
        }
        _refreshEligibility(prover);
        if (amount != 0) _token.safeTransfer(to, amount);
    }

    /// @notice Adds `amount` tokens, already transferred here by the market, to `prover`'s pool (the stakers' part
    ///         of the prover's payouts). They vest into the pool's stake linearly over `unbondingDelay()` (what was
    ///         still unvested is stretched over the new period too), every share gaining pro rata as they vest. A
    ///         staker who joins just before rewards are added and leaves right after therefore gets only what vested
    ///         while it held shares (and was exposed to slashes): no just-in-time sniping of rewards earned earlier.
    /// @dev Requirements: caller is the market; the pool has shares (`Registry_NoShares`). Emits `RewardsAdded`.
    /// @param prover The pool.
    /// @param amount Tokens in base units.
    function addRewards(address prover, uint256 amount) external onlyMarket {
        ProverState storage s = _provers[prover];
        if (s.totalShares == 0) revert Registry_NoShares(prover);
        _drip(prover);
        RewardStream storage r = _streams[prover];
        uint256 unvested = r.unvested + amount;
        uint64 end = uint64(block.timestamp) + _unbondingDelay;
        r.unvested = SafeCast.toUint128(unvested);
        r.updated = uint64(block.timestamp);
        r.end = end;
        emit RewardsAdded(prover, amount, unvested, end);
    }

    // ---------------------------------------------------------------- views
    /// @notice The bond token.
    function token() external view returns (IERC20) {
        return _token;
    }

    /// @notice Minimum free stake (base units) for eligibility.
    function minBond() external view returns (uint256) {
        return _minBond;
    }

    /// @notice Least committee-pool stake (base units) an eligible prover must hold; 0: no committee pool.
    function committeeSlice() external view returns (uint256) {
        return _committeeSlice;
    }

    /// @notice Unbonding delay in seconds.
    function unbondingDelay() external view returns (uint64) {
        return _unbondingDelay;
    }

    /// @notice The market allowed to lock, unlock, slash and add rewards (zero until `setMarket`).
    function market() external view returns (address) {
        return _market;
    }

    /// @notice Stake in `prover`'s pool (operator and stakers, base units), including the locked part.
    function bondOf(address prover) external view returns (uint256) {
        return _stakeNow(prover);
    }

    /// @notice Rewards added to `prover`'s pool that have not vested into its stake yet (base units).
    function unvestedRewardsOf(address prover) external view returns (uint256) {
        return _streams[prover].unvested - _vested(prover);
    }

    /// @notice Stake of `prover`'s pool locked in open slots (base units).
    function lockedOf(address prover) external view returns (uint256) {
        return _provers[prover].locked;
    }

    /// @notice Tokens of `prover`'s pool holders waiting for the unbonding delay (base units).
    function pendingUnbondOf(address prover) external view returns (uint256) {
        return _provers[prover].totalPending;
    }

    /// @notice Stake of the pool that is not locked: `stake - locked` (base units).
    function freeBondOf(address prover) external view returns (uint256) {
        return _stakeNow(prover) - _provers[prover].locked;
    }

    /// @notice Shares of `prover`'s pool outstanding.
    function totalSharesOf(address prover) external view returns (uint256) {
        return _provers[prover].totalShares;
    }

    /// @notice Shares `staker` holds in `prover`'s pool.
    function sharesOf(address prover, address staker) public view returns (uint256) {
        StakerState storage st = _stakers[prover][staker];
        return st.generation == _provers[prover].generation ? st.shares : 0;
    }

    /// @notice Value of `staker`'s shares in `prover`'s pool (base units, rounded down).
    function stakeOf(address prover, address staker) external view returns (uint256) {
        ProverState storage s = _provers[prover];
        if (s.totalShares == 0) return 0;
        return Math.mulDiv(sharesOf(prover, staker), _stakeNow(prover), s.totalShares);
    }

    /// @notice Most `staker` may unbond from `prover`'s pool now: its share of the unlocked stake (base units).
    function availableToUnbond(address prover, address staker) public view returns (uint256) {
        ProverState storage s = _provers[prover];
        if (s.totalShares == 0) return 0;
        return Math.mulDiv(sharesOf(prover, staker), _stakeNow(prover) - s.locked, s.totalShares);
    }

    /// @notice Pending unbond of `staker` from `prover`'s pool and the time (unix s) it may be withdrawn.
    function pendingOf(address prover, address staker) external view returns (uint256 amount, uint64 releaseTime) {
        StakerState storage st = _stakers[prover][staker];
        return (st.pending, st.releaseTime);
    }

    /// @notice Commission of `prover` in force now (basis points of each payout the operator keeps).
    function commissionOf(address prover) external view returns (uint16) {
        return _commission(_provers[prover]);
    }

    /// @notice Whether `prover` is in the eligible set now.
    function isEligible(address prover) external view returns (bool) {
        return _eligibleIndex[prover] != 0;
    }

    /// @notice Whether `prover` was registered.
    function isRegistered(address prover) external view returns (bool) {
        return _provers[prover].registered;
    }

    /// @notice Whether `prover` is jailed.
    function isJailed(address prover) external view returns (bool) {
        return _provers[prover].jailed;
    }

    /// @notice Number of eligible provers now (n of a slot opened now).
    function eligibleCount() external view returns (uint256) {
        return _eligible.length;
    }

    /// @notice The `index`-th eligible prover (0-based; order changes on every swap-remove).
    /// @dev Reverts `Registry_IndexOutOfRange` when `index >= eligibleCount()`.
    function eligibleProverAt(uint256 index) external view returns (address) {
        if (index >= _eligible.length) revert Registry_IndexOutOfRange(index, _eligible.length);
        return _eligible[index];
    }

    /// @notice Current eligibility epoch: bumped by one on every change of the eligible set. A slot stores it
    ///         as its snapshot.
    function eligibilityEpoch() external view returns (uint64) {
        return _epoch;
    }

    /// @notice Whether `prover` was in the eligible set at eligibility epoch `snapshot` (O(1)).
    /// @dev Exact for the prover's latest eligibility interval; see the contract notes for the corner cases
    ///      (a prover that left and re-entered the set after `snapshot` is reported false).
    /// @param prover The prover.
    /// @param snapshot An eligibility epoch, as recorded by a slot when it opened.
    function isEligibleForSlot(address prover, uint256 snapshot) external view returns (bool) {
        ProverState storage s = _provers[prover];
        uint256 since = s.eligibleSince;
        if (since == 0 || since > snapshot) return false;
        uint256 until = s.ineligibleSince;
        return until == 0 || until > snapshot;
    }

    /// @notice Full state of `prover`'s pool (all zero / empty for an unknown address).
    function getProver(address prover) external view returns (ProverInfo memory info) {
        ProverState storage s = _provers[prover];
        info = ProverInfo({
            registered: s.registered,
            jailed: s.jailed,
            endpoint: s.endpoint,
            vrfPublicKeyHash: s.vrfPublicKeyHash,
            bond: _stakeNow(prover),
            locked: s.locked,
            pendingUnbond: s.totalPending,
            unbondReleaseTime: _stakers[prover][prover].releaseTime,
            eligibleSince: s.eligibleSince,
            ineligibleSince: s.ineligibleSince,
            totalShares: s.totalShares,
            commissionBps: _commission(s)
        });
    }

    // ---------------------------------------------------------------- internal
    function _stake(address prover, address staker, uint256 amount) private {
        ProverState storage s = _provers[prover];
        if (!s.registered) revert Registry_NotRegistered(prover);
        if (amount == 0) revert Registry_ZeroAmount();
        _drip(prover); // shares are priced with every reward vested so far
        _vestAllIfEmptied(prover);
        if (prover == COMMITTEE_POOL && amount < _committeeSlice && sharesOf(prover, staker) == 0) {
            revert Registry_CommitteeSliceTooSmall(amount, _committeeSlice);
        }
        uint256 total = s.totalShares;
        uint256 shares;
        if (total == 0) {
            // Fresh pool (or one whose last holder left with everything): one share per base unit. Any stake left
            // without shares cannot exist: the last holder's unbond takes the whole stake.
            shares = amount + s.stake;
        } else if (s.stake == 0) {
            // Slashed to zero: the old shares are worth nothing. Start a new generation of shares in O(1) (old
            // holders' shares stop counting) instead of refusing new stake forever.
            s.generation += 1;
            total = 0;
            shares = amount;
        } else {
            shares = Math.mulDiv(amount, total, s.stake);
            if (shares == 0) revert Registry_ZeroShares(prover, amount);
        }
        s.totalShares = total + shares;
        s.stake += SafeCast.toUint128(amount);
        StakerState storage st = _stakers[prover][staker];
        if (st.generation != s.generation) {
            st.generation = s.generation;
            st.shares = 0;
        }
        st.shares += shares;
        emit Bonded(prover, amount, s.stake, staker, shares);
        _refreshEligibility(prover == COMMITTEE_POOL ? staker : prover);
        _token.safeTransferFrom(staker, address(this), amount);
    }

    function _requestUnstake(address prover, address staker, uint256 amount) private {
        if (amount == 0) revert Registry_ZeroAmount();
        _drip(prover);
        ProverState storage s = _provers[prover];
        uint256 available = availableToUnbond(prover, staker);
        if (amount > available) revert Registry_InsufficientAvailableBond(staker, amount, available);
        uint256 total = s.totalShares;
        uint256 burn = Math.mulDiv(amount, total, s.stake, Math.Rounding.Ceil);
        uint256 shares = _stakers[prover][staker].shares;
        // Shares that would be left worth nothing are burnt too (their dust stays with the pool), so no holder
        // is ever left with shares it cannot redeem.
        if (burn < shares && Math.mulDiv(shares - burn, s.stake - amount, total - burn) == 0) burn = shares;
        if (burn >= total) {
            // The last holder leaves: it takes the whole (unlocked) stake, so no token is left without an owner.
            if (s.locked != 0) revert Registry_InsufficientAvailableBond(staker, amount, available);
            burn = total;
            amount = s.stake;
        }
        _queue(prover, staker, burn, amount);
    }

    function _requestUnstakeAll(address prover, address staker) private {
        _drip(prover);
        ProverState storage s = _provers[prover];
        uint256 shares = sharesOf(prover, staker);
        if (shares == 0) revert Registry_ZeroAmount();
        uint256 total = s.totalShares;
        uint256 available = availableToUnbond(prover, staker);
        // the last holder takes the whole stake; anyone else the rounded-down value of its shares
        uint256 amount = shares == total ? s.stake : Math.mulDiv(shares, s.stake, total);
        if (amount > available) revert Registry_InsufficientAvailableBond(staker, amount, available);
        _queue(prover, staker, shares, amount);
    }

    /// @dev Burns `burn` shares of `staker` and moves `amount` tokens from the pool into its pending unbond.
    function _queue(address prover, address staker, uint256 burn, uint256 amount) private {
        ProverState storage s = _provers[prover];
        StakerState storage st = _stakers[prover][staker];
        st.shares -= burn;
        s.totalShares -= burn;
        s.stake -= uint128(amount); // <= stake
        if (prover == COMMITTEE_POOL && st.shares != 0) {
            // a member keeps at least a full slice in the committee pool, or leaves it entirely
            uint256 left = Math.mulDiv(st.shares, s.stake, s.totalShares);
            if (left < _committeeSlice) revert Registry_CommitteeSliceTooSmall(left, _committeeSlice);
        }
        if (s.totalShares == 0) {
            // the last holder also takes what has not vested yet: no token is left without an owner
            uint256 rest = _streams[prover].unvested;
            if (rest != 0) {
                delete _streams[prover];
                amount += rest;
            }
        }
        s.totalPending += uint128(amount);
        st.pending += amount;
        uint64 release = uint64(block.timestamp) + _unbondingDelay;
        st.releaseTime = release;
        emit UnbondRequested(prover, amount, st.pending, release, staker, burn);
        _refreshEligibility(prover == COMMITTEE_POOL ? staker : prover);
    }

    function _withdraw(address prover, address staker) private {
        StakerState storage st = _stakers[prover][staker];
        uint256 amount = st.pending;
        if (amount == 0) revert Registry_NothingToWithdraw(staker);
        if (block.timestamp < st.releaseTime) {
            revert Registry_UnbondingNotElapsed(staker, st.releaseTime, block.timestamp);
        }
        st.pending = 0;
        st.releaseTime = 0;
        _provers[prover].totalPending -= uint128(amount); // <= totalPending
        emit Withdrawn(prover, amount, staker);
        _token.safeTransfer(staker, amount);
    }

    /// @dev Locks `amount` of the pool's free stake for slot `slotId`.
    function _lock(address prover, uint256 slotId, uint256 amount) private {
        ProverState storage s = _provers[prover];
        uint256 free = s.stake - s.locked;
        if (amount > free) revert Registry_InsufficientFreeBond(prover, amount, free);
        s.locked += uint128(amount); // <= free < 2^128
        emit BondLocked(prover, slotId, amount);
        _refreshEligibility(prover);
    }

    /// @dev A pool emptied (by a slash) while rewards still vest owes them to its holders: vest them all now, so they
    ///      stay with the holders' shares instead of going, diluted, to whoever stakes into the emptied pool next.
    function _vestAllIfEmptied(address prover) private {
        ProverState storage s = _provers[prover];
        uint256 unvested = _streams[prover].unvested;
        if (s.stake != 0 || unvested == 0) return;
        s.stake = uint128(unvested);
        delete _streams[prover];
    }

    /// @dev Moves the rewards vested since the last update into the pool's stake.
    function _drip(address prover) private {
        RewardStream storage r = _streams[prover];
        if (r.unvested == 0) return;
        uint256 vested = _vested(prover);
        r.updated = uint64(block.timestamp);
        if (vested == 0) return;
        r.unvested -= uint128(vested); // <= unvested
        ProverState storage s = _provers[prover];
        s.stake = SafeCast.toUint128(uint256(s.stake) + vested);
    }

    /// @dev Rewards of `prover`'s pool vested since the stream's last update (linear from `updated` to `end`).
    function _vested(address prover) private view returns (uint256) {
        RewardStream storage r = _streams[prover];
        uint256 unvested = r.unvested;
        if (unvested == 0) return 0;
        if (block.timestamp >= r.end) return unvested;
        return Math.mulDiv(unvested, block.timestamp - r.updated, r.end - r.updated);
    }

    /// @dev The pool's stake with the rewards vested so far.
    function _stakeNow(address prover) private view returns (uint256) {
        return _provers[prover].stake + _vested(prover);
    }

    function _commission(ProverState storage s) private view returns (uint16) {
        return block.timestamp >= s.commissionEffectiveTime ? s.nextCommissionBps : s.commissionBps;
    }

    /// @dev Recomputes eligibility of `prover` and updates the eligible array, the epoch and the
    ///      eligibleSince / ineligibleSince marks when it changed.
    function _refreshEligibility(address prover) private {
        if (prover == COMMITTEE_POOL) return; // a pool, never a prover
        ProverState storage s = _provers[prover];
        bool shouldBe = s.registered && !s.jailed && s.stake - s.locked >= _minBond
            && (_committeeSlice == 0 || sharesOf(COMMITTEE_POOL, prover) != 0);
        uint256 index = _eligibleIndex[prover];
        if (shouldBe == (index != 0)) return;
        uint64 epoch = ++_epoch;
        if (shouldBe) {
            _eligible.push(prover);
            _eligibleIndex[prover] = _eligible.length;
            s.eligibleSince = epoch;
            s.ineligibleSince = 0;
        } else {
            uint256 last = _eligible.length;
            if (index != last) {
                address moved = _eligible[last - 1];
                _eligible[index - 1] = moved;
                _eligibleIndex[moved] = index;
            }
            _eligible.pop();
            _eligibleIndex[prover] = 0;
            s.ineligibleSince = epoch;
        }
        emit EligibilityChanged(prover, shouldBe, epoch);
    }
}
