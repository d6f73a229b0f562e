package prover

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sync"

	curve "github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/fft"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	"github.com/consensys/gnark/constraint"

	"github.com/procura/procura/gpu-runtime/go/circuits"
)

// keyShape is what a circuit's constraint system fixes about its Groth16 keys
// (gnark v0.14 backend/groth16/bn254 Setup, for a circuit without BSB22
// commitments): a key of another shape is not a key of that circuit, and
// proving with one would index gnark's slices out of range inside a goroutine
// (a panic no recover can catch: it kills the process, the JVM included).
type keyShape struct {
	// nbWires is internal + public + secret variables: the length of the
	// proving key's InfinityA/InfinityB and the bound of its A, B slices.
	nbWires uint64
	// nbPublic is the number of public variables, the constant one included:
	// the length of the verifying key's K.
	nbPublic int
	// nbPrivate is internal + secret variables: the length of the proving
	// key's K.
	nbPrivate int
	// domain is fft.NewDomain(constraints): the proving key's Domain; its
	// H-query (Z) has domain.Cardinality − 1 points.
	domain *fft.Domain
}

// circuitSystems maps test-only circuit identifiers to the function that
// compiles their constraint system; every registered circuit (package
// circuits, digits included) is compiled by ConstraintSystem. Keys of other
// identifiers are refused: their shape cannot be checked.
var circuitSystems = map[string]func() (constraint.ConstraintSystem, error){}

var shapes sync.Map // circuit id → *keyShape

// shapeOf returns the key shape of circuit id. Errors: CodeInvalidKey (an
// unknown circuit), or the compile error of its constraint system.
func shapeOf(id string) (*keyShape, error) {
	if s, ok := shapes.Load(id); ok {
		return s.(*keyShape), nil
	}
	compile, ok := circuitSystems[id]
	if !ok {
		if _, plugin := circuits.Lookup(id); !plugin {
			return nil, errorf(CodeInvalidKey, "key for unknown circuit %q", id)
		}
		compile = func() (constraint.ConstraintSystem, error) { return ConstraintSystem(id) }
	}
	cs, err := compile()
	if err != nil {
		return nil, err
	}
	if len(cs.GetCommitments().CommitmentIndexes()) != 0 {
		return nil, errorf(CodeInternal, "circuit %q uses BSB22 commitments", id)
	}
	internal, secret, public := cs.GetNbVariables()
	s := &keyShape{
		nbWires:   uint64(internal + secret + public),
		nbPublic:  public,
		nbPrivate: internal + secret,
		domain:    fft.NewDomain(uint64(cs.GetNbConstraints())),
	}
	shapes.Store(id, s)
	return s, nil
}

// keyReader decodes a gnark key payload field by field, checking every length
// prefix against the circuit's shape *before* gnark allocates for it (gnark's
// decoder trusts length prefixes: a crafted one makes it allocate terabytes,
// a fatal out-of-memory error that kills the process).
type keyReader struct {
	what    string
	payload []byte
	r       *bytes.Reader
	dec     *curve.Decoder
}

func (k *keyReader) bad(format string, args ...any) error {
	return errorf(CodeInvalidKey, "%s: %s", k.what, fmt.Sprintf(format, args...))
}

func (k *keyReader) decode(name string, v any) error {
	if err := k.dec.Decode(v); err != nil {
		return k.bad("decode %s: %v", name, err)
	}
	return nil
}

// slice decodes a length-prefixed slice of points after checking that its
// length is at most max and that the rest of the payload can hold that many
// points (minSize bytes each, compressed).
func (k *keyReader) slice(name string, v any, max uint64, minSize int) error {
	rest := k.payload[len(k.payload)-k.r.Len():]
	if len(rest) < 4 {
		return k.bad("truncated before %s", name)
	}
	n := uint64(binary.BigEndian.Uint32(rest))
	if n > max || n*uint64(minSize) > uint64(len(rest)-4) {
		return k.bad("%s claims %d points (at most %d for this circuit, %d bytes left)", name, n, max, len(rest)-4)
	}
	return k.decode(name, v)
}

