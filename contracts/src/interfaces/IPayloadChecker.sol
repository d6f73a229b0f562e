// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title IPayloadChecker
/// @notice Optional per-circuit check run by `ProcurementMarket.openSlot`: a slot whose fixed public inputs do not
///         match its payload (for the digits circuit: an image commitment that is not the MiMC commitment of the
///         payload's pixels, or a model commitment no prover holds) can never be proven, and would cost an honest
///         designate its bond. The market refuses to open such a slot (`Market_UnprovableSlot`).
interface IPayloadChecker {
    /// @notice Whether a slot with these fixed public inputs and this payload can be proven.
    /// @param fixedInputs Public inputs fixed by the requester (BN254 scalars, already checked < r by the market).
    /// @param payload Input payload given to the provers.
    /// @return provable True when the fixed inputs are consistent with the payload.
    function isProvable(uint256[] calldata fixedInputs, bytes calldata payload) external view returns (bool provable);
}
