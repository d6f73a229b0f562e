// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IProcurementMarket} from "../../src/interfaces/IProcurementMarket.sol";
import {MarketFixture} from "../utils/MarketFixture.sol";
import {TestBase} from "../utils/TestBase.sol";
import {FailurePolicy, ProcurementMarket} from "../../src/ProcurementMarket.sol";
import {DigitsVerifier} from "../../src/verifiers/DigitsVerifier.sol";

/// @notice Attacks on proofs with the REAL gnark verifier and the Go-made fixture proof
///         (test/fixtures/digits-proof.json: inputs = modelCommitment, imageCommitment, predictedClass, binding).
///         What defeats resubmission is the binding public input (keccak of chainid, market, slotId, prover) that
///         the market rebuilds for msg.sender, plus "one delivery per prover per slot"; the Java test
///         ProofBindingOnChainTest repeats these with proofs made for the market's own bindings on anvil.
contract ProofAttackTest is MarketFixture {
    /// @dev BN254 base field modulus q (coordinates of G1/G2 points).
    uint256 internal constant Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583;

    DigitsVerifier internal digits;
    uint256 internal digitsCircuit;
    uint256[8] internal proof;
    uint256[4] internal inputs;

    function setUp() public {
        _deploy(FailurePolicy.COMPENSATE_COMMITTEE, SLOT_BOND);
        digits = new DigitsVerifier();
        digitsCircuit = _registerCircuit(address(digits), 2, 1, address(0));
        string memory json = vm.readFile(string.concat(vm.projectRoot(), "/test/fixtures/digits-proof.json"));
        uint256[] memory p = vm.parseJsonUintArray(json, ".proof");
        uint256[] memory x = vm.parseJsonUintArray(json, ".inputs");
        for (uint256 i = 0; i < 8; ++i) {
            proof[i] = p[i];
        }
        for (uint256 i = 0; i < 4; ++i) {
            inputs[i] = x[i];
        }
    }

    /// @dev (A, B, C) -> (-A, -B, C): negate A.y and both Fp2 components of B.y (gnark layout
    ///      [A.x, A.y, B.x1, B.x0, B.y1, B.y0, C.x, C.y]). e(-A, -B) = e(A, B), so this is another valid proof.
    function _rerandomised(uint256[8] memory pr) internal pure returns (uint256[8] memory out) {
        out = pr;
        out[1] = pr[1] == 0 ? 0 : Q - pr[1];
        out[4] = pr[4] == 0 ? 0 : Q - pr[4];
        out[5] = pr[5] == 0 ? 0 : Q - pr[5];
    }

    function _openDigitsSlot() internal returns (uint256 slotId) {
        uint256[] memory fixedInputs = new uint256[](2);
        fixedInputs[0] = inputs[0];
        fixedInputs[1] = inputs[1];
        vm.prank(requester);
        slotId = _openSlot(digitsCircuit, fixedInputs, hex"00", PRICE, 5e17, WINDOW);
    }

    function _submitReal(uint256 slotId, address prover, uint256[8] memory pr) internal {
        uint256[] memory outputs = new uint256[](1);
        outputs[0] = inputs[2];
        vm.prank(prover);
        market.submitProof(slotId, _t(slotId), outputs, pr);
    }

    /// Groth16 malleability is real: the negated proof verifies for the same statement.
    function test_attack_rerandomisedProofIsValidForTheVerifier() public view {
        digits.verifyProof(proof, inputs);
        uint256[8] memory neg = _rerandomised(proof);
        vm.assertTrue(neg[1] != proof[1], "a different proof");
        digits.verifyProof(neg, inputs);
    }

    /// A valid proof seen in the mempool, copied by any prover of a slot, fails: the market binds the proof to
    /// msg.sender, and the copied proof's binding is someone else's.
    function test_attack_copiedProofIsRejectedForEveryProver() public {
        uint256 slotId = _openDigitsSlot();
        for (uint256 i = 0; i < PROVERS; ++i) {
            vm.assertTrue(market.bindingOf(slotId, provers[i]) != inputs[3], "binding differs");
            uint256[] memory outputs = new uint256[](1);
            outputs[0] = inputs[2];
            vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_InvalidProof.selector, slotId, provers[i]));
            vm.prank(provers[i]);
            market.submitProof(slotId, _t(slotId), outputs, proof);
        }
    }

    /// The re-randomised copy fails the same way: re-randomising cannot change the binding public input.
    function test_attack_rerandomisedCopyIsRejectedForEveryProver() public {
        uint256 slotId = _openDigitsSlot();
        uint256[8] memory neg = _rerandomised(proof);
        for (uint256 i = 0; i < PROVERS; ++i) {
            uint256[] memory outputs = new uint256[](1);
            outputs[0] = inputs[2];
            vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_InvalidProof.selector, slotId, provers[i]));
            vm.prank(provers[i]);
            market.submitProof(slotId, _t(slotId), outputs, neg);
        }
    }

    /// The binding commits to the chain id and the market: the same (slot, prover) on another chain or another
    /// market instance has another binding, so a proof cannot be replayed there.
    function test_attack_bindingDiffersAcrossChainsMarketsAndSlots() public {
        uint256 b = market.bindingOf(0, provers[0]);
        vm.assertTrue(market.bindingOf(1, provers[0]) != b, "slot");
        vm.assertTrue(market.bindingOf(0, provers[1]) != b, "prover");
        ProcurementMarket other = new ProcurementMarket(token, _freshRegistry(), FailurePolicy.PAPER, 0, 0, DRAW_DELAY, owner);
        vm.assertTrue(other.bindingOf(0, provers[0]) != b, "market");
        vm.chainId(8453);
        vm.assertTrue(market.bindingOf(0, provers[0]) != b, "chain");
    }

    /// A public input >= r with the same residue (an aliased output) is refused by the verifier, so the market
    /// cannot record it; a fixed input >= r cannot even be opened.
    function test_attack_publicInputAtOrAboveFieldModulusIsRejected() public {
        uint256[4] memory aliased = inputs;
        aliased[2] = inputs[2] + R;
        vm.expectRevert(DigitsVerifier.PublicInputNotInField.selector);
        digits.verifyProof(proof, aliased);

        uint256 slotId = _openDigitsSlot();
        address d = _designate(slotId);
        uint256[] memory outputs = new uint256[](1);
        outputs[0] = inputs[2] + R;
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_InvalidProof.selector, slotId, d));
        vm.prank(d);
        market.submitProof(slotId, _t(slotId), outputs, proof);

        uint256[] memory fixedInputs = new uint256[](2);
        fixedInputs[0] = inputs[0] + R;
        fixedInputs[1] = inputs[1];
        vm.expectRevert(abi.encodeWithSelector(IProcurementMarket.Market_InputNotInField.selector, 0, inputs[0] + R));
        vm.prank(requester);
        market.openSlot(digitsCircuit, fixedInputs, hex"00", PRICE, 5e17, WINDOW, type(uint256).max, false);
    }
}

