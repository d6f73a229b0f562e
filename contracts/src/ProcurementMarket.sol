// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

import {ProverRegistry} from "./ProverRegistry.sol";

/// @notice What happens to the designate's seized bond when it fails (MECHANISM.md §3).
/// @dev PAPER (0): all of it refunds the requester (Lem. 3.4 with Cor. 3.2).
///      COMPENSATE_COMMITTEE (1): committee deliverers first share min(Q, B), the rest refunds the requester.
enum FailurePolicy {
    PAPER,
    COMPENSATE_COMMITTEE
}

/// @notice Kind of a `PayoutCredited` credit.
/// @dev DESIGNATE (0): the designate's payment. COMMITTEE (1): a committee deliverer's share of the committee
///      prize. REFUND (2): the escrow back to the requester (designate failed). SLASH_REFUND (3): seized bond
///      handed to the requester. SLASH_COMPENSATION (4): a committee deliverer's share of the seized bond
///      (COMPENSATE_COMMITTEE). DUST (5): rounding remainder of an even split, to the requester.
enum PayoutKind {
    DESIGNATE,
    COMMITTEE,
    REFUND,
    SLASH_REFUND,
    SLASH_COMPENSATION,
    DUST
}

/// @title ProcurementMarket
/// @notice Slots of the designated uniform committee mechanism (MECHANISM.md §3, §6; Bahrani–Neuder–Weinberg,
///         *Adversarial procurement in blockchains*, Def. 3.1, Lem. 3.4): a requester escrows `T * proofPrice`,
///         a uniformly drawn designate must deliver a Groth16 (BN254) proof, every other eligible prover is a
///         committee member that may deliver (private coin with mixing probability p); after the deadline the
///         payment rule pays out (pull payments) or refunds the escrow and slashes the designate's bond.
/// @dev Units: tokens in ERC-20 base units of `token()`; `proofPrice` is the price of one proof in base units
///      (the unit "1" of the math); `mixingProbability` is p scaled by 1e18 (WAD); times in unix seconds.
///      Every path is O(1) or O(deliveries) in gas; nothing loops over provers.
///
///      Integer recipe for T and Q (shared with Java `io.procura.mechanism.PaymentRule`; keep identical):
///        WAD = 1e18; T_wad = WAD + m*p;
///        q_wad = (WAD - p)^m by exponentiation by squaring, right-to-left (least significant bit first):
///          r = WAD; b = WAD - p; e = m; while (e != 0) { if (e & 1 == 1) r = r*b/WAD; e >>= 1; if (e != 0) b = b*b/WAD; }
///          (every product rounded down); q_wad = r
///        Q_wad = (p == 0 || m == 0) ? WAD : floor(m*p*WAD / (WAD - q_wad))
///        escrow = floor(T_wad * proofPrice / WAD); committeePrize = (m == 0) ? 0 : min(floor(Q_wad * proofPrice / WAD), escrow)
contract ProcurementMarket is Ownable2Step, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /// @notice 1.0 in fixed point (18 decimals).
    uint256 public constant WAD = 1e18;
    /// @notice BN254 scalar field modulus r (public inputs of Groth16 over BN254 live in [0, r)).
    uint256 public constant SNARK_SCALAR_FIELD =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;

    /// @notice A registered circuit.
    /// @param verifier gnark-exported Groth16 verifier (`verifyProof(uint256[8],uint256[N])`, reverts on failure).
    /// @param numFixedInputs Public inputs fixed by the requester at `openSlot`.
    /// @param numOutputs Public inputs supplied by the prover at `submitProof`.
    /// @param selector `bytes4(keccak256("verifyProof(uint256[8],uint256[N])"))`, N = fixed + outputs + 1 (binding).
    struct Circuit {
        address verifier;
        uint8 numFixedInputs;
        uint8 numOutputs;
        bytes4 selector;
    }

    /// @notice State of one slot (static fields; fixed inputs and deliverers have their own views).
    /// @param circuitId Circuit to prove.
    /// @param requester Account that opened (and funded) the slot.
    /// @param designate Prover drawn to deliver.
    /// @param deadline Last unix second (inclusive) at which proofs are accepted.
    /// @param designateDelivered Whether the designate delivered.
    /// @param settled Whether `settle` ran.
    /// @param eligibleCount n: eligible provers when the slot opened (committee size m = n - 1).
    /// @param snapshot Registry eligibility epoch when the slot opened.
    /// @param mixingProbability p scaled by 1e18.
    /// @param proofPrice Price of one proof (base units).
    /// @param escrow T * proofPrice escrowed from the requester (base units).
    /// @param committeePrize Q * proofPrice, capped at escrow (base units).
    /// @param bondAtRisk Designate bond locked for the slot: min(slotBond, free bond) (base units).
    /// @param committeeDeliveries Number of committee members that delivered.
    /// @param seed Slot seed for the committee's private coins (VRF input).
    /// @param payloadHash keccak256 of the input payload given at `openSlot`.
    struct Slot {
        uint256 circuitId;
        address requester;
        address designate;
        uint64 deadline;
        bool designateDelivered;
        bool settled;
        uint256 eligibleCount;
        uint256 snapshot;
        uint256 mixingProbability;
        uint256 proofPrice;
        uint256 escrow;
        uint256 committeePrize;
        uint256 bondAtRisk;
        uint256 committeeDeliveries;
        bytes32 seed;
        bytes32 payloadHash;
    }

    // ---------------------------------------------------------------- errors
    /// @notice A constructor argument is the zero address.
    error Market_ZeroAddress();
    /// @notice The registry's bond token differs from the market's token.
    error Market_TokenMismatch(address marketToken, address registryToken);
    /// @notice The verifier address holds no code.
    error Market_VerifierHasNoCode(address verifier);
    /// @notice No circuit with this id.
    error Market_UnknownCircuit(uint256 circuitId);
    /// @notice No slot with this id.
    error Market_UnknownSlot(uint256 slotId);
    /// @notice Wrong number of fixed inputs for the circuit.
    error Market_FixedInputCountMismatch(uint256 circuitId, uint256 expected, uint256 actual);
    /// @notice Wrong number of outputs for the circuit.
    error Market_OutputCountMismatch(uint256 slotId, uint256 expected, uint256 actual);
    /// @notice A fixed input is not a BN254 scalar (>= r): the slot would be unprovable.
    error Market_InputNotInField(uint256 index, uint256 value);
    /// @notice p > 1e18.
    error Market_InvalidMixingProbability(uint256 mixingProbability);
    /// @notice proofPrice == 0.
    error Market_ZeroProofPrice();
    /// @notice proveWindow must be in (0, unbondingDelay).
    error Market_InvalidProveWindow(uint64 proveWindow, uint64 unbondingDelay);
    /// @notice The registry has no eligible prover.
    error Market_NoEligibleProvers();
    /// @notice The deadline passed (submitProof).
    error Market_DeadlinePassed(uint256 slotId, uint64 deadline, uint256 nowTime);
    /// @notice The deadline has not passed yet (settle).
    error Market_DeadlineNotPassed(uint256 slotId, uint64 deadline, uint256 nowTime);
    /// @notice The prover already delivered a proof for this slot.
    error Market_AlreadyDelivered(uint256 slotId, address prover);
    /// @notice The sender is neither the designate nor was eligible when the slot opened.
    error Market_NotInSlotSet(uint256 slotId, address prover);
    /// @notice The Groth16 verifier rejected the proof (or reverted for another reason).
    error Market_InvalidProof(uint256 slotId, address prover);
    /// @notice `settle` called twice.
    error Market_AlreadySettled(uint256 slotId);
    /// @notice `claim` with nothing claimable.
    error Market_NothingToClaim(address account);

    // ---------------------------------------------------------------- events
    /// @notice A circuit was registered.
    event CircuitRegistered(
        uint256 indexed circuitId, address indexed verifier, uint8 numFixedInputs, uint8 numOutputs, bytes4 selector
    );
    /// @notice A slot opened. Amounts in base units; `mixingProbability` scaled 1e18; `deadline` unix s.
    event SlotOpened(
        uint256 indexed slotId,
        uint256 indexed circuitId,
        address indexed requester,
        address designate,
        uint256 eligibleCount,
        uint256 mixingProbability,
        uint256 proofPrice,
        uint256 escrow,
        uint256 committeePrize,
        uint256 bondAtRisk,
        uint64 deadline,
        bytes32 seed,
        uint256[] fixedInputs,
        bytes payload
    );
    /// @notice A valid proof was recorded for the slot.
    event ProofSubmitted(uint256 indexed slotId, address indexed prover, bool designate, uint256[] outputs);
    /// @notice `amount` base units were credited to `account` (`kind`: a `PayoutKind`).
    event PayoutCredited(uint256 indexed slotId, address indexed account, uint256 amount, uint8 kind);
    /// @notice The slot was settled. `refunded`: escrow credited back to the requester (whole escrow on failure,
    ///         split dust otherwise); `slashed`: designate bond seized.
    event SlotSettled(
        uint256 indexed slotId,
        bool designateDelivered,
        uint256 committeeDeliveries,
        uint256 designatePayout,
        uint256 committeePayoutEach,
        uint256 refunded,
        uint256 slashed
    );
    /// @notice `amount` base units were transferred to `account`.
    event Claimed(address indexed account, uint256 amount);

    // ---------------------------------------------------------------- storage
    IERC20 private immutable _token;
    ProverRegistry private immutable _registry;
    /// @notice Failure policy of this market.
    FailurePolicy public immutable policy;
    /// @notice Designate bond locked per slot (the stake at risk B, base units).
    uint256 public immutable slotBond;

    /// @notice Registered circuits by id.
    mapping(uint256 circuitId => Circuit) public circuits;
    /// @notice Id the next registered circuit gets.
    uint256 public nextCircuitId;
    /// @notice Id the next opened slot gets.
    uint256 public nextSlotId;
    /// @notice Credited, not yet claimed tokens per account (base units).
    mapping(address account => uint256) public claimable;

    mapping(uint256 slotId => Slot) private _slots;
    mapping(uint256 slotId => uint256[]) private _fixedInputs;
    mapping(uint256 slotId => address[]) private _committeeDeliverers;
    mapping(uint256 slotId => mapping(address prover => bool)) private _delivered;

    /// @param token_ Payment token (must equal `registry_.token()`).
    /// @param registry_ Prover registry (its market must be set to this contract before slots open).
    /// @param policy_ Failure policy (PAPER = 0, COMPENSATE_COMMITTEE = 1).
    /// @param slotBond_ Designate bond locked per slot, B (base units; 0 allowed).
    /// @param owner_ Owner (registers circuits).
    /// @dev Reverts `Market_ZeroAddress`, `Market_TokenMismatch`, `OwnableInvalidOwner`.
    constructor(IERC20 token_, ProverRegistry registry_, FailurePolicy policy_, uint256 slotBond_, address owner_)
        Ownable(owner_)
    {
        if (address(token_) == address(0) || address(registry_) == address(0)) revert Market_ZeroAddress();
        if (address(registry_.token()) != address(token_)) {
            revert Market_TokenMismatch(address(token_), address(registry_.token()));
        }
        _token = token_;
        _registry = registry_;
        policy = policy_;
        slotBond = slotBond_;
    }

    // ---------------------------------------------------------------- circuits
    /// @notice Registers a gnark-exported Groth16 verifier as a circuit.
    /// @dev Requirements: owner; `verifier` has code (`Market_VerifierHasNoCode`). The verifier must expose
    ///      `verifyProof(uint256[8] proof, uint256[N] input)` that reverts on an invalid proof, with
    ///      N = numFixedInputs + numOutputs + 1 (the last input is the binding). Emits `CircuitRegistered`.
    /// @param verifier Verifier contract.
    /// @param numFixedInputs Number of public inputs fixed at `openSlot`.
    /// @param numOutputs Number of public inputs supplied at `submitProof`.
    /// @return circuitId The new circuit's id (0, 1, 2, ...).
    function registerCircuit(address verifier, uint8 numFixedInputs, uint8 numOutputs)
        external
        onlyOwner
        returns (uint256 circuitId)
    {
        if (verifier.code.length == 0) revert Market_VerifierHasNoCode(verifier);
        uint256 n = uint256(numFixedInputs) + uint256(numOutputs) + 1;
        bytes4 selector = bytes4(keccak256(abi.encodePacked("verifyProof(uint256[8],uint256[", Strings.toString(n), "])")));
        circuitId = nextCircuitId++;
        circuits[circuitId] = Circuit(verifier, numFixedInputs, numOutputs, selector);
        emit CircuitRegistered(circuitId, verifier, numFixedInputs, numOutputs, selector);
    }

    // ---------------------------------------------------------------- slots
    /// @notice Opens a slot: escrows T * proofPrice from the caller, draws the designate, locks its bond.
    /// @dev MECHANISM.md §3, §6. n = registry.eligibleCount(), m = n - 1; T, Q from the integer recipe (contract
    ///      notes). Designate index = uint256(keccak256(abi.encode(block.prevrandao, slotId, address(this)))) % n;
    ///      seed = keccak256(abi.encode(that word, "procura.seed")). Bond at risk = min(slotBond, designate's free
    ///      bond): a designate whose free bond fell below slotBond (locked in other slots) risks only what is
    ///      free, and `bondAtRisk` in the event tells the truth.
    ///      Requirements: circuit exists; fixedInputs.length == numFixedInputs and each < r; p <= 1e18;
    ///      proofPrice > 0; 0 < proveWindow < registry.unbondingDelay(); n > 0; the caller approved `escrow`.
    ///      Emits `SlotOpened` (and the registry's `BondLocked`).
    /// @param circuitId Circuit to prove.
    /// @param fixedInputs Public inputs fixed by the requester (BN254 scalars).
    /// @param payload Input payload for the provers (only its hash is stored; the bytes are in the event).
    /// @param proofPrice Price of one proof (base units).
    /// @param mixingProbability Committee mixing probability p scaled by 1e18.
    /// @param proveWindow Seconds from now to the deadline (inclusive).
    /// @return slotId The new slot's id.
    function openSlot(
        uint256 circuitId,
        uint256[] calldata fixedInputs,
        bytes calldata payload,
        uint256 proofPrice,
        uint256 mixingProbability,
        uint64 proveWindow
    ) external nonReentrant returns (uint256 slotId) {
        uint256 n = _checkOpen(circuitId, fixedInputs, proofPrice, mixingProbability, proveWindow);
        slotId = nextSlotId++;
        Slot storage s = _initSlot(slotId, circuitId, n, proofPrice, mixingProbability, proveWindow);
        s.payloadHash = keccak256(payload);
        _fixedInputs[slotId] = fixedInputs;
        _emitSlotOpened(slotId, s, fixedInputs, payload);

        _token.safeTransferFrom(msg.sender, address(this), s.escrow);
        _registry.lock(s.designate, slotId, s.bondAtRisk);
    }

    /// @notice Submits a Groth16 proof for a slot; the market rebuilds the public inputs
    ///         fixedInputs ‖ outputs ‖ bindingOf(slotId, msg.sender) and calls the circuit's verifier.
    /// @dev Requirements: slot exists; `block.timestamp <= deadline` (`Market_DeadlinePassed`); sender has not
    ///      delivered (`Market_AlreadyDelivered`); sender is the designate or was eligible when the slot opened
    ///      (`Market_NotInSlotSet`); outputs.length == numOutputs; the verifier accepts (`Market_InvalidProof`,
    ///      also for outputs >= r, which gnark verifiers reject). Emits `ProofSubmitted`.
    /// @param slotId The slot.
    /// @param outputs Public outputs of the proof (BN254 scalars).
    /// @param proof Groth16 proof in gnark's Solidity layout: [A.x, A.y, B.x1, B.x0, B.y1, B.y0, C.x, C.y]
    ///        (as the verifier expects it; the market passes it through unchanged).
    function submitProof(uint256 slotId, uint256[] calldata outputs, uint256[8] calldata proof) external nonReentrant {
        Slot storage s = _slot(slotId);
        if (block.timestamp > s.deadline) revert Market_DeadlinePassed(slotId, s.deadline, block.timestamp);
        if (_delivered[slotId][msg.sender]) revert Market_AlreadyDelivered(slotId, msg.sender);
        bool isDesignate = msg.sender == s.designate;
        if (!isDesignate && !_registry.isEligibleForSlot(msg.sender, s.snapshot)) {
            revert Market_NotInSlotSet(slotId, msg.sender);
        }
        Circuit storage c = circuits[s.circuitId];
        if (outputs.length != c.numOutputs) revert Market_OutputCountMismatch(slotId, c.numOutputs, outputs.length);

        bytes memory callData = abi.encodePacked(
            c.selector, proof, _fixedInputs[slotId], outputs, bindingOf(slotId, msg.sender)
        );
        (bool ok,) = c.verifier.staticcall(callData);
        if (!ok) revert Market_InvalidProof(slotId, msg.sender);

        _delivered[slotId][msg.sender] = true;
        if (isDesignate) {
            s.designateDelivered = true;
        } else {
            _committeeDeliverers[slotId].push(msg.sender);
            s.committeeDeliveries += 1;
        }
        emit ProofSubmitted(slotId, msg.sender, isDesignate, outputs);
    }

    /// @notice Settles a slot after its deadline with the payment rule of MECHANISM.md §3 / §6; anyone may call,
    ///         once, at any time after the deadline. All payouts are credited to `claimable` (pull payments).
    /// @dev Designate delivered: j >= 1 committee deliverers get floor(committeePrize / j) each, the designate
    ///      escrow - committeePrize, split dust to the requester; j = 0: the designate gets the escrow; its bond
    ///      is unlocked. Designate failed: escrow refunded to the requester; the locked bond is slashed to this
    ///      contract (the designate is jailed); PAPER: all of it to the requester; COMPENSATE_COMMITTEE:
    ///      committee deliverers split min(committeePrize, slashed) (floor, dust to requester), the rest to the
    ///      requester. Zero credits are skipped. Gas is O(committee deliveries).
    ///      Requirements: slot exists; `block.timestamp > deadline` (`Market_DeadlineNotPassed`); not settled
    ///      (`Market_AlreadySettled`). Emits `PayoutCredited` per credit, then `SlotSettled`.
    /// @param slotId The slot.
    function settle(uint256 slotId) external nonReentrant {
        Slot storage s = _slot(slotId);
        if (block.timestamp <= s.deadline) revert Market_DeadlineNotPassed(slotId, s.deadline, block.timestamp);
        if (s.settled) revert Market_AlreadySettled(slotId);
        s.settled = true;

        address[] storage deliverers = _committeeDeliverers[slotId];
        uint256 j = deliverers.length;
        address requester = s.requester;
        uint256 designatePayout;
        uint256 each;
        uint256 refunded;
        uint256 slashed;

        if (s.designateDelivered) {
            uint256 prize = j == 0 ? 0 : s.committeePrize;
            designatePayout = s.escrow - prize;
            if (j != 0) {
                each = prize / j;
                refunded = prize - each * j;
            }
            _credit(slotId, s.designate, designatePayout, PayoutKind.DESIGNATE);
            for (uint256 i = 0; i < j; ++i) {
                _credit(slotId, deliverers[i], each, PayoutKind.COMMITTEE);
            }
            _credit(slotId, requester, refunded, PayoutKind.DUST);
        } else {
            refunded = s.escrow;
            slashed = s.bondAtRisk;
            _credit(slotId, requester, refunded, PayoutKind.REFUND);
            uint256 toRequester = slashed;
            if (policy == FailurePolicy.COMPENSATE_COMMITTEE && j != 0) {
                uint256 pool = Math.min(s.committeePrize, slashed);
                each = pool / j;
                for (uint256 i = 0; i < j; ++i) {
                    _credit(slotId, deliverers[i], each, PayoutKind.SLASH_COMPENSATION);
                }
                uint256 dust = pool - each * j;
                _credit(slotId, requester, dust, PayoutKind.DUST);
                toRequester = slashed - pool;
            }
            _credit(slotId, requester, toRequester, PayoutKind.SLASH_REFUND);
        }
        emit SlotSettled(slotId, s.designateDelivered, j, designatePayout, each, refunded, slashed);

        if (s.designateDelivered) {
            if (s.bondAtRisk != 0) _registry.unlock(s.designate, slotId, s.bondAtRisk);
        } else {
            _registry.slash(s.designate, slotId, slashed, address(this));
        }
    }

    /// @notice Transfers everything credited to `msg.sender`.
    /// @dev Requirements: something to claim (`Market_NothingToClaim`). Emits `Claimed`.
    function claim() external nonReentrant {
        uint256 amount = claimable[msg.sender];
        if (amount == 0) revert Market_NothingToClaim(msg.sender);
        claimable[msg.sender] = 0;
        emit Claimed(msg.sender, amount);
        _token.safeTransfer(msg.sender, amount);
    }

    // ---------------------------------------------------------------- views
    /// @notice The payment token.
    function token() external view returns (IERC20) {
        return _token;
    }

    /// @notice The prover registry.
    function registry() external view returns (ProverRegistry) {
        return _registry;
    }

    /// @notice Static state of a slot. Reverts `Market_UnknownSlot` for an unknown id.
    function getSlot(uint256 slotId) external view returns (Slot memory) {
        return _slot(slotId);
    }

    /// @notice Fixed public inputs of a slot.
    function fixedInputsOf(uint256 slotId) external view returns (uint256[] memory) {
        _slot(slotId);
        return _fixedInputs[slotId];
    }

    /// @notice Committee members that delivered for a slot, in delivery order.
    function committeeDeliverersOf(uint256 slotId) external view returns (address[] memory) {
        _slot(slotId);
        return _committeeDeliverers[slotId];
    }

    /// @notice Whether `prover` delivered a valid proof for `slotId`.
    function isDelivered(uint256 slotId, address prover) external view returns (bool) {
        return _delivered[slotId][prover];
    }

    /// @notice The binding public input of `prover` for `slotId` (DESIGN.md §3):
    ///         uint256(keccak256(abi.encode(block.chainid, address(this), slotId, prover))) mod r (BN254).
    function bindingOf(uint256 slotId, address prover) public view returns (uint256) {
        return uint256(keccak256(abi.encode(block.chainid, address(this), slotId, prover))) % SNARK_SCALAR_FIELD;
    }

    /// @notice T in WAD: 1e18 + m*p (MECHANISM.md §3, T = 1 + m p).
    /// @dev Reverts `Market_InvalidMixingProbability` when p > 1e18; panics on overflow of m*p.
    /// @param m Committee size (n - 1).
    /// @param p Mixing probability scaled 1e18.
    function totalPrizeWad(uint256 m, uint256 p) public pure returns (uint256) {
        if (p > WAD) revert Market_InvalidMixingProbability(p);
        return WAD + m * p;
    }

    /// @notice Q in WAD: m*p / (1 - (1-p)^m) (MECHANISM.md §3), 1e18 when p == 0 or m == 0; integer recipe in the
    ///         contract notes.
    /// @dev Reverts `Market_InvalidMixingProbability` when p > 1e18.
    /// @param m Committee size (n - 1).
    /// @param p Mixing probability scaled 1e18.
    function committeePrizeWad(uint256 m, uint256 p) public pure returns (uint256) {
        if (p > WAD) revert Market_InvalidMixingProbability(p);
        if (p == 0 || m == 0) return WAD;
        uint256 q = wadPow(WAD - p, m);
        // q <= WAD - p < WAD, so the divisor is >= p > 0.
        return Math.mulDiv(m * p, WAD, WAD - q);
    }

    /// @notice x^e in WAD by exponentiation by squaring, least significant bit first, each product rounded down:
    ///         r = WAD; while (e != 0) { if (e & 1 == 1) r = r*x/WAD; e >>= 1; if (e != 0) x = x*x/WAD; }
    /// @param x Base in WAD (<= 1e18 in this contract's use; larger values may overflow and panic).
    /// @param e Exponent.
    function wadPow(uint256 x, uint256 e) public pure returns (uint256 r) {
        r = WAD;
        while (e != 0) {
            if (e & 1 == 1) r = (r * x) / WAD;
            e >>= 1;
            if (e != 0) x = (x * x) / WAD;
        }
    }

    // ---------------------------------------------------------------- internal
    /// @dev Validates openSlot's arguments and returns n = registry.eligibleCount() (> 0).
    function _checkOpen(
        uint256 circuitId,
        uint256[] calldata fixedInputs,
        uint256 proofPrice,
        uint256 mixingProbability,
        uint64 proveWindow
    ) private view returns (uint256 n) {
        if (circuitId >= nextCircuitId) revert Market_UnknownCircuit(circuitId);
        uint256 expected = circuits[circuitId].numFixedInputs;
        if (fixedInputs.length != expected) {
            revert Market_FixedInputCountMismatch(circuitId, expected, fixedInputs.length);
        }
        for (uint256 i = 0; i < fixedInputs.length; ++i) {
            if (fixedInputs[i] >= SNARK_SCALAR_FIELD) revert Market_InputNotInField(i, fixedInputs[i]);
        }
        if (mixingProbability > WAD) revert Market_InvalidMixingProbability(mixingProbability);
        if (proofPrice == 0) revert Market_ZeroProofPrice();
        uint64 delay = _registry.unbondingDelay();
        if (proveWindow == 0 || proveWindow >= delay) revert Market_InvalidProveWindow(proveWindow, delay);
        n = _registry.eligibleCount();
        if (n == 0) revert Market_NoEligibleProvers();
    }

    /// @dev Writes the static fields of a new slot: amounts from the integer recipe, designate draw, seed,
    ///      snapshot, bond at risk.
    function _initSlot(
        uint256 slotId,
        uint256 circuitId,
        uint256 n,
        uint256 proofPrice,
        uint256 mixingProbability,
        uint64 proveWindow
    ) private returns (Slot storage s) {
        s = _slots[slotId];
        uint256 m = n - 1;
        uint256 escrow = Math.mulDiv(totalPrizeWad(m, mixingProbability), proofPrice, WAD);
        s.escrow = escrow;
        s.committeePrize =
            m == 0 ? 0 : Math.min(Math.mulDiv(committeePrizeWad(m, mixingProbability), proofPrice, WAD), escrow);
        uint256 word = uint256(keccak256(abi.encode(block.prevrandao, slotId, address(this))));
        address designate = _registry.eligibleProverAt(word % n);
        s.circuitId = circuitId;
        s.requester = msg.sender;
        s.designate = designate;
        s.deadline = uint64(block.timestamp) + proveWindow;
        s.eligibleCount = n;
        s.snapshot = _registry.eligibilityEpoch();
        s.mixingProbability = mixingProbability;
        s.proofPrice = proofPrice;
        s.bondAtRisk = Math.min(slotBond, _registry.freeBondOf(designate));
        s.seed = keccak256(abi.encode(word, "procura.seed"));
    }

    function _slot(uint256 slotId) private view returns (Slot storage s) {
        if (slotId >= nextSlotId) revert Market_UnknownSlot(slotId);
        s = _slots[slotId];
    }

    function _credit(uint256 slotId, address account, uint256 amount, PayoutKind kind) private {
        if (amount == 0) return;
        claimable[account] += amount;
        emit PayoutCredited(slotId, account, amount, uint8(kind));
    }

    function _emitSlotOpened(uint256 slotId, Slot storage s, uint256[] memory fixedInputs, bytes memory payload)
        private
    {
        emit SlotOpened(
            slotId,
            s.circuitId,
            s.requester,
            s.designate,
            s.eligibleCount,
            s.mixingProbability,
            s.proofPrice,
            s.escrow,
            s.committeePrize,
            s.bondAtRisk,
            s.deadline,
            s.seed,
            fixedInputs,
            payload
        );
    }
}
