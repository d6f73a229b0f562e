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
import {StakePools} from "./abstracts/StakePools.sol";
import {CommitteeExits} from "./abstracts/CommitteeExits.sol";
import {CommitteeDesk} from "./CommitteeDesk.sol";
import {ICommitteeDesk} from "./interfaces/ICommitteeDesk.sol";
import {IProverRegistry} from "./interfaces/IProverRegistry.sol";

/// @title ProverRegistry
/// @notice Registration, bonds (the operator's and its stakers'), unbonding, commission, eligibility and jail of
///         Procura provers (docs/DESIGN.md §3). All amounts are in ERC-20 base units of `token()`; times are unix seconds.
/// @dev Every prover has one stake pool (`StakePools`): `stake` tokens owned by `totalShares` shares. The operator
///      (the prover's own address) and any staker hold shares of it (`bond` = stake into one's own pool, `stakeTo` =
///      stake into another's). A slash lowers `stake` and therefore the value of every share pro rata; rewards the
///      operator shares (everything above its commission) raise it pro rata, vesting over `unbondingDelay()` (no
///      just-in-time sniping) — all in O(1), nothing loops over stakers. `bondOf(prover)` is the pool's stake;
///      `lockedOf` what open slots hold of it. An exit takes shares out at once: the free part is queued for
///      `unbondingDelay()`, the part of the lock stays at risk until the slots end (`riskOf`), so whatever the order
///      and number of exits each holder bears a slash in proportion to what it held; a prover pool with exits at
///      risk is not drawn as designate until its locks end (it keeps its eligibility and committee seats).
///
///      Token balance of this contract = sum over pools of (stake + unvested rewards + totalPending + risk held)
///      (invariant tested).
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
contract ProverRegistry is IProverRegistry, CommitteeExits, Governed, ReentrancyGuardTransient {
    using EnumerableSet for EnumerableSet.UintSet;
    using SafeERC20 for IERC20;

    /// @notice Commission is in basis points of a payout; 10000 = the operator keeps everything (the default).
    uint16 public constant MAX_COMMISSION_BPS = 10_000;
    /// @notice Most circuits one prover may be opted into at once (bounds the work of an eligibility change).
    uint256 public constant MAX_CIRCUITS_PER_PROVER = 8;


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
        bytes32 vrfPublicKeyHash;
        string endpoint;
        EnumerableSet.UintSet circuits;
    }

    /// @dev A prover's latest interval in one circuit's eligible set (epochs; `until == 0` while in the set). `since`
    ///      never returns to zero once set, so `since != 0` also says the prover is on the circuit's member list.
    ///      Whether it is opted in is its `circuits` set.
    struct Membership {
        uint64 since;
        uint64 until;
    }

    uint256 private immutable _minBond;
    uint256 private immutable _committeeSlice;
    uint64 private immutable _jailCooldown;

    address private immutable _market;
    uint64 private _epoch;
    mapping(address prover => ProverState) private _provers;
    mapping(uint256 circuitId => mapping(address prover => Membership)) private _membership;
    /// @dev Append-only: every prover that was ever eligible for the circuit, in order of first entry.
    mapping(uint256 circuitId => address[]) private _members;
    mapping(uint256 circuitId => uint256) private _eligibleCount;
    /// @dev Least stake a third party may hold in a prover's pool (0: any), set by the operator.
    mapping(address prover => uint256) private _minStake;

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
    )
        StakePools(token_, unbondingDelay_)
        CommitteeExits(address(new CommitteeDesk(token_, unbondingDelay_)))
        Governed(owner_)
    {
        if (address(token_) == address(0) || market_ == address(0)) revert Registry_ZeroAddress();
        _market = market_;
        emit MarketSet(market_);
        if (unbondingDelay_ == 0) revert Registry_ZeroUnbondingDelay();
        _minBond = minBond_;
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
    /// @inheritdoc IProverRegistry
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

    /// @inheritdoc IProverRegistry
    function bond(uint256 amount) external nonReentrant whenNotPaused {
        _stake(msg.sender, msg.sender, amount);
    }

    /// @inheritdoc IProverRegistry
    function stakeTo(address prover, uint256 amount) external nonReentrant whenNotPaused {
        _stake(prover, msg.sender, amount);
    }

    /// @inheritdoc IProverRegistry
    function requestUnbond(uint256 amount) external {
        _requestUnstake(msg.sender, msg.sender, amount);
    }

    /// @inheritdoc IProverRegistry
    function requestUnstake(address prover, uint256 amount) external {
        _requestUnstake(prover, msg.sender, amount);
    }

    /// @inheritdoc IProverRegistry
    function requestUnstakeAll(address prover) external {
        _requestUnstakeAll(prover, msg.sender);
    }

    /// @inheritdoc IProverRegistry
    function withdraw() external nonReentrant {
        _withdraw(msg.sender, msg.sender);
    }

    /// @inheritdoc IProverRegistry
    function withdrawFrom(address prover) external nonReentrant {
        _withdraw(prover, msg.sender);
    }

    /// @inheritdoc IProverRegistry
    function withdrawCommitteeExit(uint256 exitId, uint256 maxCohorts) external nonReentrant returns (bool paid) {
        return abi.decode(_toDesk(abi.encodeCall(ICommitteeDesk.withdrawExit, (exitId, maxCohorts))), (bool));
    }

    /// @inheritdoc IProverRegistry
    function setMinStake(uint256 minStake) external {
        if (!_provers[msg.sender].registered || msg.sender == COMMITTEE_POOL) {
            revert Registry_NotRegistered(msg.sender);
        }
        _minStake[msg.sender] = minStake;
        emit MinStakeChanged(msg.sender, minStake);
    }

    /// @inheritdoc IProverRegistry
    function minStakeOf(address prover) external view returns (uint256) {
        return _minStake[prover];
    }

    /// @inheritdoc IProverRegistry
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

    /// @inheritdoc IProverRegistry
    function optIn(uint256 circuitId) external {
        ProverState storage s = _provers[msg.sender];
        if (!s.registered || msg.sender == COMMITTEE_POOL) revert Registry_NotRegistered(msg.sender);
        if (_market.code.length == 0 || !ICircuitDirectory(_market).isCircuit(circuitId)) {
            revert Registry_UnknownCircuit(circuitId);
        }
        if (s.circuits.length() >= MAX_CIRCUITS_PER_PROVER && !s.circuits.contains(circuitId)) {
            revert Registry_TooManyCircuits(msg.sender, MAX_CIRCUITS_PER_PROVER);
        }
        if (!s.circuits.add(circuitId)) revert Registry_AlreadyOptedIn(msg.sender, circuitId);
        emit OptedIn(msg.sender, circuitId);
        if (s.eligible) _enter(msg.sender, circuitId, ++_epoch);
    }

    /// @inheritdoc IProverRegistry
    function optOut(uint256 circuitId) external {
        if (!_provers[msg.sender].circuits.remove(circuitId)) revert Registry_NotOptedIn(msg.sender, circuitId);
        Membership storage m = _membership[circuitId][msg.sender];
        emit OptedOut(msg.sender, circuitId);
        if (m.until == 0 && m.since != 0) _leave(msg.sender, circuitId, ++_epoch);
    }

    /// @inheritdoc IProverRegistry
    function unjail() external {
        _drip(msg.sender);
        ProverState storage s = _provers[msg.sender];
        if (!s.jailed) revert Registry_NotJailed(msg.sender);
        uint64 from = s.jailedAt + _jailCooldown;
        if (block.timestamp < from) revert Registry_JailCooldown(msg.sender, from, block.timestamp);
        Pool storage pool = _pools[msg.sender];
        uint256 effective = pool.stake - pool.locked;
        if (effective < _minBond) revert Registry_BondBelowMinimum(msg.sender, effective, _minBond);
        s.jailed = false;
        emit Unjailed(msg.sender);
        _refreshEligibility(msg.sender);
    }

    // ---------------------------------------------------------------- market-only
    /// @inheritdoc IProverRegistry
    function drawAndLock(
        uint256 circuitId,
        uint256 word,
        uint64 snapshot,
        uint256 listLength,
        uint256 attempts,
        uint256 slotId,
        uint256 amount,
        uint256 poolAmount
    ) external onlyMarket returns (address designate) {
        if (poolAmount != 0) {
            Pool storage committee = _pools[COMMITTEE_POOL];
            if (committee.stake - committee.locked < poolAmount) return address(0);
        }
        address[] storage list = _members[circuitId];
        uint256 len = listLength; // fixed when the slot opened: members appended since cannot move the draw
        if (len == 0 || len > list.length) return address(0);
        for (uint256 k = 0; k < attempts; ++k) {
            address c = list[uint256(keccak256(abi.encode(word, k))) % len];
            Membership storage m = _membership[circuitId][c];
            uint256 since = m.since;
            uint256 until = m.until;
            if (since == 0 || since > snapshot || (until != 0 && until <= snapshot)) continue; // not in the slot's set
            if (_provers[c].jailed) continue; // cannot answer for it now: jailed, exits at risk, or too little free
            Pool storage p = _pools[c];
            if (p.hasRisk || p.stake - p.locked < amount) continue;
            _lock(c, slotId, amount);
            if (poolAmount != 0) _toDesk(abi.encodeCall(ICommitteeDesk.lock, (slotId, poolAmount)));
            return c;
        }
        return address(0);
    }

    /// @inheritdoc IProverRegistry
    function unlock(address prover, uint256 slotId, uint256 amount, uint256 poolAmount) external onlyMarket {
        if (amount != 0) _unlock(prover, slotId, amount);
        if (poolAmount != 0) _toDesk(abi.encodeCall(ICommitteeDesk.endLock, (slotId, poolAmount, false, address(0))));
    }

    /// @inheritdoc IProverRegistry
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
        if (poolAmount != 0) _toDesk(abi.encodeCall(ICommitteeDesk.endLock, (slotId, poolAmount, true, to)));
        uint256 total = amount + poolAmount;
        if (total != 0) _token.safeTransfer(to, total);
    }

    /// @inheritdoc IProverRegistry
    function addRewards(address prover, uint256 amount) external onlyMarket {
        _addRewards(prover, amount);
    }

    // ---------------------------------------------------------------- views
    /// @inheritdoc IProverRegistry
    function token() external view returns (IERC20) {
        return _token;
    }

    /// @inheritdoc IProverRegistry
    function minBond() external view returns (uint256) {
        return _minBond;
    }

    /// @inheritdoc IProverRegistry
    function committeeSlice() external view returns (uint256) {
        return _committeeSlice;
    }

    /// @inheritdoc IProverRegistry
    function unbondingDelay() external view returns (uint64) {
        return _unbondingDelay;
    }

    /// @inheritdoc IProverRegistry
    function market() external view returns (address) {
        return _market;
    }

    /// @inheritdoc IProverRegistry
    function bondOf(address prover) external view returns (uint256) {
        return _stakeNow(prover);
    }

    /// @inheritdoc IProverRegistry
    function unvestedRewardsOf(address prover) external view returns (uint256) {
        return _streams[prover].unvested - _vested(prover);
    }

    /// @inheritdoc IProverRegistry
    function lockedOf(address prover) external view returns (uint256) {
        return _lockedTotal(prover);
    }

    /// @inheritdoc IProverRegistry
    function atRiskOf(address prover) external view returns (uint256) {
        if (prover == COMMITTEE_POOL) return _book.riskLocked;
        return _riskPools[prover][_pools[prover].riskGeneration].atRisk;
    }

    /// @inheritdoc IProverRegistry
    function riskHeldOf(address prover) external view returns (uint256) {
        return _riskHeld[prover];
    }

    /// @inheritdoc IProverRegistry
    function riskOf(address prover, address staker) external view returns (uint256 atRisk, uint256 released) {
        if (prover == COMMITTEE_POOL) {
            uint256[] storage ids = _exitIds[staker];
            for (uint256 i = 0; i < ids.length; ++i) {
                Exit storage x = _exits[ids[i]];
                if (x.paid) continue;
                (uint256 locked, uint256 charged) = _exitStatus(x);
                atRisk += locked;
                if (x.atRisk > locked + charged) released += x.atRisk - locked - charged;
            }
            return (atRisk, released);
        }
        RiskPosition storage pos = _riskPositions[prover][staker];
        released = pos.owed;
        if (pos.shares == 0) return (0, released);
        RiskPool storage rp = _riskPools[prover][pos.generation];
        released += Math.mulDiv(pos.shares, rp.acc - pos.snap, ACC);
        if (rp.atRisk == 0 && pos.shares == rp.shares) released = pos.owed + rp.released; // last holder
        atRisk = rp.shares == 0 ? 0 : Math.mulDiv(pos.shares, rp.atRisk, rp.shares);
    }

    /// @inheritdoc IProverRegistry
    function committeeExitsOf(address staker) external view returns (uint256[] memory) {
        return _exitIds[staker];
    }

    /// @inheritdoc IProverRegistry
    function committeeExit(uint256 exitId) external view returns (CommitteeExitInfo memory info) {
        Exit storage x = _exits[exitId];
        if (x.staker == address(0)) return info;
        (uint256 locked, uint256 charged) = x.paid ? (0, uint256(x.charged)) : _exitStatus(x);
        info = CommitteeExitInfo({
            staker: x.staker,
            releaseTime: x.releaseTime,
            atRisk: x.atRisk,
            locked: locked,
            charged: charged,
            firstCohort: x.firstCohort,
            lastCohort: x.lastCohort,
            nextCohort: x.nextCohort,
            paid: x.paid
        });
    }

    /// @inheritdoc IProverRegistry
    function pendingUnbondOf(address prover) external view returns (uint256) {
        return _pools[prover].totalPending;
    }

    /// @inheritdoc IProverRegistry
    function freeBondOf(address prover) external view returns (uint256) {
        return _stakeNow(prover) - _pools[prover].locked;
    }

    /// @inheritdoc IProverRegistry
    function totalSharesOf(address prover) external view returns (uint256) {
        return _pools[prover].totalShares;
    }

    /// @inheritdoc IProverRegistry
    function sharesOf(address prover, address staker) public view returns (uint256) {
        return _sharesOf(prover, staker);
    }

    /// @inheritdoc IProverRegistry
    function stakeOf(address prover, address staker) external view returns (uint256) {
        Pool storage s = _pools[prover];
        if (s.totalShares == 0) return 0;
        return _toAssets(sharesOf(prover, staker), s.totalShares, _stakeNow(prover), Math.Rounding.Floor);
    }

    /// @inheritdoc IProverRegistry
    function availableToUnbond(address prover, address staker) public view returns (uint256) {
        Pool storage s = _pools[prover];
        if (s.totalShares == 0) return 0;
        return _toAssets(sharesOf(prover, staker), s.totalShares, _stakeNow(prover) - s.locked, Math.Rounding.Floor);
    }

    /// @inheritdoc IProverRegistry
    function pendingOf(address prover, address staker) external view returns (uint256 amount, uint64 releaseTime) {
        StakerState storage st = _stakers[prover][staker];
        return (st.pending, st.releaseTime);
    }

    /// @inheritdoc IProverRegistry
    function commissionOf(address prover) external view returns (uint16) {
        return _commission(_provers[prover]);
    }

    /// @inheritdoc IProverRegistry
    function isEligible(address prover) external view returns (bool) {
        return _provers[prover].eligible;
    }

    /// @inheritdoc IProverRegistry
    function isEligibleFor(address prover, uint256 circuitId) external view returns (bool) {
        Membership storage m = _membership[circuitId][prover];
        return m.since != 0 && m.until == 0;
    }

    /// @inheritdoc IProverRegistry
    function isOptedIn(address prover, uint256 circuitId) external view returns (bool) {
        return _provers[prover].circuits.contains(circuitId);
    }

    /// @inheritdoc IProverRegistry
    function circuitsOf(address prover) external view returns (uint256[] memory) {
        return _provers[prover].circuits.values();
    }

    /// @inheritdoc IProverRegistry
    function isRegistered(address prover) external view returns (bool) {
        return _provers[prover].registered;
    }

    /// @inheritdoc IProverRegistry
    function isJailed(address prover) external view returns (bool) {
        return _provers[prover].jailed;
    }

    /// @inheritdoc IProverRegistry
    function jailCooldown() external view returns (uint64) {
        return _jailCooldown;
    }

    /// @inheritdoc IProverRegistry
    function eligibleCount(uint256 circuitId) external view returns (uint256) {
        return _eligibleCount[circuitId];
    }

    /// @inheritdoc IProverRegistry
    function circuitSnapshot(uint256 circuitId)
        external
        view
        returns (uint256 n, uint64 snapshot, uint256 listLength)
    {
        return (_eligibleCount[circuitId], _epoch, _members[circuitId].length);
    }

    /// @inheritdoc IProverRegistry
    function memberCount(uint256 circuitId) external view returns (uint256) {
        return _members[circuitId].length;
    }

    /// @inheritdoc IProverRegistry
    function memberAt(uint256 circuitId, uint256 index) external view returns (address) {
        address[] storage list = _members[circuitId];
        if (index >= list.length) revert Registry_IndexOutOfRange(index, list.length);
        return list[index];
    }

    /// @inheritdoc IProverRegistry
    function eligibilityEpoch() external view returns (uint64) {
        return _epoch;
    }

    /// @inheritdoc IProverRegistry
    function isEligibleForSlot(address prover, uint256 circuitId, uint256 snapshot) external view returns (bool) {
        Membership storage m = _membership[circuitId][prover];
        uint256 since = m.since;
        if (since == 0 || since > snapshot) return false;
        uint256 until = m.until;
        return until == 0 || until > snapshot;
    }

    /// @inheritdoc IProverRegistry
    function getProver(address prover) external view returns (ProverInfo memory info) {
        ProverState storage s = _provers[prover];
        Pool storage pool = _pools[prover];
        info = ProverInfo({
            registered: s.registered,
            jailed: s.jailed,
            endpoint: s.endpoint,
            vrfPublicKeyHash: s.vrfPublicKeyHash,
            bond: _stakeNow(prover),
            locked: _lockedTotal(prover),
            pendingUnbond: pool.totalPending,
            unbondReleaseTime: _stakers[prover][prover].releaseTime,
            eligible: s.eligible,
            jailedAt: s.jailedAt,
            totalShares: pool.totalShares,
            commissionBps: _commission(s)
        });
    }

    // ---------------------------------------------------------------- internal
    /// @inheritdoc StakePools
    function _beforeStake(address prover, address staker, uint256 amount) internal view override {
        if (!_provers[prover].registered) revert Registry_NotRegistered(prover);
        if (_sharesOf(prover, staker) != 0) return; // top-ups of a position are free
        if (prover == COMMITTEE_POOL) {
            if (amount < _committeeSlice) revert Registry_CommitteeSliceTooSmall(amount, _committeeSlice);
        } else if (staker != prover && amount < _minStake[prover]) {
            revert Registry_StakeBelowMinimum(prover, amount, _minStake[prover]);
        }
    }

    /// @inheritdoc StakePools
    function _checkRemainder(address prover, address staker, uint256 value) internal view override {
        if (prover == COMMITTEE_POOL) {
            // a member keeps at least a full slice in the committee pool, or leaves it entirely
            if (value < _committeeSlice) revert Registry_CommitteeSliceTooSmall(value, _committeeSlice);
        } else if (staker != prover && value < _minStake[prover]) {
            // a staker keeps at least the operator's minimum stake, or leaves entirely
            revert Registry_StakeBelowMinimum(prover, value, _minStake[prover]);
        }
    }

    /// @inheritdoc StakePools
    function _poolChanged(address prover, address staker) internal override {
        _refreshEligibility(prover == COMMITTEE_POOL ? staker : prover);
    }

    /// @inheritdoc StakePools
    function _released(address prover, uint256 freeBefore) internal override {
        // Eligibility depends on the lock only through `stake - locked >= minBond`: when that already held, releasing
        // more changes nothing (a prover out of the set for another reason stays out), so skip the recheck.
        if (freeBefore < _minBond) _refreshEligibility(prover);
    }

    /// @dev Tokens locked in `prover`'s open slots: its own locked stake plus what exits left there.
    function _lockedTotal(address prover) private view returns (uint256) {
        if (prover == COMMITTEE_POOL) return _book.openAmount;
        Pool storage s = _pools[prover];
        return uint256(s.locked) + _riskPools[prover][s.riskGeneration].atRisk;
    }

    function _commission(ProverState storage s) private view returns (uint16) {
        return block.timestamp >= s.commissionEffectiveTime ? s.nextCommissionBps : s.commissionBps;
    }

    /// @dev Recomputes bonded eligibility of `prover`; when it changed, enters or leaves the eligible set of every
    ///      circuit the prover is opted into (at most `MAX_CIRCUITS_PER_PROVER`), under one new epoch.
    function _refreshEligibility(address prover) private {
        if (prover == COMMITTEE_POOL) return; // a pool, never a prover
        ProverState storage s = _provers[prover];
        Pool storage pool = _pools[prover];
        bool shouldBe = s.registered && !s.jailed && pool.stake - pool.locked >= _minBond
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
        if (m.since == 0) _members[circuitId].push(prover); // first entry: listed for good
        m.since = epoch;
        m.until = 0;
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
