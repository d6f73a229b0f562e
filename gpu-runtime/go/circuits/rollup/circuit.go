package rollup

import (
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/hash/mimc"
	"github.com/consensys/gnark/std/math/bits"

	"github.com/procura/procura/gpu-runtime/go/gadgets"
)

// TransferWitness is one transfer's part of the witness: the transfer, both
// accounts' balances and Merkle paths (siblings from the leaf up) in the tree
// before it, and the receiver's balance and path after the sender's update.
type TransferWitness struct {
	From, To, Amount               frontend.Variable
	SenderBalance, ReceiverBalance frontend.Variable
	SenderPath, ReceiverPath       []frontend.Variable
	ReceiverMidBalance             frontend.Variable
	ReceiverMidPath                []frontend.Variable
}

// Circuit is the gnark circuit of a rollup batch (see the package doc). Public
// inputs come first, in the order the on-chain verifier expects them.
type Circuit struct {
	PayloadCommitment frontend.Variable `gnark:",public"`
	OldRoot           frontend.Variable `gnark:",public"`
	NewRoot           frontend.Variable `gnark:",public"`
	Binding           frontend.Variable `gnark:",public"`

	Balances       []frontend.Variable
	Transfers      []TransferWitness
	BindingSquared frontend.Variable
}

// New returns an empty circuit of parameters p (slices sized), for compiling or assigning.
func New(p Params) *Circuit {
	c := &Circuit{Balances: make([]frontend.Variable, p.Accounts()), Transfers: make([]TransferWitness, p.Transfers)}
	for k := range c.Transfers {
		c.Transfers[k].SenderPath = make([]frontend.Variable, p.Depth)
		c.Transfers[k].ReceiverPath = make([]frontend.Variable, p.Depth)
		c.Transfers[k].ReceiverMidPath = make([]frontend.Variable, p.Depth)
	}
	return c
}

// Define declares the constraints of the rollup-batch statement.
func (c *Circuit) Define(api frontend.API) error {
	depth := 0
	for 1<<depth < len(c.Balances) {
		depth++
	}
	hash := func(xs ...frontend.Variable) (frontend.Variable, error) {
		h, err := mimc.NewMiMC(api)
		if err != nil {
			return nil, err
		}
		h.Write(xs...)
		return h.Sum(), nil
	}
	leaf := func(balance frontend.Variable) (frontend.Variable, error) { return hash(LeafTag, balance) }
	// pathRoot recomputes the root from a leaf, its index bits (leaf level first) and its siblings.
	pathRoot := func(l frontend.Variable, index []frontend.Variable, siblings []frontend.Variable) (frontend.Variable, error) {
		cur := l
		for d, sib := range siblings {
			left := api.Select(index[d], sib, cur)
			right := api.Select(index[d], cur, sib)
			var err error
			if cur, err = hash(left, right); err != nil {
				return nil, err
			}
		}
		return cur, nil
	}

	// 1. The payload's bytes (range checks) and its commitment.
	var payload []frontend.Variable
	var level []frontend.Variable
	for _, b := range c.Balances {
		_, bs := bitsAndBytes(api, b, BalanceBytes)
		payload = append(payload, bs...)
		l, err := leaf(b)
		if err != nil {
			return err
		}
		level = append(level, l)
	}
	fromBits := make([][]frontend.Variable, len(c.Transfers))
	toBits := make([][]frontend.Variable, len(c.Transfers))
	for k, t := range c.Transfers {
		fb, fbytes := bitsAndBytes(api, t.From, 4)
		tb, tbytes := bitsAndBytes(api, t.To, 4)
		_, abytes := bitsAndBytes(api, t.Amount, 8)
		fromBits[k], toBits[k] = fb[:depth], tb[:depth]
		payload = append(append(append(payload, fbytes...), tbytes...), abytes...)
	}
	commitment, err := hash(append([]frontend.Variable{PayloadTag}, gadgets.PackBytes(api, payload)...)...)
	if err != nil {
		return err
	}
	api.AssertIsEqual(commitment, c.PayloadCommitment)

	// 2. The old root, from the balances.
	for len(level) > 1 {
		next := make([]frontend.Variable, len(level)/2)
		for i := range next {
			if next[i], err = hash(level[2*i], level[2*i+1]); err != nil {
				return err
			}
		}
		level = next
	}
	api.AssertIsEqual(level[0], c.OldRoot)

	// 3-4. The transfers, each on the tree the previous one left.
	root := level[0]
	for k, t := range c.Transfers {
		// ok = amount <= sender balance and receiver balance + amount < 2^64 (both sides are < 2^64, so the
		// 65-bit decompositions cannot wrap)
		enough := bits.ToBinary(api, api.Sub(api.Add(t.SenderBalance, two64), t.Amount), bits.WithNbDigits(65))[64]
		overflow := bits.ToBinary(api, api.Add(t.ReceiverBalance, t.Amount), bits.WithNbDigits(65))[64]
		ok := api.Mul(enough, api.Sub(1, overflow))
		moved := api.Mul(ok, t.Amount)

		for _, check := range []struct {
			balance frontend.Variable
			index   []frontend.Variable
			path    []frontend.Variable
		}{{t.SenderBalance, fromBits[k], t.SenderPath}, {t.ReceiverBalance, toBits[k], t.ReceiverPath}} {
			l, err := leaf(check.balance)
			if err != nil {
				return err
			}
			r, err := pathRoot(l, check.index, check.path)
			if err != nil {
				return err
			}
			api.AssertIsEqual(r, root)
		}
		l, err := leaf(api.Sub(t.SenderBalance, moved))
		if err != nil {
			return err
		}
		if root, err = pathRoot(l, fromBits[k], t.SenderPath); err != nil {
			return err
		}
		if l, err = leaf(t.ReceiverMidBalance); err != nil {
			return err
		}
		mid, err := pathRoot(l, toBits[k], t.ReceiverMidPath)
		if err != nil {
			return err
		}
		api.AssertIsEqual(mid, root)
		if l, err = leaf(api.Add(t.ReceiverMidBalance, moved)); err != nil {
			return err
		}
		if root, err = pathRoot(l, toBits[k], t.ReceiverMidPath); err != nil {
			return err
		}
	}
	api.AssertIsEqual(root, c.NewRoot)

	// 5. A constrained binding.
	api.AssertIsEqual(api.Mul(c.Binding, c.Binding), c.BindingSquared)
	return nil
}

// bitsAndBytes range-checks v to 8·n bits and returns its bits (least
// significant first) and its bytes (most significant first), built from the
// same bits.
func bitsAndBytes(api frontend.API, v frontend.Variable, n int) ([]frontend.Variable, []frontend.Variable) {
	b := bits.ToBinary(api, v, bits.WithNbDigits(8*n))
	out := make([]frontend.Variable, n)
	for k := range out {
		lo := 8 * (n - 1 - k)
		acc := frontend.Variable(0)
		for i := range 8 {
			acc = api.Add(acc, api.Mul(b[lo+i], 1<<i))
		}
		out[k] = acc
	}
	return b, out
}
