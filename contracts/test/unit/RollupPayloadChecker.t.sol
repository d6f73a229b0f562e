// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {TestBase} from "../utils/TestBase.sol";
import {RollupPayloadChecker} from "../../src/checkers/RollupPayloadChecker.sol";
import {VmJsonKeys} from "./MiMC.t.sol";

/// @notice RollupPayloadChecker against the payloads and commitments that the Go side computed
///         (test/fixtures/mimc-vectors.json, "rollup": rollup.PayloadCommitment of gpu-runtime/go/circuits/rollup).
contract RollupPayloadCheckerTest is TestBase {
    string internal json;

    function setUp() public {
        json = vm.readFile(string.concat(vm.projectRoot(), "/test/fixtures/mimc-vectors.json"));
    }

    function _vector(uint256 i)
        internal
        returns (RollupPayloadChecker checker, bytes memory payload, uint256 commitment)
    {
        string memory key = string.concat(".rollup[", vm.toString(i), "]");
        checker = new RollupPayloadChecker(
            vm.parseJsonUint(json, string.concat(key, ".depth")), vm.parseJsonUint(json, string.concat(key, ".transfers"))
        );
        payload = vm.parseJsonBytes(json, string.concat(key, ".payload"));
        commitment = vm.parseJsonUint(json, string.concat(key, ".commitment"));
    }

    function _one(uint256 v) internal pure returns (uint256[] memory x) {
        x = new uint256[](1);
        x[0] = v;
    }

    function test_tagIsGos() public {
        RollupPayloadChecker checker = new RollupPayloadChecker(4, 3);
        vm.assertEq(checker.PAYLOAD_TAG(), vm.parseJsonUint(json, ".rollupPayloadTag"), "PAYLOAD_TAG is rollup.PayloadTag");
        vm.assertEq(checker.payloadBytes(), 8 * 16 + 16 * 3, "16 balances and 3 transfers");
    }

    function test_commitmentsMatchGo_andOnlyTheRightSlotIsProvable() public {
        uint256 n;
        while (VmJsonKeys(address(vm)).keyExistsJson(json, string.concat(".rollup[", vm.toString(n), "]"))) {
            (RollupPayloadChecker checker, bytes memory payload, uint256 commitment) = _vector(n);
            vm.assertEq(checker.payloadCommitment(payload), commitment, "rollup.PayloadCommitment");
            vm.assertTrue(checker.isProvable(_one(commitment), payload), "its own commitment: provable");
            vm.assertFalse(checker.isProvable(_one(commitment ^ 1), payload), "another commitment: not provable");
            bytes memory flipped = bytes.concat(payload);
            flipped[flipped.length - 1] ^= 0x01;
            vm.assertFalse(checker.isProvable(_one(commitment), flipped), "another payload: not provable");
            vm.assertFalse(checker.isProvable(_one(commitment), bytes.concat(payload, hex"00")), "a longer payload");
            vm.assertFalse(checker.isProvable(new uint256[](2), payload), "two fixed inputs");
            ++n;
        }
        vm.assertGe(n, 2, "vector count");
    }

    function test_payloadCommitmentRefusesAWrongLength_constructorItsParameters() public {
        RollupPayloadChecker checker = new RollupPayloadChecker(4, 3);
        vm.expectRevert(abi.encodeWithSelector(RollupPayloadChecker.RollupChecker_PayloadLength.selector, 5, 176));
        checker.payloadCommitment(hex"0102030405");
        vm.expectRevert(abi.encodeWithSelector(RollupPayloadChecker.RollupChecker_Parameters.selector, 0, 3));
        new RollupPayloadChecker(0, 3);
        vm.expectRevert(abi.encodeWithSelector(RollupPayloadChecker.RollupChecker_Parameters.selector, 4, 4097));
        new RollupPayloadChecker(4, 4097);
    }
}
