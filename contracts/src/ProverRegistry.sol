// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

/// @title ProverRegistry
/// @notice Registration, bonds, unbonding, eligibility and jail of Procura provers (DESIGN.md §3).
///         All amounts are in ERC-20 base units of `token()`; times are unix seconds.
/// @dev Per prover the registry keeps `bond` (tokens held here for the prover), `locked` (part of the bond
///      at risk in open slots, per slot), and `pendingUnbond` (part of the bond waiting for the unbonding
///      delay). Invariant: `bond >= locked + pendingUnbond`; the token balance of this contract equals the
///      sum of all bonds.
///
///      Eligibility: a prover is eligible iff it is registered, not jailed and `bond - pendingUnbond >= minBond`.
///      Eligible provers sit in an array with an index map (swap-remove), so `eligibleCount()` and
///      `eligibleProverAt(i)` are O(1) and nothing loops over provers.
///
///      Slot snapshots (`isEligibleForSlot`): a global counter `eligibilityEpoch()` is bumped on every change of
///      the eligible set. A prover entering the set at epoch `e` stores `eligibleSince = e` and clears
///      `ineligibleSince`; leaving it at epoch `e` stores `ineligibleSince = e`. A slot records the epoch `S`
///      current when it opens; the set at `S` is exactly the provers with
///      `eligibleSince != 0 && eligibleSince <= S && (ineligibleSince == 0 || ineligibleSince > S)`.
///      Corner cases: (1) the answer is exact for the prover's latest eligibility interval; (2) a prover that was
///      in the set at `S`, then left and re-entered it (e.g. jailed by a slash and unjailed) only keeps its latest
///      interval, so it is reported NOT eligible for `S` any more: it loses the right to deliver as a committee
///      member in slots opened before it left (a false negative that only ever costs that prover, never a false
///      positive that would admit an outsider); (3) changes made earlier in the same transaction or block as
///      `openSlot` are included in the snapshot, exactly like `eligibleCount()` at that moment.
contract ProverRegistry is Ownable2Step, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /// @notice Full state of one prover, as returned by `getProver`.
    /// @param registered True once `register` was called.
    /// @param jailed True after a slash until `unjail`.
    /// @param endpoint Agent endpoint (URL) announced by the operator.
    /// @param vrfPublicKeyHash keccak256 of the prover's VRF public key (private committee coins).
    /// @param bond Tokens held for the prover (base units), including locked and pending amounts.
    /// @param locked Tokens at risk in open slots (base units).
    /// @param pendingUnbond Tokens waiting for the unbonding delay (base units).
    /// @param unbondReleaseTime Unix time (s) from which `withdraw` releases `pendingUnbond`.
    /// @param eligibleSince Eligibility epoch at which the prover last entered the eligible set (0: never).
    /// @param ineligibleSince Eligibility epoch at which it last left the set (0: not since it last entered).
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
    /// @notice Requested more than `bond - locked - pendingUnbond`.
    error Registry_InsufficientAvailableBond(address prover, uint256 requested, uint256 available);
    /// @notice `withdraw` with nothing pending.
    error Registry_NothingToWithdraw(address prover);
    /// @notice `withdraw` before the release time.
    error Registry_UnbondingNotElapsed(address prover, uint64 releaseTime, uint256 nowTime);
    /// @notice `unjail` by a prover that is not jailed.
    error Registry_NotJailed(address prover);
    /// @notice `unjail` while `bond - pendingUnbond < minBond`.
    error Registry_BondBelowMinimum(address prover, uint256 effectiveBond, uint256 minBond);
    /// @notice The market tried to lock more than the prover's free bond.
    error Registry_InsufficientFreeBond(address prover, uint256 requested, uint256 free);
    /// @notice The market tried to unlock or slash more than it locked for this slot.
    error Registry_InsufficientSlotLock(address prover, uint256 slotId, uint256 requested, uint256 lockedForSlot);
    /// @notice `eligibleProverAt` index out of range.
    error Registry_IndexOutOfRange(uint256 index, uint256 count);

    // ---------------------------------------------------------------- events
    /// @notice A prover registered its agent endpoint and VRF key hash.
    event ProverRegistered(address indexed prover, string endpoint, bytes32 vrfPublicKeyHash);
    /// @notice `amount` base units were added to the bond; `newBond` is the total bond.
    event Bonded(address indexed prover, uint256 amount, uint256 newBond);
    /// @notice `amount` was queued for withdrawal; `totalPending` may be withdrawn from `releaseTime` (unix s).
    event UnbondRequested(address indexed prover, uint256 amount, uint256 totalPending, uint64 releaseTime);
    /// @notice `amount` base units were paid back to the prover.
    event Withdrawn(address indexed prover, uint256 amount);
    /// @notice `amount` of the prover's bond was locked for slot `slotId`.
    event BondLocked(address indexed prover, uint256 indexed slotId, uint256 amount);
    /// @notice `amount` of the prover's bond was released from slot `slotId`.
    event BondUnlocked(address indexed prover, uint256 indexed slotId, uint256 amount);
    /// @notice `amount` of the bond locked for slot `slotId` was seized and transferred to `to`.
    event Slashed(address indexed prover, uint256 indexed slotId, uint256 amount, address to);
    /// @notice The prover was jailed (ineligible for new slots) until it unjails.
    event Jailed(address indexed prover);
    /// @notice The prover left jail.
    event Unjailed(address indexed prover);
    /// @notice The prover entered (`eligible = true`) or left the eligible set at eligibility epoch `epoch`.
    event EligibilityChanged(address indexed prover, bool eligible, uint64 epoch);
    /// @notice The market (sole caller of lock/unlock/slash) was set.
    event MarketSet(address indexed market);

    // ---------------------------------------------------------------- storage
    struct ProverState {
        bool registered;
        bool jailed;
        uint64 unbondReleaseTime;
        uint64 eligibleSince;
        uint64 ineligibleSince;
        bytes32 vrfPublicKeyHash;
        uint256 bond;
        uint256 locked;
        uint256 pendingUnbond;
        string endpoint;
    }

    IERC20 private immutable _token;
    uint256 private immutable _minBond;
    uint64 private immutable _unbondingDelay;

    address private _market;
    uint64 private _epoch;
    mapping(address prover => ProverState) private _provers;
    address[] private _eligible;
    /// @dev 1-based position in `_eligible`; 0 means not eligible.
    mapping(address prover => uint256) private _eligibleIndex;
    mapping(address prover => mapping(uint256 slotId => uint256)) private _lockedForSlot;

    /// @param token_ Bond token (ERC-20).
    /// @param minBond_ Minimum effective bond (base units) to be eligible; 0 makes every registered,
    ///        non-jailed prover eligible.
    /// @param unbondingDelay_ Seconds between `requestUnbond` and `withdraw`; must be positive and longer
    ///        than any slot's prove window (the market enforces `proveWindow < unbondingDelay`).
    /// @param owner_ Owner (sets the market once).
    /// @dev Reverts `Registry_ZeroAddress` (zero token), `Registry_ZeroUnbondingDelay`, `OwnableInvalidOwner`.
    constructor(IERC20 token_, uint256 minBond_, uint64 unbondingDelay_, address owner_) Ownable(owner_) {
        if (address(token_) == address(0)) revert Registry_ZeroAddress();
        if (unbondingDelay_ == 0) revert Registry_ZeroUnbondingDelay();
        _token = token_;
        _minBond = minBond_;
        _unbondingDelay = unbondingDelay_;
    }

    modifier onlyMarket() {
        if (msg.sender != _market || msg.sender == address(0)) revert Registry_NotMarket(msg.sender);
        _;
    }

    // ---------------------------------------------------------------- admin
    /// @notice Sets the market contract, the only caller of `lock`, `unlock` and `slash`. One time only.
    /// @dev Requirements: caller is the owner; `market_` non-zero (`Registry_ZeroAddress`); not set before
    ///      (`Registry_MarketAlreadySet`). Emits `MarketSet`.
    /// @param market_ The ProcurementMarket address.
    function setMarket(address market_) external onlyOwner {
        if (market_ == address(0)) revert Registry_ZeroAddress();
        if (_market != address(0)) revert Registry_MarketAlreadySet(_market);
        _market = market_;
        emit MarketSet(market_);
    }

    // ---------------------------------------------------------------- prover operations
    /// @notice Registers `msg.sender` as a prover.
    /// @dev Requirements: not registered before (`Registry_AlreadyRegistered`). Emits `ProverRegistered`, and
    ///      `EligibilityChanged` when `minBond == 0`.
    /// @param endpoint Agent endpoint URL (free text, informational).
    /// @param vrfPublicKeyHash keccak256 of the VRF public key the prover uses for its committee coins.
    function register(string calldata endpoint, bytes32 vrfPublicKeyHash) external {
        ProverState storage s = _provers[msg.sender];
        if (s.registered) revert Registry_AlreadyRegistered(msg.sender);
        s.registered = true;
        s.endpoint = endpoint;
        s.vrfPublicKeyHash = vrfPublicKeyHash;
        emit ProverRegistered(msg.sender, endpoint, vrfPublicKeyHash);
        _refreshEligibility(msg.sender);
    }

    /// @notice Adds `amount` tokens (base units) from `msg.sender` (who must have approved this contract) to its bond.
    /// @dev Requirements: registered (`Registry_NotRegistered`), `amount > 0` (`Registry_ZeroAmount`); the ERC-20
    ///      transfer must succeed (SafeERC20). Emits `Bonded`, possibly `EligibilityChanged`.
    /// @param amount Tokens in base units.
    function bond(uint256 amount) external nonReentrant {
        ProverState storage s = _provers[msg.sender];
        if (!s.registered) revert Registry_NotRegistered(msg.sender);
        if (amount == 0) revert Registry_ZeroAmount();
        s.bond += amount;
        emit Bonded(msg.sender, amount, s.bond);
        _refreshEligibility(msg.sender);
        _token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @notice Queues `amount` of the free bond for withdrawal after `unbondingDelay()` seconds. The queued
    ///         amount stops counting towards eligibility immediately. Each request restarts the delay for the
    ///         whole pending amount: release time = now + unbondingDelay.
    /// @dev Requirements: `amount > 0`, `amount <= bond - locked - pendingUnbond`
    ///      (`Registry_InsufficientAvailableBond`). Emits `UnbondRequested`, possibly `EligibilityChanged`.
    /// @param amount Tokens in base units.
    function requestUnbond(uint256 amount) external {
        ProverState storage s = _provers[msg.sender];
        if (amount == 0) revert Registry_ZeroAmount();
        uint256 available = s.bond - s.locked - s.pendingUnbond;
        if (amount > available) revert Registry_InsufficientAvailableBond(msg.sender, amount, available);
        s.pendingUnbond += amount;
        uint64 release = uint64(block.timestamp) + _unbondingDelay;
        s.unbondReleaseTime = release;
        emit UnbondRequested(msg.sender, amount, s.pendingUnbond, release);
        _refreshEligibility(msg.sender);
    }

    /// @notice Pays the whole pending unbond back to `msg.sender` once the release time has passed.
    /// @dev Requirements: something pending (`Registry_NothingToWithdraw`), `block.timestamp >= releaseTime`
    ///      (`Registry_UnbondingNotElapsed`). Emits `Withdrawn`. Eligibility is unchanged (the pending amount
    ///      already did not count).
    function withdraw() external nonReentrant {
        ProverState storage s = _provers[msg.sender];
        uint256 amount = s.pendingUnbond;
        if (amount == 0) revert Registry_NothingToWithdraw(msg.sender);
        if (block.timestamp < s.unbondReleaseTime) {
            revert Registry_UnbondingNotElapsed(msg.sender, s.unbondReleaseTime, block.timestamp);
        }
        s.pendingUnbond = 0;
        s.bond -= amount;
        s.unbondReleaseTime = 0;
        emit Withdrawn(msg.sender, amount);
        _token.safeTransfer(msg.sender, amount);
    }

    /// @notice Leaves jail after a slash, once the effective bond is back at `minBond()` or above.
    /// @dev Requirements: jailed (`Registry_NotJailed`), `bond - pendingUnbond >= minBond`
    ///      (`Registry_BondBelowMinimum`). Emits `Unjailed` and `EligibilityChanged`.
    function unjail() external {
        ProverState storage s = _provers[msg.sender];
        if (!s.jailed) revert Registry_NotJailed(msg.sender);
        uint256 effective = s.bond - s.pendingUnbond;
        if (effective < _minBond) revert Registry_BondBelowMinimum(msg.sender, effective, _minBond);
        s.jailed = false;
        emit Unjailed(msg.sender);
        _refreshEligibility(msg.sender);
    }

    // ---------------------------------------------------------------- market-only
    /// @notice Locks `amount` of `prover`'s free bond for slot `slotId` (the stake at risk B).
    /// @dev Requirements: caller is the market (`Registry_NotMarket`), `amount <= freeBondOf(prover)`
    ///      (`Registry_InsufficientFreeBond`). A zero amount is a no-op apart from the event. Emits `BondLocked`.
    /// @param prover The slot's designate.
    /// @param slotId The market's slot id.
    /// @param amount Tokens in base units.
    function lock(address prover, uint256 slotId, uint256 amount) external onlyMarket {
        ProverState storage s = _provers[prover];
        uint256 free = s.bond - s.locked - s.pendingUnbond;
        if (amount > free) revert Registry_InsufficientFreeBond(prover, amount, free);
        s.locked += amount;
        _lockedForSlot[prover][slotId] += amount;
        emit BondLocked(prover, slotId, amount);
    }

    /// @notice Releases `amount` of the bond locked for slot `slotId`.
    /// @dev Requirements: caller is the market, `amount <= lockedFor(prover, slotId)`
    ///      (`Registry_InsufficientSlotLock`). Emits `BondUnlocked`.
    /// @param prover The slot's designate.
    /// @param slotId The market's slot id.
    /// @param amount Tokens in base units.
    function unlock(address prover, uint256 slotId, uint256 amount) external onlyMarket {
        uint256 lockedSlot = _lockedForSlot[prover][slotId];
        if (amount > lockedSlot) revert Registry_InsufficientSlotLock(prover, slotId, amount, lockedSlot);
        _lockedForSlot[prover][slotId] = lockedSlot - amount;
        _provers[prover].locked -= amount;
        emit BondUnlocked(prover, slotId, amount);
    }

    /// @notice Seizes `amount` of the bond locked for slot `slotId`, transfers it to `to`, and jails the prover
    ///         (MECHANISM.md §3: the designate failed; Rem. 3.9 slashing as insurance).
    /// @dev Requirements: caller is the market, `amount <= lockedFor(prover, slotId)`, `to` non-zero.
    ///      Jails even when `amount == 0` (the designate failed all the same). Emits `Slashed`, `Jailed`
    ///      (unless already jailed) and possibly `EligibilityChanged`.
    /// @param prover The slot's designate.
    /// @param slotId The market's slot id.
    /// @param amount Tokens in base units.
    /// @param to Receiver of the seized tokens (the market, which credits them per its failure policy).
    function slash(address prover, uint256 slotId, uint256 amount, address to) external onlyMarket nonReentrant {
        if (to == address(0)) revert Registry_ZeroAddress();
        uint256 lockedSlot = _lockedForSlot[prover][slotId];
        if (amount > lockedSlot) revert Registry_InsufficientSlotLock(prover, slotId, amount, lockedSlot);
        ProverState storage s = _provers[prover];
        _lockedForSlot[prover][slotId] = lockedSlot - amount;
        s.locked -= amount;
        s.bond -= amount;
        emit Slashed(prover, slotId, amount, to);
        if (!s.jailed) {
            s.jailed = true;
            emit Jailed(prover);
            _refreshEligibility(prover);
        }
        if (amount != 0) _token.safeTransfer(to, amount);
    }

    // ---------------------------------------------------------------- views
    /// @notice The bond token.
    function token() external view returns (IERC20) {
        return _token;
    }

    /// @notice Minimum effective bond (base units) for eligibility.
    function minBond() external view returns (uint256) {
        return _minBond;
    }

    /// @notice Unbonding delay in seconds.
    function unbondingDelay() external view returns (uint64) {
        return _unbondingDelay;
    }

    /// @notice The market allowed to lock, unlock and slash (zero until `setMarket`).
    function market() external view returns (address) {
        return _market;
    }

    /// @notice Total bond of `prover` in base units (includes locked and pending amounts).
    function bondOf(address prover) external view returns (uint256) {
        return _provers[prover].bond;
    }

    /// @notice Bond of `prover` locked in open slots (base units).
    function lockedOf(address prover) external view returns (uint256) {
        return _provers[prover].locked;
    }

    /// @notice Bond of `prover` locked for slot `slotId` (base units).
    function lockedFor(address prover, uint256 slotId) external view returns (uint256) {
        return _lockedForSlot[prover][slotId];
    }

    /// @notice Bond of `prover` waiting for the unbonding delay (base units).
    function pendingUnbondOf(address prover) external view returns (uint256) {
        return _provers[prover].pendingUnbond;
    }

    /// @notice Bond that may still be locked or unbonded: `bond - locked - pendingUnbond` (base units).
    function freeBondOf(address prover) external view returns (uint256) {
        ProverState storage s = _provers[prover];
        return s.bond - s.locked - s.pendingUnbond;
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

    /// @notice Full state of `prover` (all zero / empty for an unknown address).
    function getProver(address prover) external view returns (ProverInfo memory info) {
        ProverState storage s = _provers[prover];
        info = ProverInfo({
            registered: s.registered,
            jailed: s.jailed,
            endpoint: s.endpoint,
            vrfPublicKeyHash: s.vrfPublicKeyHash,
            bond: s.bond,
            locked: s.locked,
            pendingUnbond: s.pendingUnbond,
            unbondReleaseTime: s.unbondReleaseTime,
            eligibleSince: s.eligibleSince,
            ineligibleSince: s.ineligibleSince
        });
    }

    // ---------------------------------------------------------------- internal
    /// @dev Recomputes eligibility of `prover` and updates the eligible array, the epoch and the
    ///      eligibleSince / ineligibleSince marks when it changed.
    function _refreshEligibility(address prover) private {
        ProverState storage s = _provers[prover];
        bool shouldBe = s.registered && !s.jailed && s.bond - s.pendingUnbond >= _minBond;
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
