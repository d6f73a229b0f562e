package mlp

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math/big"

	"github.com/procura/procura/gpu-runtime/go/circuits/digits"
	"github.com/procura/procura/gpu-runtime/go/gadgets"
)

const (
	// Features is the number of pixels (8x8), Hidden the hidden ReLU units, Classes the outputs.
	Features = 64
	Hidden   = 16
	Classes  = 10
	// ImageBytes is the payload length: one byte per pixel.
	ImageBytes = 64
	// ReluBits bounds |pre-activation| + 1: 64·16·2^15 + 2^31 < 2^34.
	ReluBits = 34
	// ComparisonBits bounds logit differences: 2·(16·2^34·2^15 + 2^31) < 2^54.
	ComparisonBits = 54
)

// ModelTag separates the model commitment's MiMC domain ("procura.mlp.model.v1" as an integer).
var ModelTag = new(big.Int).SetBytes([]byte("procura.mlp.model.v1"))

//go:embed model.json
var modelJSON []byte

// Model is the quantised MLP (see scripts/train_mlp.py for the arithmetic).
type Model struct {
	Format string    `json:"format"`
	Hidden int       `json:"hidden"`
	W1     [][]int64 `json:"w1"`
	B1     []int64   `json:"b1"`
	W2     [][]int64 `json:"w2"`
	B2     []int64   `json:"b2"`
}

// Bundled is the model of this circuit (model.json), checked at init.
var Bundled = mustModel(modelJSON)

func mustModel(b []byte) *Model {
	var m Model
	if err := json.Unmarshal(b, &m); err != nil {
		panic(fmt.Sprintf("mlp: model.json: %v", err))
	}
	ok := m.Format == "procura-digits-mlp-v1" && m.Hidden == Hidden && len(m.W1) == Hidden && len(m.B1) == Hidden &&
		len(m.W2) == Classes && len(m.B2) == Classes
	for _, r := range m.W1 {
		ok = ok && len(r) == Features
	}
	for _, r := range m.W2 {
		ok = ok && len(r) == Hidden
	}
	for _, v := range m.Limbs() {
		ok = ok && v >= 0 && v < 1<<16
	}
	if !ok {
		panic("mlp: model.json has the wrong shape or values out of range")
	}
	return &m
}

// Limbs encodes the model as 16-bit unsigned limbs: every weight w as w + 2^15,
// every bias b as (b + 2^31) split into its high and low 16 bits; w1 row by row,
// b1, w2 row by row, b2.
func (m *Model) Limbs() []int64 {
	var out []int64
	w := func(v int64) { out = append(out, v+1<<15) }
	b := func(v int64) { u := v + 1<<31; out = append(out, u>>16, u&0xffff) }
	for _, r := range m.W1 {
		for _, v := range r {
			w(v)
		}
	}
	for _, v := range m.B1 {
		b(v)
	}
	for _, r := range m.W2 {
		for _, v := range r {
			w(v)
		}
	}
	for _, v := range m.B2 {
		b(v)
	}
	return out
}

// Commitment is MiMC(ModelTag, chunks) where each chunk packs 15 consecutive
// limbs big-endian (240 bits < r), the last one fewer.
func (m *Model) Commitment() *big.Int {
	xs := []*big.Int{ModelTag}
	limbs := m.Limbs()
	for start := 0; start < len(limbs); start += 15 {
		c := new(big.Int)
		for _, l := range limbs[start:min(start+15, len(limbs))] {
			c.Lsh(c, 16).Add(c, big.NewInt(l))
		}
		xs = append(xs, c)
	}
	return gadgets.HashNative(xs...)
}

// ImageCommitment is the digits circuit's image commitment of pixels.
func ImageCommitment(pixels []byte) *big.Int {
	return gadgets.HashNative(append([]*big.Int{digits.ImageTag}, gadgets.PackBytesNative(pixels)...)...)
}

// Evaluate returns the pre-activations, the hidden activations and the logits
// of the model on pixels (exact integers).
func (m *Model) Evaluate(pixels []byte) (pre, h, logits []*big.Int) {
	pre, h, logits = make([]*big.Int, Hidden), make([]*big.Int, Hidden), make([]*big.Int, Classes)
	for j := range Hidden {
		acc := big.NewInt(m.B1[j])
		for i := range Features {
			acc.Add(acc, new(big.Int).Mul(big.NewInt(m.W1[j][i]), big.NewInt(int64(pixels[i]))))
		}
		pre[j] = acc
		h[j] = new(big.Int)
		if acc.Sign() > 0 {
			h[j].Set(acc)
		}
	}
	for k := range Classes {
		acc := big.NewInt(m.B2[k])
		for j := range Hidden {
			acc.Add(acc, new(big.Int).Mul(big.NewInt(m.W2[k][j]), h[j]))
		}
		logits[k] = acc
	}
	return pre, h, logits
}

// Predict is argmax of the logits, the lowest index winning ties.
func (m *Model) Predict(pixels []byte) int {
	_, _, logits := m.Evaluate(pixels)
	best := 0
	for k := 1; k < Classes; k++ {
		if logits[k].Cmp(logits[best]) > 0 {
			best = k
		}
	}
	return best
}