// decodeProvingKey decodes gnark's (compressed or raw) encoding of a BN254
// proving key (ProvingKey.WriteTo / WriteRawTo, gnark v0.14) and checks it has
// shape s. Points are not subgroup-checked (UnsafeReadFrom's choice: a wrong
// point only yields proofs that fail verification). Errors: CodeInvalidKey.
func decodeProvingKey(payload []byte, s *keyShape) (*groth16bn254.ProvingKey, error) {
	k := &keyReader{what: "proving key", payload: payload, r: bytes.NewReader(payload)}
	pk := &groth16bn254.ProvingKey{}
	// The domain comes first; its cardinality sizes the twiddles gnark precomputes while reading it.
	if len(payload) < 8 {
		return nil, k.bad("truncated domain")
	}
	if c := binary.BigEndian.Uint64(payload); c != s.domain.Cardinality {
		return nil, k.bad("domain of %d points, the circuit's has %d", c, s.domain.Cardinality)
	}
	if _, err := pk.Domain.ReadFrom(k.r); err != nil {
		return nil, k.bad("decode domain: %v", err)
	}
	d := &pk.Domain
	if !d.CardinalityInv.Equal(&s.domain.CardinalityInv) || !d.Generator.Equal(&s.domain.Generator) ||
		!d.GeneratorInv.Equal(&s.domain.GeneratorInv) || !d.FrMultiplicativeGen.Equal(&s.domain.FrMultiplicativeGen) ||
		!d.FrMultiplicativeGenInv.Equal(&s.domain.FrMultiplicativeGenInv) {
		return nil, k.bad("domain differs from the circuit's")
	}
	k.dec = curve.NewDecoder(k.r, curve.NoSubgroupChecks())
	var nbWires uint64
	var nbCommitments uint32
	steps := []func() error{
		func() error { return k.decode("alpha", &pk.G1.Alpha) },
		func() error { return k.decode("beta", &pk.G1.Beta) },
		func() error { return k.decode("delta", &pk.G1.Delta) },
		func() error { return k.slice("A", &pk.G1.A, s.nbWires, curve.SizeOfG1AffineCompressed) },
		func() error { return k.slice("B", &pk.G1.B, s.nbWires, curve.SizeOfG1AffineCompressed) },
		func() error { return k.slice("Z", &pk.G1.Z, s.domain.Cardinality-1, curve.SizeOfG1AffineCompressed) },
		func() error { return k.slice("K", &pk.G1.K, uint64(s.nbPrivate), curve.SizeOfG1AffineCompressed) },
		func() error { return k.decode("beta2", &pk.G2.Beta) },
		func() error { return k.decode("delta2", &pk.G2.Delta) },
		func() error { return k.slice("B2", &pk.G2.B, s.nbWires, curve.SizeOfG2AffineCompressed) },
		func() error { return k.decode("wire count", &nbWires) },
		func() error {
			if nbWires != s.nbWires {
				return k.bad("%d wires, the circuit has %d", nbWires, s.nbWires)
			}
			return nil
		},
		func() error { return k.decode("infinity count A", &pk.NbInfinityA) },
		func() error { return k.decode("infinity count B", &pk.NbInfinityB) },
		func() error {
			if uint64(k.r.Len()) < 2*nbWires {
				return k.bad("truncated infinity flags")
			}
			pk.InfinityA = make([]bool, nbWires)
			pk.InfinityB = make([]bool, nbWires)
			return nil
		},
		func() error { return k.decode("infinity flags A", &pk.InfinityA) },
		func() error { return k.decode("infinity flags B", &pk.InfinityB) },
		func() error { return k.decode("commitment count", &nbCommitments) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	if nbCommitments != 0 {
		return nil, k.bad("%d BSB22 commitment keys; the circuit has none", nbCommitments)
	}
	if k.r.Len() != 0 {
		return nil, k.bad("%d trailing bytes", k.r.Len())
	}
	// The counts prove indexes by, against each other and the circuit.
	countA, countB := countTrue(pk.InfinityA), countTrue(pk.InfinityB)
	switch {
	case countA != pk.NbInfinityA || countB != pk.NbInfinityB:
		return nil, k.bad("infinity counts %d/%d do not match the flags (%d/%d)", pk.NbInfinityA, pk.NbInfinityB, countA, countB)
	case uint64(len(pk.G1.A)) != nbWires-countA:
		return nil, k.bad("%d A points for %d finite ones", len(pk.G1.A), nbWires-countA)
	case uint64(len(pk.G1.B)) != nbWires-countB || len(pk.G2.B) != len(pk.G1.B):
		return nil, k.bad("%d/%d B points for %d finite ones", len(pk.G1.B), len(pk.G2.B), nbWires-countB)
	case uint64(len(pk.G1.Z)) != s.domain.Cardinality-1:
		return nil, k.bad("%d Z points, the circuit needs %d", len(pk.G1.Z), s.domain.Cardinality-1)
	case len(pk.G1.K) != s.nbPrivate:
		return nil, k.bad("%d K points, the circuit has %d private wires", len(pk.G1.K), s.nbPrivate)
	}
	return pk, nil
}

// decodeVerifyingKey decodes gnark's encoding of a BN254 verifying key
// (VerifyingKey.WriteTo / WriteRawTo, gnark v0.14), checking every point's
// subgroup and that the key has shape s (no BSB22 commitments). Errors:
// CodeInvalidKey.
func decodeVerifyingKey(payload []byte, s *keyShape) (*groth16bn254.VerifyingKey, error) {
	k := &keyReader{what: "verifying key", payload: payload, r: bytes.NewReader(payload)}
	k.dec = curve.NewDecoder(k.r)
	vk := &groth16bn254.VerifyingKey{}
	var committed [][]uint64
	var nbCommitments uint32
	steps := []func() error{
		func() error { return k.decode("alpha", &vk.G1.Alpha) },
		func() error { return k.decode("beta", &vk.G1.Beta) },
		func() error { return k.decode("beta2", &vk.G2.Beta) },
		func() error { return k.decode("gamma2", &vk.G2.Gamma) },
		func() error { return k.decode("delta", &vk.G1.Delta) },
		func() error { return k.decode("delta2", &vk.G2.Delta) },
		func() error { return k.slice("K", &vk.G1.K, uint64(s.nbPublic), curve.SizeOfG1AffineCompressed) },
		// the public wires committed to: an outer length of 0 (no commitments), checked before gnark allocates
		func() error { return k.slice("committed wires", &committed, 0, 4) },
		func() error { return k.decode("commitment count", &nbCommitments) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	if nbCommitments != 0 {
		return nil, k.bad("%d BSB22 commitment keys; the circuit has none", nbCommitments)
	}
	if k.r.Len() != 0 {
		return nil, k.bad("%d trailing bytes", k.r.Len())
	}
	if len(vk.G1.K) != s.nbPublic {
		return nil, k.bad("%d public inputs, the circuit has %d", len(vk.G1.K)-1, s.nbPublic-1)
	}
	vk.PublicAndCommitmentCommitted = [][]int{}
	if err := vk.Precompute(); err != nil {
		return nil, k.bad("precompute: %v", err)
	}
	return vk, nil
}

func countTrue(flags []bool) uint64 {
	var n uint64
	for _, f := range flags {
		if f {
			n++
		}
	}
	return n
}
