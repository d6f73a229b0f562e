// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {SlotTerms} from "../types/MarketTypes.sol";

/// @title SlotTermsCodec
/// @notice The market's two calldata codecs for `SlotTerms`: the terms hash a slot stores, computed straight from the
///         caller's calldata, and the Groth16 verifier call built from the terms, the outputs and the binding.
/// @dev Internal functions with memory-safe assembly: they read calldata and use scratch memory above the free
///      pointer without moving it.
library SlotTermsCodec {
    /// @dev ABI head of `SlotTerms`: 16 static fields and the fixedInputs offset.
    uint256 private constant TERMS_HEAD_WORDS = 17;

    /// @notice keccak256(abi.encode(terms)) straight from the calldata bytes (no ABI re-encoding).
    /// @dev For the canonical encoding (the fixedInputs offset right after the 17 static head words, as every ABI
    ///      encoder writes it) the bytes are those of `abi.encode`. Any other encoding (non-canonical offset, dirty
    ///      high bits in a field, more than 65,535 fixed inputs) hashes to something else and fails the market's
    ///      terms check, so it can only make its own call revert.
    function hash(SlotTerms calldata terms) internal pure returns (bytes32 h) {
        uint256 head = TERMS_HEAD_WORDS * 32;
        assembly ("memory-safe") {
            let start := terms
            let arrayOffset := calldataload(add(start, sub(head, 32)))
            let len := calldataload(add(start, arrayOffset))
            let size := add(arrayOffset, mul(add(len, 1), 32))
            if iszero(eq(arrayOffset, head)) { size := head } // non-canonical: hash the head only (mismatches)
            if gt(len, 0xffff) { size := head }
            let p := mload(0x40)
            mstore(p, 0x20)
            calldatacopy(add(p, 0x20), start, size)
            h := keccak256(p, add(size, 0x20))
        }
    }

    /// @notice Calls the terms' verifier with `selector ‖ proof ‖ fixedInputs ‖ outputs ‖ binding` (the ABI encoding
    ///         of `verifyProof(uint256[8], uint256[N])`, built by copying calldata) by `staticcall`; true when it did
    ///         not revert (gnark verifiers revert on an invalid proof and on inputs >= r).
    /// @param terms The slot's terms (verifier, selector, fixed inputs).
    /// @param outputs The proof's public outputs.
    /// @param proof Groth16 proof in gnark's Solidity layout.
    /// @param binding The prover's binding input (`ProcurementMarket.bindingOf`).
    function verify(SlotTerms calldata terms, uint256[] calldata outputs, uint256[8] calldata proof, uint256 binding)
        internal
        view
        returns (bool ok)
    {
        uint256[] calldata fixedInputs = terms.fixedInputs;
        address verifier = terms.verifier;
        bytes4 selector = terms.selector;
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore(p, selector)
            let q := add(p, 4)
            calldatacopy(q, proof, 0x100)
            q := add(q, 0x100)
            let n := mul(fixedInputs.length, 0x20)
            calldatacopy(q, fixedInputs.offset, n)
            q := add(q, n)
            n := mul(outputs.length, 0x20)
            calldatacopy(q, outputs.offset, n)
            q := add(q, n)
            mstore(q, binding)
            ok := staticcall(gas(), verifier, p, add(sub(q, p), 0x20), 0, 0)
        }
    }
}
