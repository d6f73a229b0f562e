package rollup

import (
	"encoding/binary"
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/consensys/gnark/frontend"

	"github.com/procura/procura/gpu-runtime/go/gadgets"
)

const (
	// BalanceBytes is the size of one balance in the payload (a big-endian uint64).
	BalanceBytes = 8
	// TransferBytes is the size of one transfer in the payload: from (4), to (4), amount (8), big-endian.
	TransferBytes = 16
)

var (
	// PayloadTag separates the payload commitment's MiMC domain ("procura.rollup.payload.v1" as an integer).
	PayloadTag = new(big.Int).SetBytes([]byte("procura.rollup.payload.v1"))
	// LeafTag separates leaf hashes from inner nodes ("procura.rollup.leaf.v1" as an integer).
	LeafTag = new(big.Int).SetBytes([]byte("procura.rollup.leaf.v1"))
	two64   = new(big.Int).Lsh(big.NewInt(1), 64)
)

// Params sizes a batch circuit: a tree of 2^Depth balances and Transfers transfers.
type Params struct {
	Depth     int
	Transfers int
}

// Accounts is the number of leaves, 2^Depth.
func (p Params) Accounts() int { return 1 << p.Depth }

// PayloadBytes is the exact length of a payload of these parameters.
func (p Params) PayloadBytes() int { return p.Accounts()*BalanceBytes + p.Transfers*TransferBytes }

// ID names the circuit of these parameters in key envelopes ("procura.rollup.d4.n3.v1").
func (p Params) ID() string { return fmt.Sprintf("procura.rollup.d%d.n%d.v1", p.Depth, p.Transfers) }

// Validate checks 1 ≤ Depth ≤ 20 and 1 ≤ Transfers ≤ 4096.
func (p Params) Validate() error {
	if p.Depth < 1 || p.Depth > 20 || p.Transfers < 1 || p.Transfers > 4096 {
		return fmt.Errorf("rollup parameters out of range: depth %d (1..20), transfers %d (1..4096)", p.Depth, p.Transfers)
	}
	return nil
}

// SizeClass is a named choice of parameters.
type SizeClass struct {
	Name   string
	Params Params
}

// SizeClasses span about 2^16 to 2^22 constraints with a tree of 16 accounts,
// after a small class (4 accounts, one transfer) for demos and tests whose
// setup takes about a second (the counts are checked by
// TestConstraintCountsOfTheSizeClasses).
var SizeClasses = []SizeClass{
	{"2^14", Params{Depth: 2, Transfers: 1}},
	{"2^16", Params{Depth: 4, Transfers: 3}},
	{"2^18", Params{Depth: 4, Transfers: 16}},
	{"2^20", Params{Depth: 4, Transfers: 67}},
	{"2^22", Params{Depth: 4, Transfers: 270}},
}

// Transfer moves Amount from account From mod 2^Depth to account To mod 2^Depth.
type Transfer struct {
	From, To uint32
	Amount   uint64
}

// Batch is a decoded payload: the balances before the batch and the transfers.
type Batch struct {
	Params    Params
	Balances  []uint64
	Transfers []Transfer
}

// Decode parses a payload of exactly p.PayloadBytes() bytes (see the package doc).
func Decode(p Params, payload []byte) (*Batch, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if len(payload) != p.PayloadBytes() {
		return nil, fmt.Errorf("rollup payload is %d bytes, want %d (%d balances, %d transfers)",
			len(payload), p.PayloadBytes(), p.Accounts(), p.Transfers)
	}
	b := &Batch{Params: p, Balances: make([]uint64, p.Accounts()), Transfers: make([]Transfer, p.Transfers)}
	for i := range b.Balances {
		b.Balances[i] = binary.BigEndian.Uint64(payload[i*BalanceBytes:])
	}
	rest := payload[p.Accounts()*BalanceBytes:]
	for t := range b.Transfers {
		x := rest[t*TransferBytes:]
		b.Transfers[t] = Transfer{
			From:   binary.BigEndian.Uint32(x),
			To:     binary.BigEndian.Uint32(x[4:]),
			Amount: binary.BigEndian.Uint64(x[8:]),
		}
	}
	return b, nil
}

// Encode returns the payload of b.
func (b *Batch) Encode() []byte {
	out := make([]byte, 0, b.Params.PayloadBytes())
	for _, v := range b.Balances {
		out = binary.BigEndian.AppendUint64(out, v)
	}
	for _, t := range b.Transfers {
		out = binary.BigEndian.AppendUint32(out, t.From)
		out = binary.BigEndian.AppendUint32(out, t.To)
		out = binary.BigEndian.AppendUint64(out, t.Amount)
	}
	return out
}

