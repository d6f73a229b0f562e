// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Governed} from "./abstracts/Governed.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";

import {ICircuitDirectory} from "./interfaces/ICircuitDirectory.sol";
import {IProverRegistry} from "./interfaces/IProverRegistry.sol";

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
///      Eligibility is per circuit (circuit markets): a prover is *bonded-eligible* when it is registered, not
///      jailed, `stake - locked >= minBond` and, when `committeeSlice() > 0`, holds shares in the `COMMITTEE_POOL`;
///      it is eligible for circuit `c` when it is bonded-eligible and opted into `c` (`optIn(c)`, at most
///      `MAX_CIRCUITS_PER_PROVER` circuits). The market never lets `slotBond` exceed `minBond`, so every eligible
///      prover can lock a full `slotBond`. Each circuit keeps a count of its eligible provers (O(1)) and an
///      append-only member list (a prover is appended the first time it becomes eligible for the circuit and never
///      moves), from which the market's draw samples (`drawAndLock`): positions never shift, so nobody can change
///      which prover a random word selects by joining or leaving after the word is known.
///
///      Slot snapshots (`isEligibleForSlot`): a global counter `eligibilityEpoch()` is bumped on every change of
///      any circuit's eligible set. A prover entering circuit `c`'s set at epoch `e` stores `since = e` and clears
///      `until`; leaving it at epoch `e` stores `until = e`. A slot records the epoch `S` current when it opens;
///      the set at `S` is exactly the provers with `since != 0 && since <= S && (until == 0 || until > S)`.
///      Corner cases: (1) the answer is exact for the prover's latest interval; (2) a prover that was in the set at
///      `S`, then left and re-entered it only keeps its latest interval, so it is reported NOT eligible for `S`
///      any more: a false negative that only ever costs that prover, never a false positive; (3) changes made
///      earlier in the same transaction or block as `openSlot` are included in the snapshot.
contract ProverRegistry is IProverRegistry, Governed, ReentrancyGuardTransient {
    using EnumerableSet for EnumerableSet.UintSet;
    using SafeERC20 for IERC20;

    /// @notice Commission is in basis points of a payout; 10000 = the operator keeps everything (the default).
    uint16 public constant MAX_COMMISSION_BPS = 10_000;
    /// @notice The committee pool's pseudo-prover address (see the file-level `COMMITTEE_POOL`).
    address public constant COMMITTEE_POOL = COMMITTEE_POOL_ADDRESS;
    /// @notice Most circuits one prover may be opted into at once (bounds the work of an eligibility change).
    uint256 public constant MAX_CIRCUITS_PER_PROVER = 8;

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
        bool eligible;
        uint64 jailedAt;
        uint120 stake;
        uint120 locked;
        bool hasRisk;
        uint256 totalShares;
        uint128 totalPending;
        uint64 generation;
        uint64 riskGeneration;
        bytes32 vrfPublicKeyHash;
        string endpoint;
        EnumerableSet.UintSet circuits;
    }

    /// @dev A prover's membership of one circuit: opted in, appended to the circuit's member list, and its latest
    ///      interval in the circuit's eligible set (epochs; `until == 0` while in the set).
    struct Membership {
        uint64 since;
        uint64 until;
        bool optedIn;
        bool listed;
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
    uint64 private immutable _jailCooldown;

    address private immutable _market;
    uint64 private _epoch;
    mapping(address prover => ProverState) private _provers;
    mapping(address prover => mapping(address staker => StakerState)) private _stakers;
    mapping(uint256 circuitId => mapping(address prover => Membership)) private _membership;
    /// @dev Append-only: every prover that was ever eligible for the circuit, in order of first entry.
    mapping(uint256 circuitId => address[]) private _members;
    mapping(uint256 circuitId => uint256) private _eligibleCount;
    mapping(address prover => RewardStream) private _streams;
    mapping(address prover => mapping(uint64 generation => RiskPool)) private _riskPools;
    mapping(address prover => mapping(address staker => RiskPosition)) private _riskPositions;
    /// @dev Tokens of exits still held for a pool: every generation's atRisk and released, and every position's owed.
    mapping(address prover => uint256) private _riskHeld;

    /// @dev Precision of `RiskPool.acc` (released tokens per risk share).
    uint256 private constant ACC = 1e36;

    /// @param token_ Bond token (ERC-20).
    /// @param minBond_ Minimum free stake (base units) to be eligible; 0 makes every registered, non-jailed prover
    ///        eligible (and forces the market's slot bond to 0).
    /// @param unbondingDelay_ Seconds between an unbond request and its withdrawal; must be positive and longer
    ///        than any slot's prove window (the market enforces `proveWindow < unbondingDelay`).
    /// @param committeeSlice_ Least stake (base units) a prover must have in the committee pool to be eligible; 0
    ///        disables the committee pool (and with it the market's correlated slashing).
    /// @param jailCooldown_ Seconds a slashed prover stays jailed at least before it may `unjail`.
    /// @param market_ The market, the only caller of `drawAndLock`, `unlock`, `slash` and `addRewards`: the address
    ///        its deployer will create it at (the next CREATE of the same deployer, e.g. web3j's
    ///        `ContractUtils.generateContractAddress(deployer, nonce + 1)`). Immutable, so the market's calls pay no
    ///        storage read for the check; the market's constructor refuses a registry bound to another address.
    /// @param owner_ Default admin (`Governed`: two-step transfer after 2 days) and pauser: a pause stops new
    ///        registrations and new stake only (`register`, `bond`, `stakeTo`); exits, withdrawals, unjail and
    ///        everything the market does keep working, so no funds can be held hostage.
    /// @dev Reverts `Registry_ZeroAddress` (zero token or market), `Registry_ZeroUnbondingDelay`,
    ///      `AccessControlInvalidDefaultAdmin`.
    constructor(
        IERC20 token_,
        uint256 minBond_,
        uint64 unbondingDelay_,
        uint256 committeeSlice_,
        uint64 jailCooldown_,
        address market_,
        address owner_
    ) Governed(owner_) {
        if (address(token_) == address(0) || market_ == address(0)) revert Registry_ZeroAddress();
        _market = market_;
        emit MarketSet(market_);
        if (unbondingDelay_ == 0) revert Registry_ZeroUnbondingDelay();
        _token = token_;
        _minBond = minBond_;
        _unbondingDelay = unbondingDelay_;
        _committeeSlice = committeeSlice_;
        _jailCooldown = jailCooldown_;
        if (committeeSlice_ != 0) _provers[COMMITTEE_POOL].registered = true; // a pool anyone may stake into
    }

    modifier onlyMarket() {
        if (msg.sender != _market) revert Registry_NotMarket(msg.sender);
        _;
    }

    // ---------------------------------------------------------------- admin
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

    /// @notice Opts `msg.sender` into circuit `circuitId`: from now on it may be drawn as designate of the
    ///         circuit's slots and sits in their committees, on the circuit's terms (minimum proof price, prove-window
    ///         bounds; `ProcurementMarket.circuitTerms`). A prover is never drawn for a circuit it did not opt into.
    /// @dev Requirements: registered (`Registry_NotRegistered`); the market knows the circuit
    ///      (`Registry_UnknownCircuit`); not opted in already (`Registry_AlreadyOptedIn`); fewer than
    ///      `MAX_CIRCUITS_PER_PROVER` circuits (`Registry_TooManyCircuits`). Emits `OptedIn`, and `EligibilityChanged`
    ///      when the prover is bonded-eligible.
    /// @param circuitId The market's circuit id.
    function optIn(uint256 circuitId) external {
        ProverState storage s = _provers[msg.sender];
        if (!s.registered || msg.sender == COMMITTEE_POOL) revert Registry_NotRegistered(msg.sender);
        if (_market.code.length == 0 || !ICircuitDirectory(_market).isCircuit(circuitId)) {
            revert Registry_UnknownCircuit(circuitId);
        }
        Membership storage m = _membership[circuitId][msg.sender];
        if (m.optedIn) revert Registry_AlreadyOptedIn(msg.sender, circuitId);
        if (s.circuits.length() >= MAX_CIRCUITS_PER_PROVER) {
            revert Registry_TooManyCircuits(msg.sender, MAX_CIRCUITS_PER_PROVER);
        }
        m.optedIn = true;
        s.circuits.add(circuitId);
        emit OptedIn(msg.sender, circuitId);
        if (s.eligible) _enter(msg.sender, circuitId, ++_epoch);
    }

    /// @notice Opts `msg.sender` out of circuit `circuitId`: no new slot of the circuit draws it or counts it in
    ///         its committee, at once; the slots already open keep its duties (designate) and rights (committee).
    /// @dev Requirements: opted in (`Registry_NotOptedIn`). Emits `OptedOut`, possibly `EligibilityChanged`.
    /// @param circuitId The market's circuit id.
    function optOut(uint256 circuitId) external {
        ProverState storage s = _provers[msg.sender];
        Membership storage m = _membership[circuitId][msg.sender];
        if (!m.optedIn) revert Registry_NotOptedIn(msg.sender, circuitId);
        m.optedIn = false;
        s.circuits.remove(circuitId);
        emit OptedOut(msg.sender, circuitId);
        if (m.until == 0 && m.since != 0) _leave(msg.sender, circuitId, ++_epoch);
    }

    /// @notice Leaves jail after a slash, once the jail cool-down has passed and the pool's free stake is back at
    ///         `minBond()` or above.
    /// @dev Requirements: jailed (`Registry_NotJailed`), `block.timestamp >= jailedAt + jailCooldown()`
    ///      (`Registry_JailCooldown`), `stake - locked >= minBond` (`Registry_BondBelowMinimum`).
    ///      Emits `Unjailed` and possibly `EligibilityChanged`.
    function unjail() external {
        _drip(msg.sender);
        ProverState storage s = _provers[msg.sender];
        if (!s.jailed) revert Registry_NotJailed(msg.sender);
        uint64 from = s.jailedAt + _jailCooldown;
        if (block.timestamp < from) revert Registry_JailCooldown(msg.sender, from, block.timestamp);
        uint256 effective = s.stake - s.locked;
        if (effective < _minBond) revert Registry_BondBelowMinimum(msg.sender, effective, _minBond);
        s.jailed = false;
        emit Unjailed(msg.sender);
        _refreshEligibility(msg.sender);
    }

    // ---------------------------------------------------------------- market-only
    /// @notice Draws a slot's designate from circuit `circuitId`'s member list with the random `word` and locks
    ///         its stake at risk (and, when `poolAmount > 0`, that much of the committee pool) in one call: what the
    ///         market's `draw` needs. Candidate k (k = 0 .. attempts-1) is the member at position
    ///         `uint256(keccak256(abi.encode(word, k))) % members`; the first candidate that was in the circuit's set
    ///         at `snapshot` (the slot's eligible set: opting out or leaving later does not take it out) and can lock
    ///         now (not jailed, no exits at risk, `amount` free) is drawn. Member positions never move, so the outcome
    ///         depends only on `word` and on which of the slot's provers can still lock: uniform over them
    ///         (rejection sampling).
    /// @dev Requirements: caller is the market. Returns address(0) and locks nothing when no candidate qualifies or
    ///      the committee pool lacks `poolAmount` free (the market cancels the slot). Emits `BondLocked`, possibly
    ///      `EligibilityChanged`.
    /// @param circuitId The slot's circuit.
    /// @param word Uniform random word (the market derives it from a block hash after the slot opened).
    /// @param snapshot The slot's eligibility epoch.
    /// @param attempts Most candidates to try.
    /// @param slotId The market's slot id.
    /// @param amount Tokens (base units) to lock from the designate's pool.
    /// @param poolAmount Tokens (base units) to lock from the committee pool (0: none).
    /// @return designate The drawn prover, or address(0).
    function drawAndLock(
        uint256 circuitId,
        uint256 word,
        uint64 snapshot,
        uint256 attempts,
        uint256 slotId,
        uint256 amount,
        uint256 poolAmount
    ) external onlyMarket returns (address designate) {
        if (poolAmount != 0) {
            ProverState storage pool = _provers[COMMITTEE_POOL];
            if (pool.stake - pool.locked < poolAmount) return address(0);
        }
        address[] storage list = _members[circuitId];
        uint256 len = list.length;
        if (len == 0) return address(0);
        for (uint256 k = 0; k < attempts; ++k) {
            address c = list[uint256(keccak256(abi.encode(word, k))) % len];
            Membership storage m = _membership[circuitId][c];
            uint256 since = m.since;
            uint256 until = m.until;
            if (since == 0 || since > snapshot || (until != 0 && until <= snapshot)) continue; // not in the slot's set
            ProverState storage s = _provers[c];
            if (s.jailed || s.hasRisk || s.stake - s.locked < amount) continue; // cannot answer for it now
            _lock(c, slotId, amount);
            if (poolAmount != 0) _lock(COMMITTEE_POOL, slotId, poolAmount);
            return c;
        }
        return address(0);
    }

    /// @notice Releases `amount` of `prover`'s locked stake and `poolAmount` of the committee pool's (slot
    ///         `slotId` can no longer fail: its designate delivered).
    /// @dev Requirements: caller is the market, each amount <= what is locked (`Registry_InsufficientLock`). Emits
    ///      `BondUnlocked` (per non-zero amount), possibly `EligibilityChanged`.
    /// @param prover The slot's designate.
    /// @param slotId The market's slot id.
    /// @param amount Tokens in base units.
    /// @param poolAmount Committee-pool tokens in base units (0: none).
    function unlock(address prover, uint256 slotId, uint256 amount, uint256 poolAmount) external onlyMarket {
        if (amount != 0) _unlock(prover, slotId, amount);
        if (poolAmount != 0) _unlock(COMMITTEE_POOL, slotId, poolAmount);
    }

    /// @notice Seizes `amount` of `prover`'s locked stake and `poolAmount` of the committee pool's, transfers both
    ///         to `to` and jails the prover (MECHANISM.md §3: the designate failed; §6 correlated slashing). Every
    ///         share of each pool loses value pro rata, in O(1). Every slash restarts the jail cool-down.
    /// @dev Requirements: caller is the market, each amount <= what is locked (`Registry_InsufficientLock`), `to`
    ///      non-zero. Jails even when `amount == 0`. Emits `Slashed` (per pool), `Jailed` (unless already jailed) and
    ///      possibly `EligibilityChanged`.
    /// @param prover The slot's designate.
    /// @param slotId The market's slot id.
    /// @param amount Tokens in base units.
    /// @param poolAmount Committee-pool tokens in base units (0: none).
    /// @param to Receiver of the seized tokens (the market, which credits them per its failure policy).
    function slash(address prover, uint256 slotId, uint256 amount, uint256 poolAmount, address to)
        external
        onlyMarket
        nonReentrant
    {
        if (to == address(0)) revert Registry_ZeroAddress();
        _seize(prover, slotId, amount, to);
        ProverState storage s = _provers[prover];
        s.jailedAt = uint64(block.timestamp); // every slash restarts the cool-down
        if (!s.jailed) {
            s.jailed = true;
            emit Jailed(prover);
        }
        _refreshEligibility(prover);
        if (poolAmount != 0) _seize(COMMITTEE_POOL, slotId, poolAmount, to);
        uint256 total = amount + poolAmount;
        if (total != 0) _token.safeTransfer(to, total);
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
        r.unvested = SafeCast.toUint128(SafeCast.toUint120(unvested)); // vests into a uint120 stake
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

    /// @notice The market allowed to draw and lock, unlock, slash and add rewards (fixed at construction).
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

    /// @notice Tokens locked in `prover`'s open slots (base units): the pool's own locked stake plus the locked
    ///         part of exits still at risk (`atRiskOf`).
    function lockedOf(address prover) external view returns (uint256) {
        ProverState storage s = _provers[prover];
        return uint256(s.locked) + _riskPools[prover][s.riskGeneration].atRisk;
    }

    /// @notice Locked tokens that exited holders left in `prover`'s open slots (base units): slashed or released pro
    ///         rata with the pool's own locked stake as the slots end. While it is not zero the prover is not
    ///         eligible (no new lock may mix with the exits' exposure).
    function atRiskOf(address prover) external view returns (uint256) {
        return _riskPools[prover][_provers[prover].riskGeneration].atRisk;
    }

    /// @notice Every token of exits still held for `prover`'s pool: at risk, released and not yet withdrawn.
    function riskHeldOf(address prover) external view returns (uint256) {
        return _riskHeld[prover];
    }

    /// @notice `staker`'s exits from `prover`'s pool that were locked when it left: `atRisk` tokens still locked in
    ///         open slots and `released` tokens the slots have freed, withdrawable (`withdrawFrom`) from its release
    ///         time (base units, rounded down).
    function riskOf(address prover, address staker) external view returns (uint256 atRisk, uint256 released) {
        RiskPosition storage pos = _riskPositions[prover][staker];
        released = pos.owed;
        if (pos.shares == 0) return (0, released);
        RiskPool storage rp = _riskPools[prover][pos.generation];
        released += Math.mulDiv(pos.shares, rp.acc - pos.snap, ACC);
        if (rp.atRisk == 0 && pos.shares == rp.shares) released = pos.owed + rp.released; // last holder
        atRisk = rp.shares == 0 ? 0 : Math.mulDiv(pos.shares, rp.atRisk, rp.shares);
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

    /// @notice What an exit of all of `staker`'s stake in `prover`'s pool would queue at once: its share of the
    ///         unlocked stake (base units); the rest of its stake would stay at risk in the open slots (`riskOf`).
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

    /// @notice Whether `prover` is bonded-eligible now (registered, not jailed, free stake >= minBond, committee
    ///         slice held); it is eligible for a circuit when it is also opted into it (`isEligibleFor`).
    function isEligible(address prover) external view returns (bool) {
        return _provers[prover].eligible;
    }

    /// @notice Whether `prover` is in circuit `circuitId`'s eligible set now.
    function isEligibleFor(address prover, uint256 circuitId) external view returns (bool) {
        Membership storage m = _membership[circuitId][prover];
        return m.since != 0 && m.until == 0;
    }

    /// @notice Whether `prover` is opted into circuit `circuitId`.
    function isOptedIn(address prover, uint256 circuitId) external view returns (bool) {
        return _membership[circuitId][prover].optedIn;
    }

    /// @notice The circuits `prover` is opted into (at most `MAX_CIRCUITS_PER_PROVER`, in no particular order).
    function circuitsOf(address prover) external view returns (uint256[] memory) {
        return _provers[prover].circuits.values();
    }

    /// @notice Whether `prover` was registered.
    function isRegistered(address prover) external view returns (bool) {
        return _provers[prover].registered;
    }

    /// @notice Whether `prover` is jailed.
    function isJailed(address prover) external view returns (bool) {
        return _provers[prover].jailed;
    }

    /// @notice Seconds a slashed prover stays jailed at least.
    function jailCooldown() external view returns (uint64) {
        return _jailCooldown;
    }

    /// @notice Number of provers eligible for circuit `circuitId` now (n of a slot opened now).
    function eligibleCount(uint256 circuitId) external view returns (uint256) {
        return _eligibleCount[circuitId];
    }

    /// @notice n and the eligibility epoch of a slot of circuit `circuitId` opened now (one call for `openSlot`).
    function circuitSnapshot(uint256 circuitId) external view returns (uint256 n, uint64 snapshot) {
        return (_eligibleCount[circuitId], _epoch);
    }

    /// @notice Length of circuit `circuitId`'s append-only member list (provers ever eligible for it).
    function memberCount(uint256 circuitId) external view returns (uint256) {
        return _members[circuitId].length;
    }

    /// @notice The `index`-th prover of circuit `circuitId`'s member list (0-based; positions never change).
    /// @dev Reverts `Registry_IndexOutOfRange` when `index >= memberCount(circuitId)`.
    function memberAt(uint256 circuitId, uint256 index) external view returns (address) {
        address[] storage list = _members[circuitId];
        if (index >= list.length) revert Registry_IndexOutOfRange(index, list.length);
        return list[index];
    }

    /// @notice Current eligibility epoch: bumped by one on every change of a circuit's eligible set. A slot
    ///         stores it as its snapshot.
    function eligibilityEpoch() external view returns (uint64) {
        return _epoch;
    }

    /// @notice Whether `prover` was in circuit `circuitId`'s eligible set at eligibility epoch `snapshot` (O(1)).
    /// @dev Exact for the prover's latest interval; see the contract notes for the corner cases (a prover that left
    ///      and re-entered the set after `snapshot` is reported false).
    /// @param prover The prover.
    /// @param circuitId The slot's circuit.
    /// @param snapshot An eligibility epoch, as recorded by a slot when it opened.
    function isEligibleForSlot(address prover, uint256 circuitId, uint256 snapshot) external view returns (bool) {
        Membership storage m = _membership[circuitId][prover];
        uint256 since = m.since;
        if (since == 0 || since > snapshot) return false;
        uint256 until = m.until;
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
            locked: uint256(s.locked) + _riskPools[prover][s.riskGeneration].atRisk,
            pendingUnbond: s.totalPending,
            unbondReleaseTime: _stakers[prover][prover].releaseTime,
            eligible: s.eligible,
            jailedAt: s.jailedAt,
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
        s.stake = SafeCast.toUint120(uint256(s.stake) + amount);
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
        uint256 shares = sharesOf(prover, staker);
        uint256 total = s.totalShares;
        uint256 value = total == 0 ? 0 : Math.mulDiv(shares, s.stake, total);
        if (amount > value) revert Registry_InsufficientAvailableBond(staker, amount, value);
        uint256 burn = Math.mulDiv(amount, total, s.stake, Math.Rounding.Ceil);
        // Shares that would be left worth nothing are burnt too (their dust stays with the pool), so no holder
        // is ever left with shares it cannot redeem.
        if (burn < shares && Math.mulDiv(shares - burn, s.stake - amount, total - burn) == 0) burn = shares;
        if (burn >= total) {
            // The last holder leaves: it takes the whole stake, so no token is left without an owner.
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
        // the last holder takes the whole stake; anyone else the rounded-down value of its shares
        uint256 amount = shares == total ? s.stake : Math.mulDiv(shares, s.stake, total);
        _queue(prover, staker, shares, amount);
    }

    /// @dev Burns `burn` shares of `staker`, worth `amount` tokens, and takes them out of the pool: the free part
    ///      into the holder's pending unbond, its pro-rata part of the lock (`amount * locked / stake`, rounded up)
    ///      into the pool's current risk generation (`_enterRisk`), where it stays locked with the slots it was
    ///      locked for.
    function _queue(address prover, address staker, uint256 burn, uint256 amount) private {
        ProverState storage s = _provers[prover];
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
        if (prover == COMMITTEE_POOL && st.shares != 0) {
            // a member keeps at least a full slice in the committee pool, or leaves it entirely
            uint256 left = Math.mulDiv(st.shares, s.stake, s.totalShares);
            if (left < _committeeSlice) revert Registry_CommitteeSliceTooSmall(left, _committeeSlice);
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
        if (atRisk != 0) _enterRisk(prover, staker, atRisk);
        _refreshEligibility(prover == COMMITTEE_POOL ? staker : prover);
    }

    /// @dev Moves `amount` locked tokens of an exiting holder into the pool's current risk generation (a new one when
    ///      the current one has ended): they keep insuring the pool's open slots, slashed and released pro rata with
    ///      the pool's own locked stake, and reach the holder as the slots end.
    function _enterRisk(address prover, address staker, uint256 amount) private {
        ProverState storage s = _provers[prover];
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
    function _settleRisk(address prover, address staker) private {
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
    function _splitLock(address prover, uint256 amount, bool release) private returns (uint256 own) {
        ProverState storage s = _provers[prover];
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

    function _withdraw(address prover, address staker) private {
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
        _provers[prover].totalPending -= uint128(pending); // <= totalPending
        _riskHeld[prover] -= owed;
        emit Withdrawn(prover, pending + owed, staker);
        _token.safeTransfer(staker, pending + owed);
    }

    /// @dev Locks `amount` of the pool's free stake for slot `slotId`.
    function _lock(address prover, uint256 slotId, uint256 amount) private {
        ProverState storage s = _provers[prover];
        uint256 free = s.stake - s.locked;
        if (amount > free) revert Registry_InsufficientFreeBond(prover, amount, free);
        s.locked += uint120(amount); // <= free
        emit BondLocked(prover, slotId, amount);
        _refreshEligibility(prover);
    }

    function _unlock(address prover, uint256 slotId, uint256 amount) private {
        ProverState storage s = _provers[prover];
        uint256 locked = s.locked;
        if (s.hasRisk) {
            // exits took part of the lock: it ends pro rata for the pool and the exited holders
            s.locked = uint120(locked - _splitLock(prover, amount, true));
            emit BondUnlocked(prover, slotId, amount);
            _refreshEligibility(prover);
            return;
        }
        if (amount > locked) revert Registry_InsufficientLock(prover, amount, locked);
        s.locked = uint120(locked - amount); // <= locked
        emit BondUnlocked(prover, slotId, amount);
        // Eligibility depends on the lock only through `stake - locked >= minBond`: when that already held, releasing
        // more changes nothing (a prover out of the set for another reason stays out), so skip the recheck.
        if (s.stake - locked < _minBond) _refreshEligibility(prover);
    }

    /// @dev Removes `amount` of the pool's locked stake (it leaves the pool; the caller transfers it).
    function _seize(address prover, uint256 slotId, uint256 amount, address to) private {
        ProverState storage s = _provers[prover];
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
    function _vestAllIfEmptied(address prover) private {
        ProverState storage s = _provers[prover];
        uint256 unvested = _streams[prover].unvested;
        if (s.stake != 0 || unvested == 0) return;
        s.stake = uint120(unvested); // came in through addRewards (SafeCast) and fits the stake
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
        s.stake = SafeCast.toUint120(uint256(s.stake) + vested);
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

    /// @dev Recomputes bonded eligibility of `prover`; when it changed, enters or leaves the eligible set of every
    ///      circuit the prover is opted into (at most `MAX_CIRCUITS_PER_PROVER`), under one new epoch.
    function _refreshEligibility(address prover) private {
        if (prover == COMMITTEE_POOL) return; // a pool, never a prover
        ProverState storage s = _provers[prover];
        bool shouldBe = s.registered && !s.jailed && !s.hasRisk && s.stake - s.locked >= _minBond
            && (_committeeSlice == 0 || sharesOf(COMMITTEE_POOL, prover) != 0);
        if (shouldBe == s.eligible) return;
        s.eligible = shouldBe;
        uint256 k = s.circuits.length();
        if (k == 0) return;
        uint64 epoch = ++_epoch;
        for (uint256 i = 0; i < k; ++i) {
            if (shouldBe) _enter(prover, s.circuits.at(i), epoch);
            else _leave(prover, s.circuits.at(i), epoch);
        }
    }

    /// @dev `prover` enters circuit `circuitId`'s eligible set at `epoch` (appended to its member list the first time).
    function _enter(address prover, uint256 circuitId, uint64 epoch) private {
        Membership storage m = _membership[circuitId][prover];
        m.since = epoch;
        m.until = 0;
        if (!m.listed) {
            m.listed = true;
            _members[circuitId].push(prover);
        }
        _eligibleCount[circuitId] += 1;
        emit EligibilityChanged(prover, circuitId, true, epoch);
    }

    /// @dev `prover` leaves circuit `circuitId`'s eligible set at `epoch` (it keeps its member-list position).
    function _leave(address prover, uint256 circuitId, uint64 epoch) private {
        _membership[circuitId][prover].until = epoch;
        _eligibleCount[circuitId] -= 1;
        emit EligibilityChanged(prover, circuitId, false, epoch);
    }
}
