// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @notice Stand-in for a gnark-exported Groth16 verifier with 4 public inputs (1 fixed, 2 outputs, 1 binding):
///         `verifyProof(uint256[8],uint256[4])` returns normally when accepting and reverts `ProofInvalid()` when
///         rejecting. It also rejects inputs >= r like the real verifier, and records the last inputs it saw.
contract MockVerifier {
    error ProofInvalid();
    error PublicInputNotInField();

    uint256 internal constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;

    bool public accept = true;
    /// @dev Provers whose proofs are rejected even when `accept` is true.
    mapping(uint256 binding => bool) public rejectBinding;

    function setAccept(bool accept_) external {
        accept = accept_;
    }

    function setRejectBinding(uint256 binding, bool reject) external {
        rejectBinding[binding] = reject;
    }

    function verifyProof(uint256[8] calldata proof, uint256[4] calldata input) external view {
        proof;
        for (uint256 i = 0; i < 4; ++i) {
            if (input[i] >= R) revert PublicInputNotInField();
        }
        if (!accept || rejectBinding[input[3]]) revert ProofInvalid();
    }
}
