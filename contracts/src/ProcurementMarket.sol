// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Governed} from "./abstracts/Governed.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";


import {IProverRegistry} from "./interfaces/IProverRegistry.sol";
import {IProcurementMarket} from "./interfaces/IProcurementMarket.sol";
import {IPayloadChecker} from "./interfaces/IPayloadChecker.sol";
import {CommitteeLedger} from "./libraries/CommitteeLedger.sol";
import {PaymentMath} from "./libraries/PaymentMath.sol";
import {SlotTermsCodec} from "./libraries/SlotTermsCodec.sol";
import {IResultMarket} from "./interfaces/IResultMarket.sol";
import {
    FailurePolicy, PayoutKind, SlotTerms, SlotState, CircuitTerms, SlotParameters, ResultStatus
} from "./types/MarketTypes.sol";

/// @title ProcurementMarket
/// @notice Slots of the designated uniform committee mechanism (docs/MECHANISM.md §3, §6; Bahrani–Neuder–Weinberg,
///         *Adversarial procurement in blockchains*, Def. 3.1, Lem. 3.4): a requester escrows `T * proofPrice`,
///         a uniformly drawn designate must deliver a Groth16 (BN254) proof, every other eligible prover is a
///         committee member that may deliver (private coin with mixing probability p); after the deadline the
///         payment rule pays out (pull payments) or refunds the escrow and slashes the designate's bond.
/// @dev Units: tokens in ERC-20 base units of `token()`; `proofPrice` is the price of one proof in base units
///      (the unit "1" of the math); `mixingProbability` is p scaled by 1e18 (WAD); times in unix seconds.
///      Every function is O(1) in gas: nothing loops over provers, stakers or deliveries.
///
///      Storage per slot is two words (`SlotState`): the hash of its `SlotTerms` and the mutable state. Callers
///      pass the terms (from `SlotOpened`) back. A committee delivery sets one flag in the deliverer's
///      `CommitteeLedger` window; after settlement `creditCommittee` credits that deliverer's share and clears the
///      flag, so every delivery is paid at most once and `settle` never iterates over deliverers.
///
///      Integer recipe for T and Q (shared with Java `io.procura.mechanism.PaymentRule`; keep identical):
///        WAD = 1e18; T_wad = WAD + m*p;
///        q_wad = (WAD - p)^m by exponentiation by squaring, right-to-left (least significant bit first):
///          r = WAD; b = WAD - p; e = m; while (e != 0) { if (e & 1 == 1) r = r*b/WAD; e >>= 1; if (e != 0) b = b*b/WAD; }
///          (every product rounded down); q_wad = r
///        Q_wad = (p == 0 || m == 0) ? WAD : floor(m*p*WAD / (WAD - q_wad))
///        escrow = floor(T_wad * proofPrice / WAD); committeePrize = (m == 0) ? 0 : min(floor(Q_wad * proofPrice / WAD), escrow)
///
///      Governance (`Governed`, shared with the registry): OpenZeppelin AccessControlDefaultAdminRules (the admin changes in two steps, with a delay).
///      CIRCUIT_ADMIN_ROLE registers circuits, PARAMETER_ADMIN_ROLE sets `slotBond` and `keeperFee` (new slots
///      only: a slot's terms are fixed when it opens), PAUSER_ROLE pauses. A pause stops `openSlot` only; proofs,
///      draws, settlement, cancellation, claims and reward distribution keep working, so no funds can be held hostage.
///
///      Stakers: a prover's payouts are split by its registry commission: the commission is credited to the
///      operator, the rest accrues in `stakerRewards(prover)` and `distributeStakerRewards` moves it into the
///      prover's registry pool (every share gains pro rata).
contract ProcurementMarket is IProcurementMarket, Governed, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using CommitteeLedger for CommitteeLedger.Ledger;

    /// @notice May register circuits.
    bytes32 public constant CIRCUIT_ADMIN_ROLE = keccak256("CIRCUIT_ADMIN_ROLE");
    /// @notice May set `slotBond` and `keeperFee`.
    bytes32 public constant PARAMETER_ADMIN_ROLE = keccak256("PARAMETER_ADMIN_ROLE");
    /// @notice Commission denominator (basis points), as in the registry.
    uint256 internal constant BPS = 10_000;

    /// @notice 1.0 in fixed point (18 decimals).
    uint256 public constant WAD = 1e18;
    /// @notice Candidates `draw` tries before it gives up and cancels the slot (rejection sampling over the circuit's
    ///         member list; see `ProverRegistry.drawAndLock`).
    uint256 public constant DRAW_ATTEMPTS = 8;
    /// @notice Blocks whose hash `draw` can still read (the EVM's `BLOCKHASH` horizon); a slot not drawn within it
    ///         can only be cancelled.
    uint256 public constant BLOCKHASH_HORIZON = 256;
    /// @notice BN254 scalar field modulus r (public inputs of Groth16 over BN254 live in [0, r)).
    uint256 public constant SNARK_SCALAR_FIELD =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;

    /// @notice A registered circuit.
    /// @param verifier gnark-exported Groth16 verifier (`verifyProof(uint256[8],uint256[N])`, reverts on failure).
    /// @param numFixedInputs Public inputs fixed by the requester at `openSlot`.
    /// @param numOutputs Public inputs supplied by the prover at `submitProof`.
    /// @param selector `bytes4(keccak256("verifyProof(uint256[8],uint256[N])"))`, N = fixed + outputs + 1 (binding).
    /// @param checker Payload checker run by `openSlot` (`IPayloadChecker`), or the zero address for none.
    struct Circuit {
        address verifier;
        uint8 numFixedInputs;
        uint8 numOutputs;
        bytes4 selector;
        address checker;
    }

    // ---------------------------------------------------------------- storage
    IERC20 private immutable _token;
    IProverRegistry private immutable _registry;
    /// @dev The registry's unbonding delay (immutable there), read once.
    uint64 private immutable _unbondingDelay;
    /// @notice Failure policy of this market.
    FailurePolicy public immutable policy;
    /// @notice Correlated slashing (docs/MECHANISM.md §6, Rem. 3.10): tokens (base units) of the registry's committee pool
    ///         locked by every slot and seized with the designate's bond when it fails; 0 = off. Every committee
    ///         member's slice in the pool loses the same fraction (share price, O(1)).
    uint256 public immutable correlatedStake;
    /// @notice Blocks between `openSlot` and the block whose hash draws the designate (K, the draw's lookahead):
    ///         `draw` takes the hash of block `openBlock + drawDelay`. Longer is safer against a block producer's
    ///         bias (docs/THREAT_MODEL.md), shorter starts the prove window sooner.
    uint256 public immutable drawDelay;
    /// @dev Slot bond and keeper fee last applied (see `slotBond()`, `keeperFee()` for those in force).
    uint96 private _slotBond;
    uint96 private _keeperFee;
    /// @notice Id the next opened slot gets (packed with the two above: `openSlot` reads one word).
    uint56 public nextSlotId;
    /// @dev Whether `_pendingParameters` holds a change (so a market without one never reads that word).
    bool private _parametersPending;
    /// @dev A change of slot bond and keeper fee under notice (effectiveAt == 0: none).
    SlotParameters private _pendingParameters;

    /// @notice Registered circuits by id.
    mapping(uint256 circuitId => Circuit) public circuits;
    /// @notice Id the next registered circuit gets.
    uint256 public nextCircuitId;
    /// @dev Terms in force (or, for a new circuit, coming into force) per circuit.
    mapping(uint256 circuitId => CircuitTerms) private _circuitTerms;
    /// @dev Terms under notice per circuit (effectiveAt == 0: none); they replace `_circuitTerms` once in force.
    mapping(uint256 circuitId => CircuitTerms) private _pendingTerms;
    /// @notice Credited, not yet claimed tokens per account (base units).
    mapping(address account => uint256) public claimable;
    /// @notice Stakers' part of a prover's payouts, not yet moved into its registry pool (base units).
    mapping(address prover => uint256) public stakerRewards;

    mapping(uint256 slotId => SlotState) private _slots;
    /// @dev Per slot opened with `keepResult`: RESULT_PENDING until its first accepted proof, then
    ///      keccak256(abi.encodePacked(outputs)) of that proof (`SlotState.result` says which).
    mapping(uint256 slotId => bytes32) private _results;
    /// @dev Placeholder written by `openSlot` with `keepResult`, so the requester pays the word's first write.
    bytes32 private constant RESULT_PENDING = bytes32(uint256(1));
    /// @dev Committee deliveries not yet credited (see CommitteeLedger).
    CommitteeLedger.Ledger private _committeeOwed;

    /// @param token_ Payment token (must equal `registry_.token()`).
    /// @param registry_ Prover registry, constructed with this market's address (`ProverRegistry.market()`).
    /// @param policy_ Failure policy (PAPER = 0, COMPENSATE_COMMITTEE = 1).
    /// @param slotBond_ Designate stake locked per slot, B (base units; 0 allowed; at most registry_.minBond()).
    /// @param correlatedStake_ Committee-pool stake locked per slot and seized on failure (base units; 0 = off).
    /// @param drawDelay_ Blocks from `openSlot` to the block whose hash draws the designate, in [1, 256).
    /// @param owner_ Default admin; also gets CIRCUIT_ADMIN_ROLE, PARAMETER_ADMIN_ROLE and PAUSER_ROLE.
    /// @dev Reverts `Market_ZeroAddress`, `Market_TokenMismatch`, `Market_RegistryNotBound`, `Market_InvalidSlotBond`,
    ///      `Market_NoCommitteePool`, `Market_InvalidDrawDelay`, `AccessControlInvalidDefaultAdmin`.
    constructor(
        IERC20 token_,
        IProverRegistry registry_,
        FailurePolicy policy_,
        uint256 slotBond_,
        uint256 correlatedStake_,
        uint256 drawDelay_,
        address owner_
    ) Governed(owner_) {
        if (drawDelay_ == 0 || drawDelay_ >= BLOCKHASH_HORIZON) revert Market_InvalidDrawDelay(drawDelay_);
        drawDelay = drawDelay_;
        if (address(token_) == address(0) || address(registry_) == address(0)) revert Market_ZeroAddress();
        if (address(registry_.token()) != address(token_)) {
            revert Market_TokenMismatch(address(token_), address(registry_.token()));
        }
        if (registry_.market() != address(this)) revert Market_RegistryNotBound(registry_.market());
        _token = token_;
        _registry = registry_;
        _unbondingDelay = registry_.unbondingDelay();
        policy = policy_;
        if (correlatedStake_ != 0 && registry_.committeeSlice() == 0) revert Market_NoCommitteePool();
        correlatedStake = correlatedStake_;
        _validate(slotBond_, 0);
        _slotBond = uint96(slotBond_); // <= minBond, validated; the market has no slot and no prover accepted terms yet
        emit SlotParametersSet(slotBond_, 0, uint64(block.timestamp));
        _grantRole(CIRCUIT_ADMIN_ROLE, owner_);
        _grantRole(PARAMETER_ADMIN_ROLE, owner_);
    }

    // ---------------------------------------------------------------- governance
    /// @inheritdoc IProcurementMarket
    function setSlotBond(uint256 slotBond_) external onlyRole(PARAMETER_ADMIN_ROLE) {
        (, uint256 fee) = _latestParameters();
        _schedule(slotBond_, fee);
    }

    /// @inheritdoc IProcurementMarket
    function setKeeperFee(uint256 keeperFee_) external onlyRole(PARAMETER_ADMIN_ROLE) {
        (uint256 bond,) = _latestParameters();
        _schedule(bond, keeperFee_);
    }

    /// @inheritdoc IProcurementMarket
    function slotBond() public view returns (uint256 bond) {
        (bond,) = _parameters();
    }

    /// @inheritdoc IProcurementMarket
    function keeperFee() public view returns (uint256 fee) {
        (, fee) = _parameters();
    }

    /// @inheritdoc IProcurementMarket
    function pendingSlotParameters() external view returns (SlotParameters memory p) {
        p = _pendingParameters;
        if (p.effectiveAt <= block.timestamp) delete p;
    }

    /// @inheritdoc IProcurementMarket
    function stakeAtRisk() external view returns (uint256) {
        (uint256 bond, uint256 fee) = _parameters();
        return bond - fee + correlatedStake;
    }

    // ---------------------------------------------------------------- circuits
    /// @inheritdoc IProcurementMarket
    function registerCircuit(
        address verifier,
        uint8 numFixedInputs,
        uint8 numOutputs,
        address checker,
        uint128 minProofPrice,
        uint32 minProveWindow,
        uint32 maxProveWindow
    ) external onlyRole(CIRCUIT_ADMIN_ROLE) returns (uint256 circuitId) {
        if (verifier.code.length == 0) revert Market_VerifierHasNoCode(verifier);
        if (checker != address(0) && checker.code.length == 0) revert Market_CheckerHasNoCode(checker);
        if (nextCircuitId > type(uint32).max) revert Market_TooManyCircuits();
        CircuitTerms memory t = _newTerms(minProofPrice, minProveWindow, maxProveWindow);
        uint256 n = uint256(numFixedInputs) + uint256(numOutputs) + 1;
        bytes4 selector = bytes4(keccak256(abi.encodePacked("verifyProof(uint256[8],uint256[", Strings.toString(n), "])")));
        circuitId = nextCircuitId++;
        circuits[circuitId] = Circuit(verifier, numFixedInputs, numOutputs, selector, checker);
        _circuitTerms[circuitId] = t;
        emit CircuitRegistered(circuitId, verifier, numFixedInputs, numOutputs, selector, checker);
        emit CircuitTermsSet(circuitId, t);
    }

    /// @inheritdoc IProcurementMarket
    function setCircuitTerms(uint256 circuitId, uint128 minProofPrice, uint32 minProveWindow, uint32 maxProveWindow)
        external
        onlyRole(CIRCUIT_ADMIN_ROLE)
    {
        if (circuitId >= nextCircuitId) revert Market_UnknownCircuit(circuitId);
        CircuitTerms storage pending = _pendingTerms[circuitId];
        if (pending.effectiveAt != 0 && pending.effectiveAt <= block.timestamp) {
            _circuitTerms[circuitId] = pending; // the earlier change is in force: keep it as the current terms
        }
        CircuitTerms memory t = _newTerms(minProofPrice, minProveWindow, maxProveWindow);
        _pendingTerms[circuitId] = t;
        emit CircuitTermsSet(circuitId, t);
    }

    /// @inheritdoc IProcurementMarket
    function circuitTerms(uint256 circuitId) external view returns (CircuitTerms memory) {
        if (circuitId >= nextCircuitId) revert Market_UnknownCircuit(circuitId);
        return _termsInForce(circuitId);
    }

    /// @dev The terms of a known circuit in force now (a change under notice once its time has come).
    function _termsInForce(uint256 circuitId) private view returns (CircuitTerms memory) {
        CircuitTerms memory pending = _pendingTerms[circuitId];
        if (pending.effectiveAt != 0 && pending.effectiveAt <= block.timestamp) return pending;
        return _circuitTerms[circuitId];
    }

    /// @inheritdoc IProcurementMarket
    function pendingCircuitTerms(uint256 circuitId) external view returns (CircuitTerms memory t) {
        t = _pendingTerms[circuitId];
        if (t.effectiveAt <= block.timestamp) delete t;
    }

    /// @inheritdoc IProcurementMarket
    function termsNotice() public view returns (uint64) {
        return _unbondingDelay;
    }

    /// @notice Whether `circuitId` is a registered circuit (active or under notice); the registry asks it on `optIn`.
    function isCircuit(uint256 circuitId) external view returns (bool) {
        return circuitId < nextCircuitId;
    }

    // ---------------------------------------------------------------- slots
    /// @inheritdoc IResultMarket
    function openSlot(
        uint256 circuitId,
        uint256[] calldata fixedInputs,
        bytes calldata payload,
        uint256 proofPrice,
        uint256 mixingProbability,
        uint64 proveWindow,
        uint256 maxEscrow,
        bool keepResult
    ) external nonReentrant whenNotPaused returns (uint256 slotId, SlotTerms memory terms) {
        Circuit storage c = _checkOpen(circuitId, fixedInputs, payload, proofPrice, mixingProbability, proveWindow);
        if (_parametersPending) _applyDueParameters();
        slotId = nextSlotId++;
        uint256 listLength;
        (terms, listLength) = _terms(circuitId, proofPrice, mixingProbability);
        if (terms.escrow > maxEscrow) revert Market_EscrowAboveMax(terms.escrow, maxEscrow);
        terms.verifier = c.verifier;
        terms.selector = c.selector;
        terms.numOutputs = c.numOutputs;
        terms.payloadHash = keccak256(payload);
        terms.fixedInputs = fixedInputs;
        _slots[slotId] = SlotState(
            keccak256(abi.encode(terms)),
            proveWindow,
            0,
            false,
            false,
            false,
            uint64(block.number),
            uint64(listLength),
            keepResult ? ResultStatus.PENDING : ResultStatus.NOT_KEPT
        );
        if (keepResult) _results[slotId] = RESULT_PENDING;
        _emitSlotOpened(slotId, terms, proveWindow, payload);
        _token.safeTransferFrom(msg.sender, address(this), terms.escrow);
    }

    /// @inheritdoc IResultMarket
    function resultOf(uint256 slotId) external view returns (ResultStatus status, bytes32 outputsHash) {
        SlotState storage s = _slot(slotId);
        status = s.result;
        if (status == ResultStatus.DELIVERED) return (status, _results[slotId]);
        // no proof is accepted after the deadline (or once cancelled): a pending result can no longer come
        if (status == ResultStatus.PENDING && (s.settled || (s.drawn && block.timestamp > s.deadline))) {
            status = ResultStatus.FAILED;
        }
    }

    /// @inheritdoc IProcurementMarket
    function draw(uint256 slotId, SlotTerms calldata terms) external nonReentrant returns (address designate) {
        SlotState storage s = _slotWithTerms(slotId, terms);
        if (s.drawn) revert Market_AlreadyDrawn(slotId);
        if (s.settled) revert Market_AlreadySettled(slotId);
        uint256 drawBlock = s.openBlock + drawDelay;
        if (block.number <= drawBlock) revert Market_DrawTooEarly(slotId, drawBlock + 1, block.number);
        bytes32 h = blockhash(drawBlock);
        if (h == bytes32(0)) revert Market_DrawExpired(slotId, drawBlock);
        uint256 word = uint256(keccak256(abi.encode(h, slotId, address(this))));
        designate = _registry.drawAndLock(
            terms.circuitId, word, terms.snapshot, s.listLength, DRAW_ATTEMPTS, slotId, terms.bondAtRisk, correlatedStake
        );
        if (designate == address(0)) {
            _cancel(slotId, s, terms, true);
            return designate;
        }
        SlotTerms memory t = terms;
        t.designate = designate;
        t.seed = keccak256(abi.encode(word, "procura.seed"));
        uint64 deadline = uint64(block.timestamp) + s.deadline; // s.deadline holds the prove window until now
        s.termsHash = keccak256(abi.encode(t));
        s.deadline = deadline;
        s.drawn = true;
        emit SlotDrawn(slotId, designate, t.seed, deadline, drawBlock);
    }

    /// @inheritdoc IProcurementMarket
    function cancel(uint256 slotId, SlotTerms calldata terms) external nonReentrant {
        SlotState storage s = _slotWithTerms(slotId, terms);
        if (s.drawn) revert Market_AlreadyDrawn(slotId);
        if (s.settled) revert Market_AlreadySettled(slotId);
        uint256 from = s.openBlock + drawDelay + BLOCKHASH_HORIZON + 1;
        if (block.number < from) revert Market_NotCancellable(slotId, from, block.number);
        _cancel(slotId, s, terms, false);
    }

    /// @inheritdoc IProcurementMarket
    function submitProof(
        uint256 slotId,
        SlotTerms calldata terms,
        uint256[] calldata outputs,
        uint256[8] calldata proof
    ) external {
        // No re-entrancy guard needed: the external calls are a registry view, the verifier's staticcall and, last,
        // the registry's unlock (a trusted contract that calls nothing back).
        SlotState storage s = _slotWithTerms(slotId, terms);
        if (block.timestamp > s.deadline) {
            // before the draw `deadline` holds the prove window (far below any unix time), so this catches it too
            if (!s.drawn) revert Market_NotDrawn(slotId);
            revert Market_DeadlinePassed(slotId, s.deadline, block.timestamp);
        }
        bool isDesignate = msg.sender == terms.designate;
        if (isDesignate) {
            if (s.designateDelivered) revert Market_AlreadyDelivered(slotId, msg.sender);
        } else {
            if (!_registry.isEligibleForSlot(msg.sender, terms.circuitId, terms.snapshot)) {
                revert Market_NotInSlotSet(slotId, msg.sender);
            }
        }
        if (outputs.length != terms.numOutputs) {
            revert Market_OutputCountMismatch(slotId, terms.numOutputs, outputs.length);
        }

        if (!SlotTermsCodec.verify(terms, outputs, proof, bindingOf(slotId, msg.sender))) {
            revert Market_InvalidProof(slotId, msg.sender);
        }

        if (isDesignate) {
            s.designateDelivered = true;
            emit ProofSubmitted(slotId, msg.sender, true, outputs);
            uint256 bond = terms.bondAtRisk;
            uint256 pool = correlatedStake;
            if (bond != 0 || pool != 0) _registry.unlock(msg.sender, slotId, bond, pool); // released on delivery
        } else {
            if (!_committeeOwed.trySetOwed(msg.sender, slotId)) revert Market_AlreadyDelivered(slotId, msg.sender);
            unchecked {
                s.committeeDeliveries += 1; // j < n <= 2^32: every prover delivers at most once
            }
            emit ProofSubmitted(slotId, msg.sender, false, outputs);
        }
        if (s.result == ResultStatus.PENDING) {
            s.result = ResultStatus.DELIVERED;
            bytes32 h = keccak256(abi.encodePacked(outputs));
            _results[slotId] = h;
            emit ResultKept(slotId, msg.sender, h);
        }
    }

    /// @inheritdoc IProcurementMarket
    function settle(uint256 slotId, SlotTerms calldata terms) external nonReentrant {
        SlotState storage s = _slotWithTerms(slotId, terms);
        if (!s.drawn) revert Market_NotDrawn(slotId);
        if (block.timestamp <= s.deadline) revert Market_DeadlineNotPassed(slotId, s.deadline, block.timestamp);
        if (s.settled) revert Market_AlreadySettled(slotId);
        s.settled = true;
        uint256 j = s.committeeDeliveries;
        uint256 each = _committeeShare(terms, s.designateDelivered, j);
        uint256 dust = j == 0 ? 0 : _committeePool(terms, s.designateDelivered) - each * j;
        address requester = terms.requester;
        if (s.designateDelivered) {
            uint256 designatePayout = terms.escrow - (j == 0 ? 0 : terms.committeePrize);
            _creditProver(slotId, terms.designate, designatePayout, PayoutKind.DESIGNATE);
            _credit(slotId, requester, dust, PayoutKind.DUST);
            emit SlotSettled(slotId, true, j, designatePayout, each, dust, 0);
        } else {
            _credit(slotId, requester, terms.escrow, PayoutKind.REFUND);
            _credit(slotId, msg.sender, terms.keeperFee, PayoutKind.KEEPER_FEE);
            _credit(slotId, requester, dust, PayoutKind.DUST);
            uint256 toRequester = _seized(terms) - (j == 0 ? 0 : _committeePool(terms, false));
            _credit(slotId, requester, toRequester, PayoutKind.SLASH_REFUND);
            emit SlotSettled(slotId, false, j, 0, each, terms.escrow, terms.bondAtRisk + correlatedStake);
            _registry.slash(terms.designate, slotId, terms.bondAtRisk, correlatedStake, address(this));
        }
    }

    /// @inheritdoc IProcurementMarket
    function creditCommittee(uint256 slotId, SlotTerms calldata terms, address prover)
        external
        nonReentrant
        returns (uint256 share)
    {
        SlotState storage s = _slotWithTerms(slotId, terms);
        if (!s.settled) revert Market_NotSettled(slotId);
        if (!_committeeOwed.isOwed(prover, slotId)) revert Market_NoCommitteeShare(slotId, prover);
        _committeeOwed.clearOwed(prover, slotId);
        bool delivered = s.designateDelivered;
        share = _committeeShare(terms, delivered, s.committeeDeliveries);
        _creditProver(slotId, prover, share, delivered ? PayoutKind.COMMITTEE : PayoutKind.SLASH_COMPENSATION);
    }

    /// @inheritdoc IResultMarket
    function claim() external nonReentrant {
        uint256 amount = claimable[msg.sender];
        if (amount == 0) revert Market_NothingToClaim(msg.sender);
        claimable[msg.sender] = 0;
        emit Claimed(msg.sender, amount);
        _token.safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc IProcurementMarket
    function distributeStakerRewards(address prover) external nonReentrant {
        uint256 amount = stakerRewards[prover];
        if (amount == 0) revert Market_NothingToDistribute(prover);
        stakerRewards[prover] = 0;
        bool toPool = _registry.totalSharesOf(prover) != 0;
        emit StakerRewardsDistributed(prover, amount, toPool);
        if (toPool) {
            _token.safeTransfer(address(_registry), amount);
            _registry.addRewards(prover, amount);
        } else {
            claimable[prover] += amount;
        }
    }

    // ---------------------------------------------------------------- views
    /// @inheritdoc IResultMarket
    function token() external view returns (IERC20) {
        return _token;
    }

    /// @inheritdoc IProcurementMarket
    function registry() external view returns (IProverRegistry) {
        return _registry;
    }

    /// @inheritdoc IProcurementMarket
    function slotState(uint256 slotId) external view returns (SlotState memory) {
        return _slot(slotId);
    }

    /// @inheritdoc IProcurementMarket
    function hashTerms(SlotTerms calldata terms) external pure returns (bytes32) {
        return keccak256(abi.encode(terms));
    }

    /// @inheritdoc IProcurementMarket
    function committeeShareOwed(uint256 slotId, address prover) external view returns (bool) {
        return _committeeOwed.isOwed(prover, slotId);
    }

    /// @inheritdoc IProcurementMarket
    function bindingOf(uint256 slotId, address prover) public view returns (uint256 binding) {
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore(p, chainid())
            mstore(add(p, 0x20), address())
            mstore(add(p, 0x40), slotId)
            mstore(add(p, 0x60), prover)
            binding := mod(keccak256(p, 0x80), SNARK_SCALAR_FIELD)
        }
    }


    // ---------------------------------------------------------------- internal
    /// @dev Validates openSlot's arguments against the circuit and its terms in force (and runs the circuit's payload
    ///      checker); returns the circuit.
    function _checkOpen(
        uint256 circuitId,
        uint256[] calldata fixedInputs,
        bytes calldata payload,
        uint256 proofPrice,
        uint256 mixingProbability,
        uint64 proveWindow
    ) private view returns (Circuit storage c) {
        c = circuits[circuitId];
        if (c.verifier == address(0)) revert Market_UnknownCircuit(circuitId); // every registered circuit has one
        CircuitTerms memory ct = _termsInForce(circuitId); // known: it has a verifier
        if (ct.effectiveAt > block.timestamp) revert Market_CircuitNotActive(circuitId, ct.effectiveAt);
        if (proofPrice < ct.minProofPrice) {
            revert Market_ProofPriceBelowMinimum(circuitId, proofPrice, ct.minProofPrice);
        }
        if (proveWindow < ct.minProveWindow || proveWindow > ct.maxProveWindow) {
            revert Market_ProveWindowOutOfRange(circuitId, proveWindow, ct.minProveWindow, ct.maxProveWindow);
        }
        uint256 expected = c.numFixedInputs;
        if (fixedInputs.length != expected) {
            revert Market_FixedInputCountMismatch(circuitId, expected, fixedInputs.length);
        }
        for (uint256 i = 0; i < fixedInputs.length; ++i) {
            if (fixedInputs[i] >= SNARK_SCALAR_FIELD) revert Market_InputNotInField(i, fixedInputs[i]);
        }
        if (mixingProbability > WAD) revert Market_InvalidMixingProbability(mixingProbability);
        address checker = c.checker;
        if (checker != address(0) && !IPayloadChecker(checker).isProvable(fixedInputs, payload)) {
            revert Market_UnprovableSlot(circuitId, checker);
        }
    }

    /// @dev Validated circuit terms taking effect after the notice.
    function _newTerms(uint128 minProofPrice, uint32 minProveWindow, uint32 maxProveWindow)
        private
        view
        returns (CircuitTerms memory)
    {
        uint64 delay = _unbondingDelay;
        if (minProofPrice == 0 || minProveWindow == 0 || minProveWindow > maxProveWindow || maxProveWindow >= delay) {
            revert Market_InvalidCircuitTerms(minProofPrice, minProveWindow, maxProveWindow, delay);
        }
        return CircuitTerms(minProofPrice, minProveWindow, maxProveWindow, uint64(block.timestamp) + delay);
    }

    /// @dev The static terms of a new slot (without the circuit fields, payloadHash and fixedInputs; designate and
    ///      seed come with the draw): n and the snapshot of the circuit's eligible set, amounts from the integer
    ///      recipe, bond at risk, keeper fee. Reverts `Market_NoEligibleProvers` when the circuit has none.
    function _terms(uint256 circuitId, uint256 proofPrice, uint256 mixingProbability)
        private
        view
        returns (SlotTerms memory t, uint256 listLength)
    {
        uint256 n;
        uint64 snapshot;
        (n, snapshot, listLength) = _registry.circuitSnapshot(circuitId);
        if (n == 0) revert Market_NoEligibleProvers(circuitId);
        uint256 m = n - 1;
        uint256 escrow = Math.mulDiv(PaymentMath.totalPrizeWad(m, mixingProbability), proofPrice, WAD);
        uint256 prize =
            m == 0 ? 0 : Math.min(Math.mulDiv(PaymentMath.committeePrizeWad(m, mixingProbability), proofPrice, WAD), escrow);
        t.requester = msg.sender;
        t.circuitId = uint32(circuitId); // < nextCircuitId <= 2^32 (registerCircuit)
        t.eligibleCount = SafeCast.toUint32(n);
        t.snapshot = snapshot;
        t.mixingProbability = uint64(mixingProbability); // <= 1e18 (checked)
        t.proofPrice = SafeCast.toUint128(proofPrice);
        t.escrow = SafeCast.toUint128(escrow);
        t.committeePrize = uint128(prize); // <= escrow
        (uint256 bond, uint256 fee) = _parameters();
        t.bondAtRisk = uint128(bond); // < 2^96
        t.keeperFee = uint128(fee); // <= bond
    }

    /// @dev Ends an undrawn slot: its escrow back to the requester, nothing locked, nothing slashed.
    function _cancel(uint256 slotId, SlotState storage s, SlotTerms calldata terms, bool noCandidate) private {
        s.settled = true;
        _credit(slotId, terms.requester, terms.escrow, PayoutKind.REFUND);
        emit SlotCancelled(slotId, noCandidate, terms.escrow);
    }

    function _slot(uint256 slotId) private view returns (SlotState storage s) {
        if (slotId >= nextSlotId) revert Market_UnknownSlot(slotId);
        s = _slots[slotId];
    }

    /// @dev The slot's state after checking that `terms` hash to its stored terms hash. An unknown slot has no terms
    ///      hash (every opened slot has a non-zero one), so this needs no read of `nextSlotId`.
    function _slotWithTerms(uint256 slotId, SlotTerms calldata terms) private view returns (SlotState storage s) {
        s = _slots[slotId];
        bytes32 stored = s.termsHash;
        if (stored == bytes32(0)) revert Market_UnknownSlot(slotId);
        bytes32 h = SlotTermsCodec.hash(terms);
        if (h != stored) revert Market_TermsMismatch(slotId, stored, h);
    }

    /// @dev What the committee deliverers of a settled slot share: committeePrize if the designate delivered;
    ///      min(committeePrize, B) under COMPENSATE_COMMITTEE if it failed (B = `_seized`); 0 under PAPER.
    function _committeePool(SlotTerms calldata terms, bool designateDelivered) private view returns (uint256) {
        if (designateDelivered) return terms.committeePrize;
        if (policy == FailurePolicy.PAPER) return 0;
        return Math.min(terms.committeePrize, _seized(terms));
    }

    /// @dev B of a failed slot: what its settlement hands to the committee and requester after the keeper fee
    ///      (designate bond + correlated committee-pool stake - keeper fee).
    function _seized(SlotTerms calldata terms) private view returns (uint256) {
        return terms.bondAtRisk + correlatedStake - terms.keeperFee;
    }

    /// @dev Share of each of the j committee deliverers (0 when j == 0).
    function _committeeShare(SlotTerms calldata terms, bool designateDelivered, uint256 j)
        private
        view
        returns (uint256)
    {
        return j == 0 ? 0 : _committeePool(terms, designateDelivered) / j;
    }

    /// @dev Credits a prover payout: the commission part to the operator, the rest to its stakers' accrual.
    function _creditProver(uint256 slotId, address prover, uint256 amount, PayoutKind kind) private {
        if (amount == 0) return;
        uint256 commission = _registry.commissionOf(prover);
        uint256 toStakers = amount - Math.mulDiv(amount, commission, BPS);
        if (toStakers != 0) {
            stakerRewards[prover] += toStakers;
            emit StakerRewardAccrued(slotId, prover, toStakers);
        }
        _credit(slotId, prover, amount - toStakers, kind);
    }

    /// @dev Slot bond and keeper fee in force now (a change under notice applies once its time has come).
    function _parameters() private view returns (uint256 bond, uint256 fee) {
        if (_parametersPending) {
            SlotParameters memory p = _pendingParameters;
            if (p.effectiveAt <= block.timestamp) return (p.slotBond, p.keeperFee);
        }
        return (_slotBond, _keeperFee);
    }

    /// @dev Makes a change whose notice has passed the current parameters (once; later slots read one word again).
    function _applyDueParameters() private {
        SlotParameters memory p = _pendingParameters;
        if (p.effectiveAt > block.timestamp) return;
        _slotBond = p.slotBond;
        _keeperFee = p.keeperFee;
        _parametersPending = false;
        delete _pendingParameters;
    }

    /// @dev The latest slot bond and keeper fee set, in force or under notice (what a new change builds on).
    function _latestParameters() private view returns (uint256 bond, uint256 fee) {
        if (_parametersPending) {
            SlotParameters memory p = _pendingParameters;
            return (p.slotBond, p.keeperFee);
        }
        return (_slotBond, _keeperFee);
    }

    /// @dev `keeperFee <= slotBond <= registry.minBond()` (every eligible prover can lock a full slot bond).
    function _validate(uint256 bond, uint256 fee) private view {
        uint256 minBond = _registry.minBond();
        if (bond > minBond) revert Market_InvalidSlotBond(bond, minBond, fee);
        if (fee > bond) revert Market_InvalidKeeperFee(fee, bond);
    }

    /// @dev Puts `(bond, fee)` under notice: in force from now + `termsNotice()`; a change already in force is kept
    ///      as the current parameters first, a change still under notice is replaced (with a fresh notice).
    function _schedule(uint256 bond, uint256 fee) private {
        _validate(bond, fee);
        if (_parametersPending) _applyDueParameters();
        uint64 effectiveAt = uint64(block.timestamp) + _unbondingDelay;
        _pendingParameters = SlotParameters(uint96(bond), uint96(fee), effectiveAt); // <= minBond, validated
        _parametersPending = true;
        emit SlotParametersSet(bond, fee, effectiveAt);
    }

    function _credit(uint256 slotId, address account, uint256 amount, PayoutKind kind) private {
        if (amount == 0) return;
        claimable[account] += amount;
        emit PayoutCredited(slotId, account, amount, uint8(kind));
    }

    function _emitSlotOpened(uint256 slotId, SlotTerms memory t, uint64 proveWindow, bytes calldata payload) private {
        emit SlotOpened(slotId, t.circuitId, t.requester, t, proveWindow, block.number + drawDelay, payload);
    }
}
