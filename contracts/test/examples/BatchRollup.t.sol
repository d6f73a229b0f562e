// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {MarketFixture} from "../utils/MarketFixture.sol";
import {Vm} from "../utils/Vm.sol";
import {FailurePolicy, SlotTerms, ResultStatus} from "../../src/types/MarketTypes.sol";
import {IProcurementMarket} from "../../src/interfaces/IProcurementMarket.sol";
import {RollupVerifier} from "../../src/verifiers/RollupVerifier.sol";
import {RollupPayloadChecker} from "../../src/checkers/RollupPayloadChecker.sol";
import {BatchRollup} from "../../src/examples/BatchRollup.sol";

/// @notice The example consumer contract end to end on the real rollup-2^14 circuit (4 accounts, one transfer): its
///         root advances only on the market's verified result, in order, never on a wrong or stale claim, and a
///         failed batch's refund comes back to the operator to the unit. Proofs are made at test time for the
///         binding the market computes (forge `ffi` runs gpu-runtime/go/cmd/proofgen -circuit with the bundled
///         rollup-2^14 key, about a second per proof).
contract BatchRollupTest is MarketFixture {
    uint256 internal constant P = 5e17;
    /// @dev The sample batch of test/fixtures/rollup-proof.json: balances [100, 200, 300, 400]; account 0 sends 50 to
    ///      account 5 (= 1 mod 4).
    bytes internal constant BATCH_1 =
        hex"000000000000006400000000000000c8000000000000012c000000000000019000000000000000050000000000000032";
    /// @dev The balances after BATCH_1, [50, 250, 300, 400]; account 2 sends 25 to account 3.
    bytes internal constant BATCH_2 =
        hex"000000000000003200000000000000fa000000000000012c000000000000019000000002000000030000000000000019";
    /// @dev Balances [50, 250, 300, 400] again, but account 0 tries to send 51 (an overdraft: a no-op transfer).
    bytes internal constant OVERDRAFT =
        hex"000000000000003200000000000000fa000000000000012c000000000000019000000000000000010000000000000033";

    address internal operator = address(0x0F0F);
    RollupVerifier internal rollupVerifier;
    RollupPayloadChecker internal checker;
    uint256 internal rollupCircuit;
    BatchRollup internal rollup;

    function setUp() public {
        _deploy(FailurePolicy.PAPER, SLOT_BOND);
        for (uint256 i = 0; i < provers.length; ++i) {
            vm.prank(provers[i]);
            registry.bond(2 * SLOT_BOND); // above MIN_BOND: a prover that takes a slot stays eligible
        }
        rollupVerifier = new RollupVerifier();
        checker = new RollupPayloadChecker(2, 1);
        rollupCircuit = _registerCircuit(address(rollupVerifier), 1, 2, address(checker));
        string memory json = vm.readFile(string.concat(vm.projectRoot(), "/test/fixtures/rollup-proof.json"));
        uint256 genesis = vm.parseJsonUintArray(json, ".inputs")[1]; // OldRoot of BATCH_1: the roots of its balances
        rollup = new BatchRollup(market, rollupCircuit, operator, genesis);
        vm.prank(owner);
        token.mint(operator, 1_000e18);
        vm.prank(operator);
        token.approve(address(rollup), type(uint256).max);
    }

    // ---------------------------------------------------------------- helpers

    /// @dev Proposes `batch` as the operator; remembers the slot's terms (from SlotOpened) and draws its designate.
    function _propose(bytes memory batch) internal returns (uint256 slotId) {
        uint256 commitment = checker.payloadCommitment(batch);
        vm.recordLogs();
        vm.prank(operator);
        slotId = rollup.proposeBatch(batch, commitment, PRICE, P, WINDOW, 100e18);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].emitter == address(market) && logs[i].topics[0] == IProcurementMarket.SlotOpened.selector) {
                (SlotTerms memory t,,,) = abi.decode(logs[i].data, (SlotTerms, uint64, uint256, bytes));
                _termsOf[slotId] = t;
            }
        }
        vm.assertEq(_termsOf[slotId].requester, address(rollup), "the rollup is the slot's requester");
        _draw(slotId);
    }

    /// @dev Proves `batch` for `prover`'s binding in `slotId` and submits; returns the outputs (OldRoot, NewRoot).
    function _prove(uint256 slotId, bytes memory batch, address prover) internal returns (uint256[] memory outputs) {
        string[] memory cmd = new string[](11);
        cmd[0] = "go";
        cmd[1] = "-C";
        cmd[2] = "../gpu-runtime/go";
        cmd[3] = "run";
        cmd[4] = "./cmd/proofgen";
        cmd[5] = "-circuit";
        cmd[6] = "rollup-2^14";
        cmd[7] = "-payload";
        cmd[8] = vm.toString(batch);
        cmd[9] = "-binding";
        cmd[10] = vm.toString(market.bindingOf(slotId, prover));
        (uint256[8] memory proof, uint256[] memory inputs) = abi.decode(vm.ffi(cmd), (uint256[8], uint256[]));
        vm.assertEq(inputs.length, 4, "payload commitment, old root, new root, binding");
        vm.assertEq(inputs[0], checker.payloadCommitment(batch), "proofgen's payload is the batch");
        outputs = new uint256[](2);
        outputs[0] = inputs[1];
        outputs[1] = inputs[2];
        vm.prank(prover);
        market.submitProof(slotId, _t(slotId), outputs, proof);
    }

    // ---------------------------------------------------------------- tests

    /// Batches apply in order on the market's results only: not before a proof, not with a claimed root the proof
    /// did not output, not when stale; a chained batch starts from the root the previous one left. The operator pays
    /// exactly the escrows and the rollup keeps nothing.
    function test_rootAdvancesOnlyOnVerifiedResultsInOrder() public {
        uint256 balance = token.balanceOf(operator);
        uint256 first = _propose(BATCH_1);
        (ResultStatus status,) = market.resultOf(first);
        vm.assertEq(uint8(status), uint8(ResultStatus.PENDING), "pending");
        uint256 genesis = rollup.stateRoot();
        vm.expectRevert(
            abi.encodeWithSelector(BatchRollup.BatchRollup_NoResult.selector, first, ResultStatus.PENDING)
        );
        rollup.applyBatch(first, genesis, 1);

        uint256[] memory out1 = _prove(first, BATCH_1, _designate(first));
        vm.assertEq(out1[0], genesis, "BATCH_1 starts from the genesis root");
        vm.assertTrue(out1[1] != out1[0], "a transfer moves the root");
        // a wrong new root is not the market's result
        bytes32 result = keccak256(abi.encodePacked(out1[0], out1[1]));
        bytes32 forged = keccak256(abi.encodePacked(out1[0], out1[1] + 1));
        vm.expectRevert(abi.encodeWithSelector(BatchRollup.BatchRollup_WrongResult.selector, first, result, forged));
        rollup.applyBatch(first, out1[0], out1[1] + 1);

        // the same batch proposed again is proven too, but is stale once the first applied
        uint256 again = _propose(BATCH_1);
        _prove(again, BATCH_1, _designate(again));
        rollup.applyBatch(first, out1[0], out1[1]);
        vm.assertEq(rollup.stateRoot(), out1[1], "advanced to BATCH_1's new root");
        vm.assertFalse(rollup.pending(first), "applied once");
        vm.expectRevert(abi.encodeWithSelector(BatchRollup.BatchRollup_NotPending.selector, first));
        rollup.applyBatch(first, out1[0], out1[1]);
        vm.expectRevert(abi.encodeWithSelector(BatchRollup.BatchRollup_StaleBatch.selector, again, out1[0], out1[1]));
        rollup.applyBatch(again, out1[0], out1[1]);

        // the next batch, written by hand from BATCH_1's effect, starts exactly where the circuit says BATCH_1 ended
        uint256 second = _propose(BATCH_2);
        uint256[] memory out2 = _prove(second, BATCH_2, _committee(second, 0)); // a committee member's proof counts
        vm.assertEq(out2[0], out1[1], "BATCH_2's balances are the state BATCH_1 left");
        rollup.applyBatch(second, out2[0], out2[1]);
        vm.assertEq(rollup.stateRoot(), out2[1], "advanced to BATCH_2's new root");

        // an overdraft is a no-op transfer: the root stays, and the batch still applies
        uint256 third = _propose(OVERDRAFT);
        uint256[] memory out3 = _prove(third, OVERDRAFT, _designate(third));
        vm.assertEq(out3[0], out1[1], "OVERDRAFT starts from BATCH_1's state");
        vm.assertEq(out3[1], out3[0], "an overdrawing transfer changes nothing");

        uint256 paid = uint256(_t(first).escrow) + _t(again).escrow + _t(second).escrow + _t(third).escrow;
        vm.assertEq(balance - token.balanceOf(operator), paid, "the operator paid exactly the four escrows");
        vm.assertEq(token.balanceOf(address(rollup)), 0, "the rollup keeps nothing");
        vm.assertEq(token.allowance(address(rollup), address(market)), 0, "no allowance left behind");
    }

    /// A batch whose designate fails: the result is FAILED once the window closes, the batch cannot apply, and
    /// `withdraw` hands the operator the escrow and the seized bond (PAPER policy: all of it but the keeper fee).
    function test_aFailedBatchRefundsTheOperatorToTheUnit() public {
        uint256 balance = token.balanceOf(operator);
        uint256 slotId = _propose(BATCH_1);
        SlotTerms memory t = _t(slotId);
        vm.warp(block.timestamp + WINDOW + 1);
        (ResultStatus status, bytes32 h) = market.resultOf(slotId);
        vm.assertEq(uint8(status), uint8(ResultStatus.FAILED), "no proof can come any more");
        vm.assertEq(h, bytes32(0), "no result");
        vm.expectRevert(abi.encodeWithSelector(BatchRollup.BatchRollup_NoResult.selector, slotId, ResultStatus.FAILED));
        rollup.applyBatch(slotId, 0, 0);

        vm.prank(address(0xC0FFEE));
        market.settle(slotId, t);
        uint256 refund = uint256(t.escrow) + t.bondAtRisk - t.keeperFee;
        vm.assertEq(market.claimable(address(rollup)), refund, "escrow and seized bond credited to the rollup");
        vm.expectRevert(abi.encodeWithSelector(BatchRollup.BatchRollup_NotOperator.selector, address(this)));
        rollup.withdraw();
        vm.prank(operator);
        uint256 withdrawn = rollup.withdraw();
        vm.assertEq(withdrawn, refund, "withdrawn");
        vm.assertEq(token.balanceOf(operator), balance - t.escrow + refund, "operator: escrow back plus the bond");
        vm.assertEq(token.balanceOf(address(rollup)), 0, "the rollup keeps nothing");
    }

    /// Only the operator proposes; the market's payload checker refuses a payload that is not the committed one.
    function test_onlyTheOperatorProposes_andTheCheckerGuardsThePayload() public {
        uint256 right = checker.payloadCommitment(BATCH_1);
        vm.expectRevert(abi.encodeWithSelector(BatchRollup.BatchRollup_NotOperator.selector, address(this)));
        rollup.proposeBatch(BATCH_1, right, PRICE, P, WINDOW, 100e18);
        uint256 wrong = checker.payloadCommitment(BATCH_2);
        vm.prank(operator);
        vm.expectRevert(
            abi.encodeWithSelector(IProcurementMarket.Market_UnprovableSlot.selector, rollupCircuit, address(checker))
        );
        rollup.proposeBatch(BATCH_1, wrong, PRICE, P, WINDOW, 100e18);
    }
}
