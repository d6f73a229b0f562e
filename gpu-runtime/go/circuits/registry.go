// Package circuits is the registry of Procura's plug-in circuits: each one a
// gnark circuit with its payload encoding, found by the identifier that its
// Groth16 keys carry. The prover package sets up, proves and verifies any
// registered circuit through this interface (as gnark's groth16.Setup, Prove
// and Verify take any constraint system); each circuit package registers its
// circuits in an init function.
package circuits

import (
	"fmt"
	"math/big"
	"sort"
	"sync"

	"github.com/consensys/gnark/frontend"
)

// Circuit is one statement Procura can prove. Its public inputs are, in order,
// the requester's fixed inputs, the proof's outputs, and the binding
// (keccak256(chainid, market, slotId, prover) mod r, docs/DESIGN.md §3), which every
// circuit constrains.
type Circuit interface {
	// ID names the circuit and its version in key envelopes, e.g. "procura.rollup.d4.n3.v1".
	ID() string
	// Name is the short name users type, e.g. "rollup-2^16".
	Name() string
	// New returns an empty circuit (slices sized) to compile.
	New() frontend.Circuit
	// FixedInputs and Outputs count the public inputs before the binding.
	FixedInputs() int
	Outputs() int
	// PayloadBytes is the exact payload length, or -1 if the circuit accepts several.
	PayloadBytes() int
	// Fixed returns the fixed inputs a requester must give with payload (what the circuit's payload checker
	// recomputes on chain). Errors: a payload that does not decode.
	Fixed(payload []byte) ([]*big.Int, error)
	// Assign decodes payload and returns the full witness for binding (in [0, r)) and the public inputs, in
	// order, binding last. The circuit is total over its payload encoding: any payload that decodes has a
	// witness. Errors: a payload that does not decode (wrong length).
	Assign(payload []byte, binding *big.Int) (frontend.Circuit, []*big.Int, error)
	// Public returns an assignment of the public inputs only, for verification.
	Public(inputs []*big.Int) (frontend.Circuit, error)
}

var (
	mu     sync.RWMutex
	byID   = map[string]Circuit{}
	byName = map[string]Circuit{}
)

// Register adds c; it panics on a duplicate identifier or name (a programming error at init).
func Register(c Circuit) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := byID[c.ID()]; dup {
		panic(fmt.Sprintf("circuits: %s registered twice", c.ID()))
	}
	if _, dup := byName[c.Name()]; dup {
		panic(fmt.Sprintf("circuits: name %s registered twice", c.Name()))
	}
	byID[c.ID()] = c
	byName[c.Name()] = c
}

// Lookup returns the circuit of identifier id.
func Lookup(id string) (Circuit, bool) {
	mu.RLock()
	defer mu.RUnlock()
	c, ok := byID[id]
	return c, ok
}

// ByName returns the circuit of short name name.
func ByName(name string) (Circuit, bool) {
	mu.RLock()
	defer mu.RUnlock()
	c, ok := byName[name]
	return c, ok
}

// All returns the registered circuits sorted by name.
func All() []Circuit {
	mu.RLock()
	defer mu.RUnlock()
	out := make([]Circuit, 0, len(byID))
	for _, c := range byID {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out
}
