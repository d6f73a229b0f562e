// Package prover is the pure-Go Groth16 (BN254) runtime of Procura circuits,
// built on gnark (github.com/consensys/gnark) and gnark-crypto: Setup, Prove,
// Verify, key (de)serialisation, Solidity verifier export and the native
// commitments that circuits check. It returns errors of type *Error carrying an
// ErrorCode; the JNI shims in ../jni only translate them.
package prover

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark-crypto/ecc/bn254/fp"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	"github.com/consensys/gnark/backend/solidity"
	"github.com/consensys/gnark/constraint"
	csbn254 "github.com/consensys/gnark/constraint/bn254"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/logger"
	"github.com/rs/zerolog"

	"github.com/procura/procura/gpu-runtime/go/circuits/digits"
)

// DigitsCircuitID names the digits circuit (and its version) in key envelopes.
const DigitsCircuitID = digits.CircuitID

// ProofWords is the number of 256-bit words of a Groth16 proof in EVM order.
const ProofWords = 8

// DigitsPublicInputs is the number of public inputs of the digits circuit.
const DigitsPublicInputs = 4

func init() {
	// gnark logs every compile/prove at debug level to stdout; inside a JVM
	// that is noise, so keep warnings and errors only.
	logger.Set(zerolog.Nop())
}

// DigitsConstraintSystem returns the digits circuit's R1CS over BN254, compiled
// once per process with every other registered circuit (ConstraintSystem):
// compilation is deterministic, so it matches keys made by any earlier Setup of
// the same DigitsCircuitID.
func DigitsConstraintSystem() (constraint.ConstraintSystem, error) {
	return ConstraintSystem(DigitsCircuitID)
}

// SetupDigits runs the Groth16 setup of the digits circuit and returns a fresh
// proving key and verifying key.
//
// SECURITY WARNING: this is a single-party setup: whoever runs it learns the
// toxic waste and can forge proofs for any public inputs. It is UNSAFE for
// production; use keys from a multi-party computation ceremony (for example
// gnark's backend/groth16/bn254/mpcsetup) instead. Errors: CodeSetupFailed.
func SetupDigits() (*ProvingKey, *VerifyingKey, error) {
	return Setup(DigitsCircuitID)
}

// DigitsProof is the result of ProveDigits.
type DigitsProof struct {
	// PredictedClass is argmax of the model's logits, in [0, 9].
	PredictedClass int
	// Proof is the Groth16 proof (A, B, C) as 8 words in the EIP-197 order that
	// the exported verifier's verifyProof(uint256[8], uint256[4]) expects:
	// A.x, A.y, B.x.a1, B.x.a0, B.y.a1, B.y.a0, C.x, C.y (B's Fp2 coefficients
	// imaginary part first).
	Proof [ProofWords]*big.Int
	// PublicInputs are ModelCommitment, ImageCommitment, PredictedClass, Binding.
	PublicInputs [DigitsPublicInputs]*big.Int
}

// ProveDigits proves that PredictedClass = argmax(model(pixels)) for the
// commitments of model and pixels, bound to binding (an integer in [0, r),
// r = ScalarFieldModulus(); docs/DESIGN.md §3 defines it as
// keccak256(chainid, market, slotId, prover) mod r).
// Errors: CodeInvalidArgument (binding nil or out of range),
// CodeInvalidKey (pk is not a digits key), CodeUnsatisfied (never for valid
// arguments: the circuit is total over its input encoding).
func ProveDigits(pk *ProvingKey, model *digits.Model, pixels *[digits.ImageBytes]byte, binding *big.Int) (*DigitsProof, error) {
	if pk == nil || model == nil || pixels == nil {
		return nil, errorf(CodeInvalidArgument, "proving key, model and pixels must not be nil")
	}
	if pk.circuit != DigitsCircuitID {
		return nil, errorf(CodeInvalidKey, "proving key is for circuit %q, not %q", pk.circuit, DigitsCircuitID)
	}
	if err := checkScalar("binding", binding); err != nil {
		return nil, err
	}
	cs, err := DigitsConstraintSystem()
	if err != nil {
		return nil, err
	}
	assignment := DigitsAssignment(model, pixels, binding)
	class := model.Predict(pixels)
	modelC, imageC := assignment.ModelCommitment.(*big.Int), assignment.ImageCommitment.(*big.Int)
	words, err := proveWords(cs, pk, assignment)
	if err != nil {
		return nil, err
	}
	out := &DigitsProof{PredictedClass: class, Proof: words}
	out.PublicInputs = [DigitsPublicInputs]*big.Int{modelC, imageC, big.NewInt(int64(class)), new(big.Int).Set(binding)}
	return out, nil
}

// VerifyDigits checks a digits proof (8 words, EVM order, as in
// DigitsProof.Proof) against the public inputs (ModelCommitment,
// ImageCommitment, PredictedClass, Binding). It returns (false, nil) when the
// pairing check fails, and an error for malformed input: CodeInvalidArgument
// (a nil or unreduced public input), CodeInvalidProof (a word ≥ p or a point
// not on its curve / subgroup), CodeInvalidKey (vk is not a digits key).
func VerifyDigits(vk *VerifyingKey, proof [ProofWords]*big.Int, inputs [DigitsPublicInputs]*big.Int) (bool, error) {
	if vk == nil {
		return false, errorf(CodeInvalidArgument, "verifying key must not be nil")
	}
	if vk.circuit != DigitsCircuitID {
		return false, errorf(CodeInvalidKey, "verifying key is for circuit %q, not %q", vk.circuit, DigitsCircuitID)
	}
	for k, in := range inputs {
		if err := checkScalar(fmt.Sprintf("public input %d", k), in); err != nil {
			return false, err
		}
	}
	return verifyWords(vk, proof, &digits.Circuit{
		ModelCommitment: inputs[0],
		ImageCommitment: inputs[1],
		PredictedClass:  inputs[2],
		Binding:         inputs[3],
	})
}

