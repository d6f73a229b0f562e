// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {TestBase} from "../utils/TestBase.sol";
import {DigitsVerifier} from "../../src/verifiers/DigitsVerifier.sol";

/// @notice The gnark-exported DigitsVerifier accepts the Go-made fixture proof (test/fixtures/digits-proof.json:
///         proof[8], inputs[4] = modelCommitment, imageCommitment, predictedClass, binding) and rejects a tampered
///         proof, a tampered public input and a public input >= r (BN254 scalar field).
contract DigitsVerifierTest is TestBase {
    uint256 internal constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;

    DigitsVerifier internal verifier;
    uint256[8] internal proof;
    uint256[4] internal inputs;

    function setUp() public {
        verifier = new DigitsVerifier();
        string memory json = vm.readFile(string.concat(vm.projectRoot(), "/test/fixtures/digits-proof.json"));
        uint256[] memory p = vm.parseJsonUintArray(json, ".proof");
        uint256[] memory x = vm.parseJsonUintArray(json, ".inputs");
        vm.assertEq(p.length, 8, "proof words");
        vm.assertEq(x.length, 4, "public inputs");
        for (uint256 i = 0; i < 8; ++i) {
            proof[i] = p[i];
        }
        for (uint256 i = 0; i < 4; ++i) {
            inputs[i] = x[i];
        }
    }

    function test_acceptsFixtureProof() public view {
        verifier.verifyProof(proof, inputs);
    }

    function test_rejectsTamperedProof() public {
        uint256[8] memory bad = proof;
        bad[6] = bad[6] ^ 1;
        vm.expectRevert();
        verifier.verifyProof(bad, inputs);
    }

    function test_rejectsOtherBinding() public {
        uint256[4] memory bad = inputs;
        bad[3] = (bad[3] + 1) % R;
        vm.expectRevert(DigitsVerifier.ProofInvalid.selector);
        verifier.verifyProof(proof, bad);
    }

    function test_rejectsInputOutsideField() public {
        uint256[4] memory bad = inputs;
        bad[2] = bad[2] + R; // same residue, but not a canonical field element
        vm.expectRevert(DigitsVerifier.PublicInputNotInField.selector);
        verifier.verifyProof(proof, bad);
    }
}
