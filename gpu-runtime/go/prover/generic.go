package prover

import (
	"fmt"
	"math/big"
	"sync"

	"github.com/consensys/gnark-crypto/ecc"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	"github.com/consensys/gnark/constraint"
	csbn254 "github.com/consensys/gnark/constraint/bn254"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"

	"github.com/procura/procura/gpu-runtime/go/circuits"
	// the plug-in circuits register themselves
	_ "github.com/procura/procura/gpu-runtime/go/circuits/mlp"
	_ "github.com/procura/procura/gpu-runtime/go/circuits/rollup"
)

// Generic proving of the plug-in circuits of package circuits (the zkML
// digits-mlp and the rollup batches; the linear digits circuit keeps its own
// functions until the JNI layer moves to these).

type compiled struct {
	once sync.Once
	cs   constraint.ConstraintSystem
	err  error
}

var systems sync.Map // circuit id → *compiled

// ConstraintSystem compiles registered circuit id to R1CS over BN254 once per
// process (deterministic: it matches keys made by any earlier Setup of the same
// id). Errors: CodeInvalidArgument (unknown circuit), CodeInternal.
func ConstraintSystem(id string) (constraint.ConstraintSystem, error) {
	c, ok := circuits.Lookup(id)
	if !ok {
		return nil, errorf(CodeInvalidArgument, "unknown circuit %q", id)
	}
	v, _ := systems.LoadOrStore(id, &compiled{})
	s := v.(*compiled)
	s.once.Do(func() {
		s.cs, s.err = frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, c.New())
		if s.err == nil && len(s.cs.GetCommitments().CommitmentIndexes()) != 0 {
			s.err = fmt.Errorf("circuit %s unexpectedly uses BSB22 commitments", id)
		}
	})
	if s.err != nil {
		return nil, errorf(CodeInternal, "compile %s: %v", id, s.err)
	}
	return s.cs, nil
}

// Setup runs the Groth16 setup of registered circuit id.
//
// SECURITY WARNING: a single-party setup: whoever runs it learns the toxic
// waste and can forge proofs. UNSAFE for production; use keys from an MPC
// ceremony (gnark's backend/groth16/bn254/mpcsetup). Errors: those of
// ConstraintSystem, CodeSetupFailed.
func Setup(id string) (*ProvingKey, *VerifyingKey, error) {
	cs, err := ConstraintSystem(id)
	if err != nil {
		return nil, nil, err
	}
	r1cs, ok := cs.(*csbn254.R1CS)
	if !ok {
		return nil, nil, errorf(CodeInternal, "constraint system is %T, not a BN254 R1CS", cs)
	}
	var pk groth16bn254.ProvingKey
	var vk groth16bn254.VerifyingKey
	// the typed BN254 setup: the curve-generic groth16.Setup wants a GPU in a build with the icicle tag
	if err := groth16bn254.Setup(r1cs, &pk, &vk); err != nil {
		return nil, nil, errorf(CodeSetupFailed, "groth16 setup: %v", err)
	}
	return &ProvingKey{circuit: id, pk: &pk}, &VerifyingKey{circuit: id, vk: &vk}, nil
}

// Proof is a Groth16 proof of a plug-in circuit with its public inputs.
type Proof struct {
	// Words is the proof in the EVM order of the exported verifier (see DigitsProof.Proof).
	Words [ProofWords]*big.Int
	// Public are the public inputs: the fixed inputs, the outputs, the binding.
	Public []*big.Int
}

// Prove proves the circuit pk belongs to for payload, bound to binding (in
// [0, r)). Errors: CodeInvalidArgument (nil key, binding out of range, a
// payload the circuit cannot decode), CodeInvalidKey (a key of no plug-in
// circuit), CodeUnsatisfied (never for a decodable payload: the circuits are
// total over their payload encoding).
func Prove(pk *ProvingKey, payload []byte, binding *big.Int) (*Proof, error) {
	assignment, public, err := assign(pk, payload, binding)
	if err != nil {
		return nil, err
	}
	return proveAssigned(pk, assignment, public)
}

// assign checks Prove's arguments and returns the full witness assignment and
// the public inputs of payload bound to binding. Errors: those of Prove.
func assign(pk *ProvingKey, payload []byte, binding *big.Int) (frontend.Circuit, []*big.Int, error) {
	if pk == nil {
		return nil, nil, errorf(CodeInvalidArgument, "proving key must not be nil")
	}
	if err := checkScalar("binding", binding); err != nil {
		return nil, nil, err
	}
	c, ok := circuits.Lookup(pk.circuit)
	if !ok {
		return nil, nil, errorf(CodeInvalidKey, "proving key is for circuit %q, which has no generic prover", pk.circuit)
	}
	assignment, public, err := c.Assign(payload, binding)
	if err != nil {
		return nil, nil, errorf(CodeInvalidArgument, "%s payload: %v", c.Name(), err)
	}
	return assignment, public, nil
}

// proveAssigned proves an assignment made by assign on the CPU.
func proveAssigned(pk *ProvingKey, assignment frontend.Circuit, public []*big.Int) (*Proof, error) {
	cs, err := ConstraintSystem(pk.circuit)
	if err != nil {
		return nil, err
	}
	words, err := proveWords(cs, pk, assignment)
	if err != nil {
		return nil, err
	}
	return &Proof{Words: words, Public: public}, nil
}

// Verify checks a proof (8 words, EVM order) of the circuit vk belongs to
// against its public inputs. (false, nil) when the pairing check fails; errors
// for malformed input: CodeInvalidArgument (wrong count, unreduced input),
// CodeInvalidProof (a coordinate ≥ p, a point off its curve or subgroup),
// CodeInvalidKey (a key of no plug-in circuit).
func Verify(vk *VerifyingKey, words [ProofWords]*big.Int, public []*big.Int) (bool, error) {
	if vk == nil {
		return false, errorf(CodeInvalidArgument, "verifying key must not be nil")
	}
	c, ok := circuits.Lookup(vk.circuit)
	if !ok {
		return false, errorf(CodeInvalidKey, "verifying key is for circuit %q, which has no generic verifier", vk.circuit)
	}
	if want := c.FixedInputs() + c.Outputs() + 1; len(public) != want {
		return false, errorf(CodeInvalidArgument, "%s has %d public inputs, got %d", c.Name(), want, len(public))
	}
	for k, in := range public {
		if err := checkScalar(fmt.Sprintf("public input %d", k), in); err != nil {
			return false, err
		}
	}
	assignment, err := c.Public(public)
	if err != nil {
		return false, errorf(CodeInvalidArgument, "%v", err)
	}
	return verifyWords(vk, words, assignment)
}
