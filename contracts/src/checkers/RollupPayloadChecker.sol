// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IPayloadChecker} from "../interfaces/IPayloadChecker.sol";
import {MiMCBN254} from "../hash/MiMCBN254.sol";

/// @title RollupPayloadChecker
/// @notice Payload checker of one rollup-batch circuit (gpu-runtime/go/circuits/rollup, parameters `depth` and
///         `transfers`): a slot is provable only if its one fixed public input is the payload commitment of its
///         payload, and the payload has the circuit's exact length (2^depth balances of 8 bytes, then `transfers`
///         transfers of 16 bytes). The circuit is total over payloads of that length (an overdrawing or overflowing
///         transfer is a no-op, indices wrap), so every such slot can be proven; the old and new roots are outputs
///         of the proof.
/// @dev The commitment is rollup.PayloadCommitment: gnark-crypto's BN254 MiMC (MiMCBN254) of [PAYLOAD_TAG, chunk_0,
///      ..., chunk_k], chunk_i being the big-endian integer of payload bytes [31i, min(31i + 31, length)). One MiMC
///      permutation per 31 bytes (about 8k gas each), the state after PAYLOAD_TAG computed once in the constructor.
contract RollupPayloadChecker is IPayloadChecker {
    /// @notice Number of fixed public inputs of a rollup-batch circuit: [payloadCommitment].
    uint256 public constant FIXED_INPUTS = 1;

    /// @notice Domain-separation tag of payload commitments (rollup.PayloadTag): the big-endian integer of the
    ///         ASCII bytes "procura.rollup.payload.v1" (25 bytes).
    // Casting to bytes25 is safe: the literal is exactly 25 bytes (solc rejects a longer one), and bytes25 ->
    // uint200 -> uint256 keeps every bit.
    // forge-lint: disable-next-line(unsafe-typecast)
    uint256 public constant PAYLOAD_TAG = uint256(uint200(bytes25("procura.rollup.payload.v1")));

    /// @notice Depth of the circuit's balance tree (2^depth accounts).
    uint256 public immutable depth;
    /// @notice Transfers per batch.
    uint256 public immutable transfers;
    /// @notice Exact payload length in bytes: 8 * 2^depth + 16 * transfers.
    uint256 public immutable payloadBytes;

    /// @dev MiMC state after absorbing PAYLOAD_TAG.
    uint256 private immutable _tagState;

    /// @notice The circuit parameters are out of range (as rollup.Params.Validate: depth 1..20, transfers 1..4096).
    error RollupChecker_Parameters(uint256 depth, uint256 transfers);
    /// @notice payloadCommitment was given `length` bytes; this circuit's payload is `expected` bytes.
    error RollupChecker_PayloadLength(uint256 length, uint256 expected);

    /// @param depth_ Depth of the balance tree (1..20).
    /// @param transfers_ Transfers per batch (1..4096).
    constructor(uint256 depth_, uint256 transfers_) {
        if (depth_ < 1 || depth_ > 20 || transfers_ < 1 || transfers_ > 4096) {
            revert RollupChecker_Parameters(depth_, transfers_);
        }
        depth = depth_;
        transfers = transfers_;
        payloadBytes = 8 * (uint256(1) << depth_) + 16 * transfers_;
        _tagState = MiMCBN254.absorb(0, PAYLOAD_TAG);
    }

    /// @inheritdoc IPayloadChecker
    /// @dev True iff fixedInputs is [payloadCommitment(payload)] and payload has the circuit's length. Never reverts
    ///      on malformed input: it returns false.
    function isProvable(uint256[] calldata fixedInputs, bytes calldata payload) external view returns (bool) {
        if (fixedInputs.length != FIXED_INPUTS || payload.length != payloadBytes) return false;
        return fixedInputs[0] == _absorbPayload(payload);
    }

    /// @notice The payload commitment of `payload` (rollup.PayloadCommitment: the circuit's fixed input).
    /// @param payload A payload of `payloadBytes` bytes (see the contract notes).
    /// @return The commitment, a BN254 scalar < R.
    function payloadCommitment(bytes calldata payload) external view returns (uint256) {
        if (payload.length != payloadBytes) revert RollupChecker_PayloadLength(payload.length, payloadBytes);
        return _absorbPayload(payload);
    }

    /// @dev Absorbs the 31-byte big-endian chunks of `payload` (the last one shorter) into the state after the tag.
    ///      A chunk is read with calldataload (32 bytes, zero past the end of calldata) and shifted down, so it is
    ///      < 2^248 < R.
    function _absorbPayload(bytes calldata payload) private view returns (uint256 state) {
        state = _tagState;
        uint256 n = payload.length;
        for (uint256 start = 0; start < n; start += 31) {
            uint256 len = n - start < 31 ? n - start : 31;
            uint256 chunk;
            assembly ("memory-safe") {
                chunk := shr(sub(256, mul(8, len)), calldataload(add(payload.offset, start)))
            }
            state = MiMCBN254.absorb(state, chunk);
        }
    }
}
