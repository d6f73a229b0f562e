// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {TestBase} from "../utils/TestBase.sol";
import {console} from "../utils/Vm.sol";
import {RollupVerifier} from "../../src/verifiers/RollupVerifier.sol";
import {RollupPayloadChecker} from "../../src/checkers/RollupPayloadChecker.sol";

/// @notice The rollup-2^14 circuit on chain (4 accounts, one transfer: the demo's second circuit): the verifier gnark
///         exported for the committed development keys (gpu-runtime/go/cmd/circuit setup -circuit rollup-2^14)
///         accepts the real proof of the sample batch (test/fixtures/rollup-proof.json) and nothing else, and the
///         payload checker accepts the proof's fixed input for the proof's payload.
contract RollupVerifierTest is TestBase {
    RollupVerifier internal verifier;
    uint256[8] internal proof;
    uint256[4] internal inputs;
    bytes internal payload;

    function setUp() public {
        string memory json = vm.readFile(string.concat(vm.projectRoot(), "/test/fixtures/rollup-proof.json"));
        uint256[] memory p = vm.parseJsonUintArray(json, ".proof");
        uint256[] memory x = vm.parseJsonUintArray(json, ".inputs");
        vm.assertEq(p.length, 8, "8 proof words");
        vm.assertEq(x.length, 4, "payload commitment, old root, new root, binding");
        for (uint256 i = 0; i < 8; ++i) {
            proof[i] = p[i];
        }
        for (uint256 i = 0; i < 4; ++i) {
            inputs[i] = x[i];
        }
        payload = vm.parseJsonBytes(json, ".payload");
        verifier = new RollupVerifier();
    }

    function test_theRealProofVerifies_andItsFixedInputIsThePayloadCommitment() public {
        uint256 before = gasleft();
        verifier.verifyProof(proof, inputs);
        console.log(string.concat("gas RollupVerifier.verifyProof (4 public inputs): ", vm.toString(before - gasleft())));
        RollupPayloadChecker checker = new RollupPayloadChecker(2, 1);
        uint256[] memory fixedInputs = new uint256[](1);
        fixedInputs[0] = inputs[0];
        vm.assertTrue(checker.isProvable(fixedInputs, payload), "the checker accepts the proof's payload");
    }

    function test_anotherOutputOrBindingIsRejected() public {
        for (uint256 i = 0; i < 4; ++i) {
            uint256[4] memory forged = inputs;
            forged[i] = (forged[i] + 1) % 21888242871839275222246405745257275088548364400416034343698204186575808495617;
            vm.expectRevert(RollupVerifier.ProofInvalid.selector);
            verifier.verifyProof(proof, forged);
        }
    }
}