/// @notice The deployed verifying key is not left at single-party "defaults": delta differs from gamma and from the
///         G2 generator (so the setup had at least a delta contribution), gamma is not the generator either, and every
///         public input — the binding in particular — has a non-zero verifying-key term (an unconstrained public
///         input would have a zero term and bind nothing). Reads the constants of the generated verifier source.
contract VerifyingKeyTest is TestBase {
    // BN254 G2 generator (EIP-197): x = x0 + x1*i, y = y0 + y1*i.
    uint256 internal constant G2_X0 = 10857046999023057135944570762232829481370756359578518086990519993285655852781;
    uint256 internal constant G2_X1 = 11559732032986387107991004021392285783925812861821192530917403151452391805634;

    string internal src;

    function setUp() public {
        src = vm.readFile(string.concat(vm.projectRoot(), "/src/verifiers/DigitsVerifier.sol"));
    }

    function _constant(string memory name) internal view returns (uint256) {
        string[] memory parts = vm.split(src, string.concat("uint256 constant ", name, " = "));
        vm.assertEq(parts.length, 2, string.concat("one definition of ", name));
        string[] memory value = vm.split(parts[1], ";");
        return vm.parseUint(vm.trim(value[0]));
    }

    function test_attack_deltaIsNeitherGammaNorTheGenerator() public view {
        uint256 dx0 = _constant("DELTA_NEG_X_0");
        uint256 dx1 = _constant("DELTA_NEG_X_1");
        uint256 gx0 = _constant("GAMMA_NEG_X_0");
        uint256 gx1 = _constant("GAMMA_NEG_X_1");
        // -P and P share x, so comparing x coordinates rules out delta = ±gamma and delta = ±G2 (both orderings of
        // the Fp2 components, whatever gnark's naming convention).
        vm.assertTrue(!(dx0 == gx0 && dx1 == gx1) && !(dx0 == gx1 && dx1 == gx0), "delta != +-gamma");
        vm.assertTrue(!(dx0 == G2_X0 && dx1 == G2_X1) && !(dx0 == G2_X1 && dx1 == G2_X0), "delta != +-G2");
        vm.assertTrue(!(gx0 == G2_X0 && gx1 == G2_X1) && !(gx0 == G2_X1 && gx1 == G2_X0), "gamma != +-G2");
    }

    function test_attack_everyPublicInputHasANonZeroKeyTerm() public view {
        for (uint256 i = 0; i < 4; ++i) {
            uint256 x = _constant(string.concat("PUB_", vm.toString(i), "_X"));
            uint256 y = _constant(string.concat("PUB_", vm.toString(i), "_Y"));
            vm.assertTrue(x != 0 || y != 0, "public input term is the point at infinity");
        }
    }
}
