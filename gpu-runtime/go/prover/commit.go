package prover

import (
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/procura/procura/gpu-runtime/go/circuits/digits"
)

// ScalarFieldModulus returns r, the order of the BN254 scalar field
// (21888242871839275222246405745257275088548364400416034343698204186575808495617):
// every public input, commitment and binding is an integer in [0, r).
func ScalarFieldModulus() *big.Int { return fr.Modulus() }

// CommitModel returns the model commitment MiMC(ModelTag, pack(EncodeModel(m)))
// exactly as the digits circuit computes it (see package digits' doc), using
// gnark-crypto's native BN254 MiMC. The result is in [0, r).
func CommitModel(m *digits.Model) *big.Int { return digits.CommitModel(m) }

// CommitImage returns the image commitment MiMC(ImageTag, pack(pixels)) exactly
// as the digits circuit computes it. The result is in [0, r).
func CommitImage(pixels *[digits.ImageBytes]byte) *big.Int { return digits.CommitImage(pixels) }