// Apply runs the batch natively: the balances after it, with the circuit's
// rules (an overdrawing or overflowing transfer is a no-op).
func (b *Batch) Apply() []uint64 {
	bal := append([]uint64(nil), b.Balances...)
	mask := uint32(b.Params.Accounts() - 1)
	for _, t := range b.Transfers {
		from, to := t.From&mask, t.To&mask
		if t.Amount <= bal[from] && bal[to] <= ^uint64(0)-t.Amount {
			bal[from] -= t.Amount
			bal[to] += t.Amount
		}
	}
	return bal
}

// PayloadCommitment is MiMC(PayloadTag, pack(payload)), as the circuit and the
// on-chain payload checker compute it.
func PayloadCommitment(payload []byte) *big.Int {
	return gadgets.HashNative(append([]*big.Int{PayloadTag}, gadgets.PackBytesNative(payload)...)...)
}

// Root is the Merkle root of the balances (leaves MiMC(LeafTag, balance),
// nodes MiMC(left, right)).
func Root(depth int, balances []uint64) *big.Int {
	return newTree(depth, balances).root()
}

func leafOf(balance uint64) *big.Int {
	return gadgets.HashNative(LeafTag, new(big.Int).SetUint64(balance))
}

// tree is a full binary Merkle tree; levels[0] are the leaves, the last level the root.
type tree struct {
	levels [][]*big.Int
}

func newTree(depth int, balances []uint64) *tree {
	t := &tree{levels: make([][]*big.Int, depth+1)}
	t.levels[0] = make([]*big.Int, len(balances))
	for i, v := range balances {
		t.levels[0][i] = leafOf(v)
	}
	for d := 1; d <= depth; d++ {
		prev := t.levels[d-1]
		t.levels[d] = make([]*big.Int, len(prev)/2)
		for i := range t.levels[d] {
			t.levels[d][i] = gadgets.HashNative(prev[2*i], prev[2*i+1])
		}
	}
	return t
}

func (t *tree) root() *big.Int { return t.levels[len(t.levels)-1][0] }

// path returns the siblings of leaf i, from the leaf level up.
func (t *tree) path(i int) []*big.Int {
	out := make([]*big.Int, len(t.levels)-1)
	for d := range out {
		out[d] = t.levels[d][i^1]
		i >>= 1
	}
	return out
}

// set replaces leaf i's balance and updates the nodes above it.
func (t *tree) set(i int, balance uint64) {
	t.levels[0][i] = leafOf(balance)
	for d := 1; d < len(t.levels); d++ {
		i >>= 1
		t.levels[d][i] = gadgets.HashNative(t.levels[d-1][2*i], t.levels[d-1][2*i+1])
	}
}

// Outputs are the public values of a batch: the commitment the requester fixes
// and the two roots the proof outputs.
type Outputs struct {
	PayloadCommitment, OldRoot, NewRoot *big.Int
}

// Assign returns the full witness assignment of batch b's circuit for binding
// (an integer in [0, r)) and the batch's public values. BindingSquared is
// binding² mod r.
func Assign(b *Batch, binding *big.Int) (*Circuit, Outputs) {
	p := b.Params
	c := New(p)
	payload := b.Encode()
	tr := newTree(p.Depth, b.Balances)
	out := Outputs{PayloadCommitment: PayloadCommitment(payload), OldRoot: tr.root()}
	for i, v := range b.Balances {
		c.Balances[i] = new(big.Int).SetUint64(v)
	}
	bal := append([]uint64(nil), b.Balances...)
	mask := uint32(p.Accounts() - 1)
	vars := func(xs []*big.Int, dst []frontend.Variable) {
		for k, x := range xs {
			dst[k] = x
		}
	}
	for k, t := range b.Transfers {
		w := &c.Transfers[k]
		from, to := int(t.From&mask), int(t.To&mask)
		w.From, w.To, w.Amount = uint64(t.From), uint64(t.To), t.Amount
		w.SenderBalance, w.ReceiverBalance = bal[from], bal[to]
		vars(tr.path(from), w.SenderPath)
		vars(tr.path(to), w.ReceiverPath)
		moved := uint64(0)
		if t.Amount <= bal[from] && bal[to] <= ^uint64(0)-t.Amount {
			moved = t.Amount
		}
		bal[from] -= moved
		tr.set(from, bal[from])
		w.ReceiverMidBalance = bal[to]
		vars(tr.path(to), w.ReceiverMidPath)
		bal[to] += moved
		tr.set(to, bal[to])
	}
	out.NewRoot = tr.root()
	sq := new(big.Int).Mul(binding, binding)
	sq.Mod(sq, fr.Modulus())
	c.PayloadCommitment, c.OldRoot, c.NewRoot = out.PayloadCommitment, out.OldRoot, out.NewRoot
	c.Binding, c.BindingSquared = new(big.Int).Set(binding), sq
	return c, out
}
