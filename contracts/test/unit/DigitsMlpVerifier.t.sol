// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {TestBase} from "../utils/TestBase.sol";
import {console} from "../utils/Vm.sol";
import {DigitsMlpVerifier} from "../../src/verifiers/DigitsMlpVerifier.sol";
import {DigitsPayloadChecker} from "../../src/checkers/DigitsPayloadChecker.sol";

/// @notice The zkML digits-mlp circuit on chain (gpu-runtime/go/circuits/mlp: a quantised MLP baked into the
///         circuit): the verifier gnark exported for the committed development keys accepts the real proof of the
///         sample image (test/fixtures/digits-mlp-proof.json) and no other class or binding, and the digits payload
///         checker, deployed with the MLP's model commitment, accepts the proof's fixed inputs for its payload.
contract DigitsMlpVerifierTest is TestBase {
    DigitsMlpVerifier internal verifier;
    uint256[8] internal proof;
    uint256[4] internal inputs;
    bytes internal payload;

    function setUp() public {
        string memory json = vm.readFile(string.concat(vm.projectRoot(), "/test/fixtures/digits-mlp-proof.json"));
        uint256[] memory p = vm.parseJsonUintArray(json, ".proof");
        uint256[] memory x = vm.parseJsonUintArray(json, ".inputs");
        vm.assertEq(p.length, 8, "8 proof words");
        vm.assertEq(x.length, 4, "model commitment, image commitment, class, binding");
        for (uint256 i = 0; i < 8; ++i) {
            proof[i] = p[i];
        }
        for (uint256 i = 0; i < 4; ++i) {
            inputs[i] = x[i];
        }
        payload = vm.parseJsonBytes(json, ".payload");
        verifier = new DigitsMlpVerifier();
    }

    function test_theRealProofVerifies_andTheDigitsCheckerAcceptsItsFixedInputs() public {
        uint256 before = gasleft();
        verifier.verifyProof(proof, inputs);
        console.log(string.concat("gas DigitsMlpVerifier.verifyProof (4 public inputs): ", vm.toString(before - gasleft())));
        DigitsPayloadChecker checker = new DigitsPayloadChecker(inputs[0]);
        uint256[] memory fixedInputs = new uint256[](2);
        fixedInputs[0] = inputs[0];
        fixedInputs[1] = inputs[1];
        vm.assertTrue(checker.isProvable(fixedInputs, payload), "the image commitment is the digits circuit's");
        vm.assertLt(inputs[2], 10, "a class");
    }

    function test_anotherClassOrBindingIsRejected() public {
        for (uint256 i = 2; i < 4; ++i) {
            uint256[4] memory forged = inputs;
            forged[i] = i == 2 ? (forged[i] + 1) % 10 : forged[i] + 1;
            vm.expectRevert(DigitsMlpVerifier.ProofInvalid.selector);
            verifier.verifyProof(proof, forged);
        }
    }
}