// proveWords proves a full assignment of cs with pk and returns the proof as 8
// EVM words (the exported verifier's order). Errors: CodeInternal,
// CodeUnsatisfied.
func proveWords(cs constraint.ConstraintSystem, pk *ProvingKey, assignment frontend.Circuit) ([ProofWords]*big.Int, error) {
	var words [ProofWords]*big.Int
	w, err := frontend.NewWitness(assignment, ecc.BN254.ScalarField())
	if err != nil {
		return words, errorf(CodeInternal, "build witness: %v", err)
	}
	r1cs, ok := cs.(*csbn254.R1CS)
	if !ok {
		return words, errorf(CodeInternal, "constraint system is %T, not a BN254 R1CS", cs)
	}
	// gnark's typed BN254 prover, never the curve-generic groth16.Prove: in a build with the icicle tag
	// that one dispatches to ICICLE and panics without a GPU (GPU proving runs in its own process: gpu.go)
	proof, err := groth16bn254.Prove(r1cs, pk.pk, w, solidity.WithProverTargetSolidityVerifier(backend.GROTH16))
	if err != nil {
		return words, errorf(CodeUnsatisfied, "groth16 prove: %v", err)
	}
	return wordsOf(proof)
}

// wordsOf encodes a gnark BN254 proof as 8 EVM words (the exported verifier's order). Errors: CodeInternal.
func wordsOf(proof *groth16bn254.Proof) ([ProofWords]*big.Int, error) {
	var words [ProofWords]*big.Int
	raw := proof.MarshalSolidity()
	if len(raw) != 32*ProofWords {
		return words, errorf(CodeInternal, "proof encodes to %d bytes, want %d", len(raw), 32*ProofWords)
	}
	for k := range ProofWords {
		words[k] = new(big.Int).SetBytes(raw[32*k : 32*k+32])
	}
	return words, nil
}

// verifyWords checks 8 proof words against vk and an assignment of the public
// inputs: (false, nil) when the pairing check fails. Errors: CodeInvalidProof,
// CodeInternal.
func verifyWords(vk *VerifyingKey, words [ProofWords]*big.Int, public frontend.Circuit) (bool, error) {
	p, err := proofFromWords(words)
	if err != nil {
		return false, err
	}
	pub, err := frontend.NewWitness(public, ecc.BN254.ScalarField(), frontend.PublicOnly())
	if err != nil {
		return false, errorf(CodeInternal, "build public witness: %v", err)
	}
	vector, ok := pub.Vector().(fr.Vector)
	if !ok {
		return false, errorf(CodeInternal, "public witness is %T, not a BN254 vector", pub.Vector())
	}
	if err := groth16bn254.Verify(p, vk.vk, vector, solidity.WithVerifierTargetSolidityVerifier(backend.GROTH16)); err != nil {
		return false, nil
	}
	return true, nil
}

// DigitsAssignment returns the full witness assignment of the digits circuit
// for model, pixels and binding (binding must be in [0, r)): digits.Assignment.
// Tests alter it to build invalid witnesses.
func DigitsAssignment(model *digits.Model, pixels *[digits.ImageBytes]byte, binding *big.Int) *digits.Circuit {
	return digits.Assignment(model, pixels, binding)
}

// proofFromWords decodes 8 EVM words into a gnark proof, checking that every
// coordinate is reduced modulo p and that A, C ∈ G1 and B ∈ G2 (gnark-crypto).
func proofFromWords(w [ProofWords]*big.Int) (*groth16bn254.Proof, error) {
	var coords [ProofWords]fp.Element
	pMod := fp.Modulus()
	for k, v := range w {
		if v == nil || v.Sign() < 0 || v.Cmp(pMod) >= 0 {
			return nil, errorf(CodeInvalidProof, "proof word %d is not an integer in [0, p)", k)
		}
		coords[k].SetBigInt(v)
	}
	var proof groth16bn254.Proof
	proof.Ar = bn254.G1Affine{X: coords[0], Y: coords[1]}
	proof.Bs.X.A1, proof.Bs.X.A0 = coords[2], coords[3]
	proof.Bs.Y.A1, proof.Bs.Y.A0 = coords[4], coords[5]
	proof.Krs = bn254.G1Affine{X: coords[6], Y: coords[7]}
	if !proof.Ar.IsOnCurve() || !proof.Ar.IsInSubGroup() {
		return nil, errorf(CodeInvalidProof, "proof point A is not on the BN254 G1 curve")
	}
	if !proof.Bs.IsOnCurve() || !proof.Bs.IsInSubGroup() {
		return nil, errorf(CodeInvalidProof, "proof point B is not in the BN254 G2 subgroup")
	}
	if !proof.Krs.IsOnCurve() || !proof.Krs.IsInSubGroup() {
		return nil, errorf(CodeInvalidProof, "proof point C is not on the BN254 G1 curve")
	}
	return &proof, nil
}

func checkScalar(name string, v *big.Int) error {
	if v == nil || v.Sign() < 0 || v.Cmp(ScalarFieldModulus()) >= 0 {
		return errorf(CodeInvalidArgument, "%s must be an integer in [0, r) with r the BN254 scalar field modulus", name)
	}
	return nil
}
