// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IPayloadChecker} from "../interfaces/IPayloadChecker.sol";
import {MiMCBN254} from "../hash/MiMCBN254.sol";

/// @title DigitsPayloadChecker
/// @notice Payload checker of the digits circuit (gpu-runtime/go/circuits/digits): a slot is provable only if its
///         fixed public inputs are [modelCommitment, imageCommitment] with the model commitment of a model the
///         provers hold (set at deployment) and the image commitment of the payload's pixels.
/// @dev The image commitment is the circuit's (and prover.CommitImage's): gnark-crypto's BN254 MiMC
///      (MiMCBN254, generated from gnark-crypto) of [IMAGE_TAG, chunk0, chunk1, chunk2], where the chunks are the
///      big-endian integers of payload bytes 0..30, 31..61 and 62..63 (gadgets.PackBytesNative: 31-byte chunks,
///      the last one shorter). The MiMC state after IMAGE_TAG is the same for every image, so it is computed once
///      in the constructor and isProvable runs three MiMC permutations, not four.
contract DigitsPayloadChecker is IPayloadChecker {
    /// @notice BN254 scalar field order r: commitments are integers in [0, R).
    uint256 internal constant R = MiMCBN254.R;

    /// @notice Length of a digits payload in bytes: 8x8 pixels, one byte each (digits.ImageBytes).
    uint256 public constant IMAGE_BYTES = 64;

    /// @notice Number of fixed public inputs of the digits circuit: [modelCommitment, imageCommitment].
    uint256 public constant FIXED_INPUTS = 2;

    /// @notice Domain-separation tag of image commitments (digits.ImageTag): the big-endian integer of the
    ///         ASCII bytes "procura.digits.image.v1" (23 bytes).
    // Casting to bytes23 is safe: the literal is exactly 23 bytes (solc rejects a longer one), and bytes23 ->
    // uint184 -> uint256 keeps every bit.
    // forge-lint: disable-next-line(unsafe-typecast)
    uint256 public constant IMAGE_TAG = uint256(uint184(bytes23("procura.digits.image.v1")));

    /// @notice Commitment of the model the provers hold (prover.CommitModel: MiMC of digits.ModelTag and the
    ///         31-byte chunks of the 1320-byte model encoding), a BN254 scalar < R.
    uint256 public immutable modelCommitment;

    /// @dev MiMC state after absorbing IMAGE_TAG: MiMCBN254.absorb(0, IMAGE_TAG).
    uint256 private immutable _imageTagState;

    /// @notice The model commitment given to the constructor is not a BN254 scalar (it is >= R).
    error DigitsChecker_ModelCommitmentNotInField(uint256 modelCommitment);

    /// @notice imageCommitment was given `length` bytes; a digits image is IMAGE_BYTES (64) bytes.
    error DigitsChecker_ImageLength(uint256 length, uint256 expected);

    /// @param modelCommitment_ The model commitment every slot checked by this contract must fix (< R); for the
    ///        bundled data/digits-model.json it is
    ///        1944323527791828872451065003645870996598394675839518935499195045267359419234.
    constructor(uint256 modelCommitment_) {
        if (modelCommitment_ >= R) revert DigitsChecker_ModelCommitmentNotInField(modelCommitment_);
        modelCommitment = modelCommitment_;
        _imageTagState = MiMCBN254.absorb(0, IMAGE_TAG);
    }

    /// @inheritdoc IPayloadChecker
    /// @dev True iff fixedInputs has exactly 2 entries, fixedInputs[0] == modelCommitment, payload is 64 bytes and
    ///      fixedInputs[1] == imageCommitment(payload). Never reverts on malformed input: it returns false.
    ///      Starts from the cached MiMC state after IMAGE_TAG: three permutations.
    function isProvable(uint256[] calldata fixedInputs, bytes calldata payload) external view returns (bool) {
        if (fixedInputs.length != FIXED_INPUTS || payload.length != IMAGE_BYTES) return false;
        if (fixedInputs[0] != modelCommitment) return false;
        return fixedInputs[1] == _absorbImage(_imageTagState, payload);
    }

    /// @notice The digits image commitment of `pixels` (prover.CommitImage, the circuit's public input 1). Hashes
    ///         IMAGE_TAG afresh (four permutations; pure, for off-chain callers and tests).
    /// @param pixels The image: 64 bytes, one per pixel, row-major 8x8.
    /// @return The commitment, a BN254 scalar < R.
    function imageCommitment(bytes calldata pixels) external pure returns (uint256) {
        if (pixels.length != IMAGE_BYTES) revert DigitsChecker_ImageLength(pixels.length, IMAGE_BYTES);
        return _absorbImage(MiMCBN254.absorb(0, IMAGE_TAG), pixels);
    }

    /// @dev Absorbs the three chunks of a 64-byte calldata image into the MiMC state `state` (the state after
    ///      IMAGE_TAG). The chunks are read with calldataload and shifted down (chunk0: bytes 0..30, chunk1: 31..61,
    ///      chunk2: 62..63, big-endian), so each is < 2^248 < R. The caller has checked pixels.length == 64.
    function _absorbImage(uint256 state, bytes calldata pixels) private pure returns (uint256) {
        uint256 c0;
        uint256 c1;
        uint256 c2;
        assembly ("memory-safe") {
            let p := pixels.offset
            c0 := shr(8, calldataload(p))
            c1 := shr(8, calldataload(add(p, 31)))
            c2 := shr(240, calldataload(add(p, 62)))
        }
        return MiMCBN254.absorb(MiMCBN254.absorb(MiMCBN254.absorb(state, c0), c1), c2);
    }
}
