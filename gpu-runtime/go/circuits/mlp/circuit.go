package mlp

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/hash/mimc"
	"github.com/consensys/gnark/std/rangecheck"

	"github.com/procura/procura/gpu-runtime/go/circuits"
	"github.com/procura/procura/gpu-runtime/go/circuits/digits"
	"github.com/procura/procura/gpu-runtime/go/gadgets"
)

// CircuitID names this circuit and its model in key envelopes.
const CircuitID = "procura.digits-mlp.v1"

// Circuit is the gnark circuit of the digits-mlp statement (see the package
// doc); the model is Bundled, as constants.
type Circuit struct {
	ModelCommitment frontend.Variable `gnark:",public"`
	ImageCommitment frontend.Variable `gnark:",public"`
	PredictedClass  frontend.Variable `gnark:",public"`
	Binding         frontend.Variable `gnark:",public"`

	Pixels         [Features]frontend.Variable
	Relu           [Hidden]frontend.Variable
	BindingSquared frontend.Variable
}

// plainAPI hides the builder's commitment capability so that std/rangecheck
// takes its plain (bit decomposition) path: no BSB22 commitment in the keys.
type plainAPI struct{ frontend.API }

// Define declares the constraints of the digits-mlp statement.
func (c *Circuit) Define(api frontend.API) error {
	m := Bundled
	rc := rangecheck.New(plainAPI{api})
	// 1. pixels are bytes; the image commitment.
	for i := range Features {
		rc.Check(c.Pixels[i], 8)
	}
	h, err := mimc.NewMiMC(api)
	if err != nil {
		return err
	}
	h.Write(digits.ImageTag)
	h.Write(gadgets.PackBytes(api, c.Pixels[:])...)
	api.AssertIsEqual(h.Sum(), c.ImageCommitment)
	// 2. the model is this circuit's.
	api.AssertIsEqual(c.ModelCommitment, m.Commitment())
	// 3. hidden layer with ReLU.
	var hidden [Hidden]frontend.Variable
	for j := range Hidden {
		pre := frontend.Variable(m.B1[j])
		for i := range Features {
			pre = api.Add(pre, api.Mul(m.W1[j][i], c.Pixels[i]))
		}
		s := c.Relu[j]
		api.AssertIsBoolean(s)
		hidden[j] = api.Mul(s, pre)
		// s = 1 needs pre >= 0; s = 0 needs pre <= -1 (a negative value wraps to about r, out of range)
		rc.Check(api.Add(hidden[j], api.Mul(api.Sub(1, s), api.Sub(api.Neg(pre), 1))), ReluBits)
	}
	// 4. logits and argmax, the lowest index winning ties.
	var logits [Classes]frontend.Variable
	for k := range Classes {
		acc := frontend.Variable(m.B2[k])
		for j := range Hidden {
			acc = api.Add(acc, api.Mul(m.W2[k][j], hidden[j]))
		}
		logits[k] = acc
	}
	var sel [Classes]frontend.Variable
	selSum, chosen := frontend.Variable(0), frontend.Variable(0)
	for k := range Classes {
		sel[k] = api.IsZero(api.Sub(c.PredictedClass, k))
		selSum = api.Add(selSum, sel[k])
		chosen = api.Add(chosen, api.Mul(sel[k], logits[k]))
	}
	api.AssertIsEqual(selSum, 1)
	for k := range Classes {
		below := frontend.Variable(0)
		for l := k + 1; l < Classes; l++ {
			below = api.Add(below, sel[l])
		}
		rc.Check(api.Sub(api.Sub(chosen, logits[k]), below), ComparisonBits)
	}
	// 5. a constrained binding.
	api.AssertIsEqual(api.Mul(c.Binding, c.Binding), c.BindingSquared)
	return nil
}

// Assign returns the full witness for pixels and binding (in [0, r)).
func Assign(pixels []byte, binding *big.Int) *Circuit {
	m := Bundled
	pre, _, _ := m.Evaluate(pixels)
	c := &Circuit{
		ModelCommitment: m.Commitment(),
		ImageCommitment: ImageCommitment(pixels),
		PredictedClass:  m.Predict(pixels),
		Binding:         new(big.Int).Set(binding),
	}
	sq := new(big.Int).Mul(binding, binding)
	c.BindingSquared = sq.Mod(sq, fr.Modulus())
	for i := range Features {
		c.Pixels[i] = int(pixels[i])
	}
	for j := range Hidden {
		c.Relu[j] = 0
		if pre[j].Sign() >= 0 {
			c.Relu[j] = 1
		}
	}
	return c
}

// Plugin is the digits-mlp circuit as a registered circuit (circuits.Circuit).
type Plugin struct{}

func init() { circuits.Register(Plugin{}) }

// ID implements circuits.Circuit.
func (Plugin) ID() string { return CircuitID }

// Name implements circuits.Circuit.
func (Plugin) Name() string { return "digits-mlp" }

// New implements circuits.Circuit.
func (Plugin) New() frontend.Circuit { return &Circuit{} }

// FixedInputs implements circuits.Circuit: the model and image commitments.
func (Plugin) FixedInputs() int { return 2 }

// Outputs implements circuits.Circuit: the predicted class.
func (Plugin) Outputs() int { return 1 }

// PayloadBytes implements circuits.Circuit: 64 pixel bytes.
func (Plugin) PayloadBytes() int { return ImageBytes }

// Fixed implements circuits.Circuit.
func (Plugin) Fixed(payload []byte) ([]*big.Int, error) {
	if len(payload) != ImageBytes {
		return nil, fmt.Errorf("digits-mlp payload is %d bytes, want %d pixels", len(payload), ImageBytes)
	}
	return []*big.Int{Bundled.Commitment(), ImageCommitment(payload)}, nil
}

// Assign implements circuits.Circuit.
func (Plugin) Assign(payload []byte, binding *big.Int) (frontend.Circuit, []*big.Int, error) {
	if len(payload) != ImageBytes {
		return nil, nil, fmt.Errorf("digits-mlp payload is %d bytes, want %d pixels", len(payload), ImageBytes)
	}
	c := Assign(payload, binding)
	return c, []*big.Int{c.ModelCommitment.(*big.Int), c.ImageCommitment.(*big.Int),
		big.NewInt(int64(c.PredictedClass.(int))), new(big.Int).Set(binding)}, nil
}

// Public implements circuits.Circuit.
func (Plugin) Public(inputs []*big.Int) (frontend.Circuit, error) {
	if len(inputs) != 4 {
		return nil, fmt.Errorf("digits-mlp has 4 public inputs, got %d", len(inputs))
	}
	return &Circuit{ModelCommitment: inputs[0], ImageCommitment: inputs[1], PredictedClass: inputs[2], Binding: inputs[3]}, nil
}

// SamplePayload is image 0 of the data set's held-out split order (a fixed 8x8 digit) for fixtures.
func (Plugin) SamplePayload() []byte {
	px := []byte{0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0, 0, 3, 15, 2, 0, 11, 8, 0, 0, 4, 12, 0, 0, 8, 8, 0,
		0, 5, 8, 0, 0, 9, 8, 0, 0, 4, 11, 0, 1, 12, 7, 0, 0, 2, 14, 5, 10, 12, 0, 0, 0, 0, 6, 13, 10, 0, 0, 0}
	return px
}
