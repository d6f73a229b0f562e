// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {TestBase} from "../utils/TestBase.sol";
import {CommitteeLedger} from "../../src/libraries/CommitteeLedger.sol";

/// @dev Exposes the library over storage, next to a plain mapping as the reference model.
contract LedgerHarness {
    using CommitteeLedger for CommitteeLedger.Ledger;

    CommitteeLedger.Ledger internal _ledger;
    mapping(address prover => mapping(uint256 slotId => bool)) public model;

    function set(address prover, uint256 slotId) external returns (uint256 gasUsed) {
        model[prover][slotId] = true;
        uint256 before = gasleft();
        require(_ledger.trySetOwed(prover, slotId), "already owed");
        gasUsed = before - gasleft();
    }

    function clear(address prover, uint256 slotId) external {
        model[prover][slotId] = false;
        _ledger.clearOwed(prover, slotId);
    }

    function isOwed(address prover, uint256 slotId) external view returns (bool) {
        return _ledger.isOwed(prover, slotId);
    }
}

/// @notice CommitteeLedger agrees with a plain (prover, slot) => owed mapping under random sequences of deliveries
///         and credits (windows sliding, blocked slides, slots below the window, overflow), and an active prover's
///         deliveries write a warm word.
contract CommitteeLedgerTest is TestBase {
    LedgerHarness internal h;
    address internal constant A = address(0xA);
    address internal constant B = address(0xB);

    function setUp() public {
        h = new LedgerHarness();
    }

    function _check(address prover, uint256 from, uint256 to) internal view {
        for (uint256 s = from; s < to; ++s) {
            vm.assertEq(h.isOwed(prover, s), h.model(prover, s), "ledger = reference model");
        }
    }

    /// forge-config: default.fuzz.runs = 128
    function testFuzz_agreesWithAMapping(uint256 seed) public {
        uint256 cursor = 0; // slots open in order; deliveries land near the newest slot, sometimes far behind
        for (uint256 step = 0; step < 120; ++step) {
            uint256 r = uint256(keccak256(abi.encode(seed, step)));
            address prover = r & 1 == 0 ? A : B;
            cursor += (r >> 8) % 7; // 0..6 new slots per step
            uint256 back = (r >> 16) % 4 == 0 ? (r >> 24) % 500 : (r >> 24) % 20; // mostly recent, sometimes old
            uint256 slotId = cursor > back ? cursor - back : 0;
            if ((r >> 40) % 3 == 0) {
                if (h.model(prover, slotId)) h.clear(prover, slotId);
            } else if (!h.model(prover, slotId)) {
                h.set(prover, slotId);
            }
            vm.assertEq(h.isOwed(prover, slotId), h.model(prover, slotId), "touched slot");
        }
        uint256 top = cursor + 1;
        _check(A, top > 700 ? top - 700 : 0, top);
        _check(B, top > 700 ? top - 700 : 0, top);
    }

    function test_windowSlidesOverCreditedSlots_andOverflowsOtherwise() public {
        h.set(A, 5);
        h.set(A, 6);
        h.clear(A, 5);
        // 6 is still owed: a delivery 300 slots later cannot slide the window past it -> overflow
        h.set(A, 306);
        _check(A, 0, 400);
        h.clear(A, 6);
        h.set(A, 500); // now the window slides
        _check(A, 0, 600);
        h.clear(A, 306); // the overflow entry is cleared too
        vm.assertFalse(h.isOwed(A, 306), "cleared");
        h.set(A, 100); // far below the window: overflow
        _check(A, 0, 600);
    }

    function test_anActiveProversDeliveryWritesAWarmWord() public {
        uint256 first = h.set(A, 10);
        uint256 next = h.set(A, 11);
        vm.assertTrue(first > 20_000, "first use writes a fresh word");
        vm.assertLt(next, 10_000, "next delivery updates a non-zero word (a fresh one costs 20k+)");
        uint256 blocked = h.set(A, 250); // 10 and 11 still owed: the window cannot slide, 250 overflows
        vm.assertTrue(blocked > 20_000, "overflow writes a fresh word");
        h.clear(A, 10);
        h.clear(A, 11);
        uint256 slid = h.set(A, 400); // every flag the slide drops is clear
        vm.assertLt(slid, 10_000, "a slide over credited slots updates the same word (no fresh one)");
        vm.assertTrue(h.isOwed(A, 250), "the overflowed delivery is still owed");
        _check(A, 0, 500);
    }
}
