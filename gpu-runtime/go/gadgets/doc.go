// Package gadgets holds small reusable gnark circuit gadgets used by Procura
// circuits, in the spirit of gnark's std/ packages.
//
// Every gadget here uses only plain R1CS constraints (api.Mul, api.AssertIsBoolean,
// bits.ToBinary): none of them asks gnark for BSB22 commitments, so a circuit built
// from them keeps the plain Groth16 proof shape (A, B, C) that the exported
// Solidity verifier expects (verifyProof(uint256[8], uint256[n])).
package gadgets
