package rollup_test

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/test"

	"github.com/procura/procura/gpu-runtime/go/circuits/rollup"
)

var small = rollup.Params{Depth: 3, Transfers: 4}

func randomBatch(rng *rand.Rand, p rollup.Params) *rollup.Batch {
	b := &rollup.Batch{Params: p, Balances: make([]uint64, p.Accounts()), Transfers: make([]rollup.Transfer, p.Transfers)}
	for i := range b.Balances {
		b.Balances[i] = rng.Uint64N(1000)
	}
	for t := range b.Transfers {
		b.Transfers[t] = rollup.Transfer{From: rng.Uint32(), To: rng.Uint32(), Amount: rng.Uint64N(700)}
	}
	return b
}

func solved(t *testing.T, c *rollup.Circuit, p rollup.Params) error {
	t.Helper()
	return test.IsSolved(rollup.New(p), c, ecc.BN254.ScalarField())
}

func TestHonestBatchesAreSolvedAndMatchTheNativeRules(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 5 {
		b := randomBatch(rng, small)
		c, out := rollup.Assign(b, big.NewInt(77))
		if err := solved(t, c, small); err != nil {
			t.Fatal(err)
		}
		if out.OldRoot.Cmp(rollup.Root(small.Depth, b.Balances)) != 0 {
			t.Fatal("old root differs from the balances' root")
		}
		if out.NewRoot.Cmp(rollup.Root(small.Depth, b.Apply())) != 0 {
			t.Fatal("new root differs from the natively applied batch")
		}
		if out.PayloadCommitment.Cmp(rollup.PayloadCommitment(b.Encode())) != 0 {
			t.Fatal("payload commitment differs")
		}
	}
}

func TestForgedOutputsAreRejected(t *testing.T) {
	b := randomBatch(rand.New(rand.NewPCG(3, 4)), small)
	for name, forge := range map[string]func(c *rollup.Circuit){
		"new root":           func(c *rollup.Circuit) { c.NewRoot = big.NewInt(1) },
		"old root":           func(c *rollup.Circuit) { c.OldRoot = big.NewInt(1) },
		"payload commitment": func(c *rollup.Circuit) { c.PayloadCommitment = big.NewInt(1) },
		"a balance":          func(c *rollup.Circuit) { c.Balances[0] = big.NewInt(1 << 40) },
		"an amount":          func(c *rollup.Circuit) { c.Transfers[0].Amount = uint64(1 << 50) },
		"binding squared":    func(c *rollup.Circuit) { c.BindingSquared = 5 },
		"the receiver after the debit": func(c *rollup.Circuit) {
			c.Transfers[1].ReceiverMidBalance = 123456
		},
	} {
		t.Run(name, func(t *testing.T) {
			c, _ := rollup.Assign(b, big.NewInt(77))
			forge(c)
			if solved(t, c, small) == nil {
				t.Fatal("a forged witness was accepted")
			}
		})
	}
}

// An overdrawing or overflowing transfer is a no-op, never an unsatisfiable constraint; so is one to oneself.
func TestOverdrawOverflowAndSelfTransfersAreNoOps(t *testing.T) {
	p := rollup.Params{Depth: 2, Transfers: 1}
	for name, tr := range map[string]rollup.Transfer{
		"overdraw":       {From: 0, To: 1, Amount: 11},
		"overflow":       {From: 0, To: 2, Amount: 10},
		"to oneself":     {From: 3, To: 3, Amount: 5},
		"index wraps":    {From: 0xFFFFFFFC, To: 0xFFFFFFFF, Amount: 7}, // accounts 0 and 3
		"everything":     {From: 0, To: 1, Amount: 10},
		"nothing at all": {From: 1, To: 0, Amount: 0},
	} {
		t.Run(name, func(t *testing.T) {
			b := &rollup.Batch{Params: p, Balances: []uint64{10, 0, ^uint64(0) - 5, 5}, Transfers: []rollup.Transfer{tr}}
			c, out := rollup.Assign(b, big.NewInt(1))
			if err := solved(t, c, p); err != nil {
				t.Fatal(err)
			}
			after := b.Apply()
			changed := out.NewRoot.Cmp(out.OldRoot) != 0
			switch name {
			case "overdraw", "overflow", "to oneself", "nothing at all":
				if changed {
					t.Fatalf("a no-op changed the root (balances %v)", after)
				}
			case "index wraps":
				if after[0] != 3 || after[3] != 12 {
					t.Fatalf("balances %v", after)
				}
			case "everything":
				if after[0] != 0 || after[1] != 10 || !changed {
					t.Fatalf("balances %v", after)
				}
			}
		})
	}
}

