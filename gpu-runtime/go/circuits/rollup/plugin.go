package rollup

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark/frontend"

	"github.com/procura/procura/gpu-runtime/go/circuits"
)

// Plugin is the rollup-batch circuit of parameters P as a registered circuit
// (circuits.Circuit): one fixed input (the payload commitment), two outputs
// (old and new root), the binding.
type Plugin struct {
	P    Params
	name string
}

func init() {
	for _, c := range SizeClasses {
		circuits.Register(&Plugin{P: c.Params, name: "rollup-" + c.Name})
	}
}

// ID implements circuits.Circuit.
func (p *Plugin) ID() string { return p.P.ID() }

// Name implements circuits.Circuit ("rollup-2^16", …).
func (p *Plugin) Name() string { return p.name }

// New implements circuits.Circuit.
func (p *Plugin) New() frontend.Circuit { return New(p.P) }

// FixedInputs implements circuits.Circuit: the payload commitment.
func (p *Plugin) FixedInputs() int { return 1 }

// Outputs implements circuits.Circuit: the old and new roots.
func (p *Plugin) Outputs() int { return 2 }

// PayloadBytes implements circuits.Circuit.
func (p *Plugin) PayloadBytes() int { return p.P.PayloadBytes() }

// Fixed implements circuits.Circuit: [PayloadCommitment(payload)] for a payload of the circuit's length.
func (p *Plugin) Fixed(payload []byte) ([]*big.Int, error) {
	if len(payload) != p.P.PayloadBytes() {
		return nil, fmt.Errorf("rollup payload is %d bytes, want %d", len(payload), p.P.PayloadBytes())
	}
	return []*big.Int{PayloadCommitment(payload)}, nil
}

// Assign implements circuits.Circuit: public inputs PayloadCommitment, OldRoot, NewRoot, Binding.
func (p *Plugin) Assign(payload []byte, binding *big.Int) (frontend.Circuit, []*big.Int, error) {
	b, err := Decode(p.P, payload)
	if err != nil {
		return nil, nil, err
	}
	c, out := Assign(b, binding)
	return c, []*big.Int{out.PayloadCommitment, out.OldRoot, out.NewRoot, new(big.Int).Set(binding)}, nil
}

// Public implements circuits.Circuit.
func (p *Plugin) Public(inputs []*big.Int) (frontend.Circuit, error) {
	if len(inputs) != 4 {
		return nil, fmt.Errorf("rollup circuit has 4 public inputs, got %d", len(inputs))
	}
	c := New(p.P)
	c.PayloadCommitment, c.OldRoot, c.NewRoot, c.Binding = inputs[0], inputs[1], inputs[2], inputs[3]
	return c, nil
}

// SamplePayload is a fixed batch for fixtures: balances 100, 200, …; transfer t
// moves 50 + 100t from account t to account t + 5 (the last ones overdraw or
// wrap, as a real batch may).
func (p *Plugin) SamplePayload() []byte {
	b := &Batch{Params: p.P, Balances: make([]uint64, p.P.Accounts()), Transfers: make([]Transfer, p.P.Transfers)}
	for i := range b.Balances {
		b.Balances[i] = uint64(100 * (i + 1))
	}
	for t := range b.Transfers {
		b.Transfers[t] = Transfer{From: uint32(t), To: uint32(t + 5), Amount: uint64(50 + 100*t)}
	}
	return b.Encode()
}
