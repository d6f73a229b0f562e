// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {GasMeter} from "../utils/GasMeter.sol";
import {FailurePolicy} from "../../src/ProcurementMarket.sol";
import {IProcurementMarket} from "../../src/interfaces/IProcurementMarket.sol";
import {IProverRegistry} from "../../src/interfaces/IProverRegistry.sol";
import {SlotTerms} from "../../src/types/MarketTypes.sol";

/// @notice Execution gas of the committee pool's paths (correlated slashing, mock verifier): a draw that locks the
///         pool, a designate delivery that releases it, a seizure, an exit at risk, and `withdrawCommitteeExit` per
///         cohort walked. Bounds catch regressions; the figures are in docs/BENCHMARKS.md (`-vv` prints them).
/// forge-config: default.isolate = true
contract CommitteeExitGasTest is GasMeter {
    uint256 internal constant SLICE = 20e18;
    uint256 internal constant CORRELATED = 10e18;
    address internal alice = address(0xA1);
    address internal pool;

    function setUp() public {
        _deploy(FailurePolicy.PAPER, SLOT_BOND, SLICE, CORRELATED);
        pool = registry.COMMITTEE_POOL();
        _stakeFrom(alice, pool, 200e18);
        _stakeFrom(address(0xB0B), pool, 200e18);
    }

    function _measuredDraw(string memory label) internal returns (uint256 slotId, uint256 used) {
        slotId = _openUndrawn(5e17);
        vm.roll(market.slotState(slotId).openBlock + DRAW_DELAY + 1);
        bytes memory ret;
        vm.recordLogs();
        (used, ret) =
            _measure(label, address(0xD4A3), address(market), abi.encodeCall(IProcurementMarket.draw, (slotId, _t(slotId))));
        _recordDraw(slotId, abi.decode(ret, (address)));
    }

    function test_gas_committeePoolPaths() public {
        (, uint256 firstDraw) = _measuredDraw("draw, correlated, the pool's first lock ever");
        (uint256 b, uint256 draw) = _measuredDraw("draw, correlated, steady state");
        (uint256 deliverGas,) = _measure(
            "submitProof, designate, correlated (releases the pool's lock)",
            _designate(b),
            address(market),
            abi.encodeCall(IProcurementMarket.submitProof, (b, _t(b), _outputs(), [uint256(0), 0, 0, 0, 0, 0, 0, 0]))
        );
        // exits at risk: alice leaves a part with a slot open (closes a cohort), then bob
        (uint256 exitGas,) = _measure(
            "requestUnstake, committee pool, part at risk (first exit ever)",
            alice,
            address(registry),
            abi.encodeCall(IProverRegistry.requestUnstake, (pool, 50e18))
        );
        (uint256 c,) = _measuredDraw("draw, correlated, first lock of a new cohort");
        (uint256 exit2Gas,) = _measure(
            "requestUnstake, committee pool, part at risk",
            address(0xB0B),
            address(registry),
            abi.encodeCall(IProverRegistry.requestUnstake, (pool, 50e18))
        );
        vm.warp(uint256(market.slotState(c).deadline) + 1);
        (uint256 settleGas,) = _measure(
            "settle, failed designate, correlated (seizes the pool's lock, checkpoints its cohort)",
            address(0x4EE9),
            address(market),
            abi.encodeCall(IProcurementMarket.settle, (c, _t(c)))
        );
        market.settle(0, _t(0)); // the first slot too
        vm.warp(block.timestamp + DELAY);
        uint256 bobExit = registry.committeeExitsOf(address(0xB0B))[0];
        uint256 aliceExit = registry.committeeExitsOf(alice)[0];
        (uint256 walk1,) = _measure(
            "withdrawCommitteeExit, 1 cohort (alice)",
            address(0),
            address(registry),
            abi.encodeCall(IProverRegistry.withdrawCommitteeExit, (aliceExit, 10))
        );
        (uint256 walk2,) = _measure(
            "withdrawCommitteeExit, 2 cohorts, one with a seizure (bob)",
            address(0),
            address(registry),
            abi.encodeCall(IProverRegistry.withdrawCommitteeExit, (bobExit, 10))
        );
        vm.assertTrue(registry.committeeExit(bobExit).paid && registry.committeeExit(aliceExit).paid, "both paid");
        // bounds ~10% above the figures of 2026-12-01 (docs/BENCHMARKS.md): a regression fails here
        vm.assertLt(draw, 128_000, "a correlated draw (the pool's lock, its cohort and the slot's cohort tag)");
        vm.assertLt(firstDraw, 167_000, "the pool's first lock pays for fresh words once");
        vm.assertLt(deliverGas, 110_000, "a correlated designate delivery (mock verifier), releasing the pool's lock");
        vm.assertLt(exitGas, 286_000, "an exit at risk writes its record (4 fresh words) and its id");
        vm.assertLt(exit2Gas, exitGas, "later exits cost less");
        vm.assertLt(settleGas, 183_000, "a correlated seizure, checkpointing its cohort's slashed total");
        vm.assertLt(walk1, 88_000, "paying an exit");
        vm.assertLt(walk2, walk1 + 30_000, "each further cohort walked costs a bounded amount");
    }
}