// Total over the payload encoding: every byte string of the right length, extreme values included, has a witness.
func TestTotalOverRandomPayloads(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range 8 {
		payload := make([]byte, small.PayloadBytes())
		for k := range payload {
			switch i % 3 {
			case 0:
				payload[k] = byte(rng.UintN(256))
			case 1:
				payload[k] = 0xFF
			default:
				payload[k] = byte(rng.UintN(2) * 0xFF)
			}
		}
		b, err := rollup.Decode(small, payload)
		if err != nil {
			t.Fatal(err)
		}
		if string(b.Encode()) != string(payload) {
			t.Fatal("encoding does not round-trip")
		}
		c, _ := rollup.Assign(b, big.NewInt(int64(i)))
		if err := solved(t, c, small); err != nil {
			t.Fatalf("payload %d: %v", i, err)
		}
	}
	if _, err := rollup.Decode(small, make([]byte, small.PayloadBytes()-1)); err == nil {
		t.Fatal("a payload of the wrong length decoded")
	}
}

// A real Groth16 proof of a small batch (setup, prove, verify with gnark).
func TestGroth16ProvesABatch(t *testing.T) {
	p := rollup.Params{Depth: 2, Transfers: 2}
	b := randomBatch(rand.New(rand.NewPCG(7, 8)), p)
	c, _ := rollup.Assign(b, big.NewInt(9))
	test.NewAssert(t).ProverSucceeded(rollup.New(p), c,
		test.WithCurves(ecc.BN254), test.WithBackends(backend.GROTH16), test.NoFuzzing(), test.NoSerializationChecks())
}

// The size classes span about 2^16 to 2^22 constraints: each class is within a factor √2 of its name. The two
// largest are checked by their linear cost (compiling 2^22 constraints takes minutes), measured from two small
// compilations.
func TestConstraintCountsOfTheSizeClasses(t *testing.T) {
	count := func(p rollup.Params) int {
		cs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, rollup.New(p))
		if err != nil {
			t.Fatal(err)
		}
		return cs.GetNbConstraints()
	}
	one, two := count(rollup.Params{Depth: 4, Transfers: 1}), count(rollup.Params{Depth: 4, Transfers: 2})
	perTransfer, base := two-one, 2*one-two
	t.Logf("depth 4: %d + %d per transfer", base, perTransfer)
	for _, class := range rollup.SizeClasses {
		var exp int
		if _, err := fmt.Sscanf(class.Name, "2^%d", &exp); err != nil {
			t.Fatal(err)
		}
		want := 1 << exp
		var got int
		if class.Params.Transfers <= 16 || class.Params.Depth != 4 {
			got = count(class.Params)
		} else {
			got = base + perTransfer*class.Params.Transfers
		}
		t.Logf("%s: %d constraints", class.Name, got)
		if float64(got) < float64(want)/1.4143 || float64(got) > float64(want)*1.4143 {
			t.Fatalf("class %s has %d constraints, want about %d", class.Name, got, want)
		}
	}
}

// BenchmarkProve proves one batch of each size class with gnark's Groth16 (CPU), the setup outside the timer.
// The classes above 2^20 need minutes and gigabytes for their setup: select them with -bench explicitly, e.g.
// go test -run '^$' -bench 'Prove/2\^22' -benchtime 1x ./circuits/rollup
func BenchmarkProve(b *testing.B) {
	for _, class := range rollup.SizeClasses {
		b.Run(class.Name, func(b *testing.B) {
			cs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, rollup.New(class.Params))
			if err != nil {
				b.Fatal(err)
			}
			pk, _, err := groth16.Setup(cs)
			if err != nil {
				b.Fatal(err)
			}
			batch := randomBatch(rand.New(rand.NewPCG(11, 12)), class.Params)
			c, _ := rollup.Assign(batch, big.NewInt(13))
			w, err := frontend.NewWitness(c, ecc.BN254.ScalarField())
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := groth16.Prove(cs, pk, w); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cs.GetNbConstraints()), "constraints")
		})
	}
}
