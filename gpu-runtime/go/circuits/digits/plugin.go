package digits

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/frontend"

	"github.com/procura/procura/gpu-runtime/go/circuits"
	"github.com/procura/procura/gpu-runtime/go/gadgets"
)

// CircuitID names the digits circuit (and its version) in key envelopes.
// Change it whenever the circuit's constraints change.
const CircuitID = "procura.digits.v1"

// ModelFormat is the only accepted value of a model file's "format" field.
const ModelFormat = "procura-digits-linear-v1"

// bundledJSON is a copy of data/digits-model.json (a test keeps them identical): the model the plug-in proves.
//
//go:embed model.json
var bundledJSON []byte

// ParseModel reads a model JSON document (data/digits-model.json's format). It
// returns an error if the format, shapes (10 x 64 weights, 10 biases) or ranges
// (weights in [-2^15, 2^15), biases in [-2^31, 2^31)) are wrong.
func ParseModel(raw []byte) (*Model, error) {
	var f struct {
		Format   string    `json:"format"`
		Classes  int       `json:"classes"`
		Features int       `json:"features"`
		Weights  [][]int64 `json:"weights"`
		Biases   []int64   `json:"biases"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, err
	}
	if f.Format != ModelFormat || f.Classes != Classes || f.Features != Features {
		return nil, fmt.Errorf("want format %q with %d classes and %d features", ModelFormat, Classes, Features)
	}
	if len(f.Weights) != Classes || len(f.Biases) != Classes {
		return nil, fmt.Errorf("want %d weight rows and %d biases", Classes, Classes)
	}
	m := new(Model)
	for j, row := range f.Weights {
		if len(row) != Features {
			return nil, fmt.Errorf("weight row %d has %d entries", j, len(row))
		}
		for i, w := range row {
			if w < -1<<15 || w >= 1<<15 {
				return nil, fmt.Errorf("weight [%d][%d] = %d out of int16 range", j, i, w)
			}
			m.Weights[j][i] = int16(w)
		}
		b := f.Biases[j]
		if b < -1<<31 || b >= 1<<31 {
			return nil, fmt.Errorf("bias %d = %d out of int32 range", j, b)
		}
		m.Biases[j] = int32(b)
	}
	return m, nil
}

// CommitModel is the model commitment MiMC(ModelTag, pack(EncodeModel(m))), in [0, r).
func CommitModel(m *Model) *big.Int {
	return gadgets.HashNative(append([]*big.Int{ModelTag}, gadgets.PackBytesNative(EncodeModel(m))...)...)
}

// CommitImage is the image commitment MiMC(ImageTag, pack(pixels)), in [0, r).
func CommitImage(pixels *[ImageBytes]byte) *big.Int {
	return gadgets.HashNative(append([]*big.Int{ImageTag}, gadgets.PackBytesNative(pixels[:])...)...)
}

// Assignment returns the full witness of the circuit for model, pixels and
// binding (in [0, r)): the commitments, PredictedClass = model.Predict(pixels)
// and BindingSquared = binding² mod r.
func Assignment(model *Model, pixels *[ImageBytes]byte, binding *big.Int) *Circuit {
	sq := new(big.Int).Mul(binding, binding)
	sq.Mod(sq, fr.Modulus())
	a := &Circuit{
		ModelCommitment: CommitModel(model),
		ImageCommitment: CommitImage(pixels),
		PredictedClass:  model.Predict(pixels),
		Binding:         new(big.Int).Set(binding),
		BindingSquared:  sq,
	}
	for j := range Classes {
		for i := range Features {
			a.Weights[j][i] = int64(model.Weights[j][i])
		}
		a.Biases[j] = int64(model.Biases[j])
	}
	for i := range Features {
		a.Pixels[i] = int64(pixels[i])
	}
	return a
}

// Plugin is the digits circuit with the bundled model (model.json) as a
// registered circuit (circuits.Circuit), so that it is one circuit among
// several; the JNI layer also keeps its digits-specific functions, which take
// any model.
type Plugin struct{ Model *Model }

func init() {
	m, err := ParseModel(bundledJSON)
	if err != nil {
		panic(fmt.Sprintf("digits: model.json: %v", err))
	}
	circuits.Register(Plugin{Model: m})
}

// ID implements circuits.Circuit.
func (Plugin) ID() string { return CircuitID }

// Name implements circuits.Circuit.
func (Plugin) Name() string { return "digits" }

// New implements circuits.Circuit.
func (Plugin) New() frontend.Circuit { return &Circuit{} }

// FixedInputs implements circuits.Circuit: the model and image commitments.
func (Plugin) FixedInputs() int { return 2 }

// Outputs implements circuits.Circuit: the predicted class.
func (Plugin) Outputs() int { return 1 }

// PayloadBytes implements circuits.Circuit: 64 pixel bytes.
func (Plugin) PayloadBytes() int { return ImageBytes }

func pixelsOf(payload []byte) (*[ImageBytes]byte, error) {
	if len(payload) != ImageBytes {
		return nil, fmt.Errorf("digits payload is %d bytes, want %d pixels", len(payload), ImageBytes)
	}
	var px [ImageBytes]byte
	copy(px[:], payload)
	return &px, nil
}

// Fixed implements circuits.Circuit.
func (p Plugin) Fixed(payload []byte) ([]*big.Int, error) {
	px, err := pixelsOf(payload)
	if err != nil {
		return nil, err
	}
	return []*big.Int{CommitModel(p.Model), CommitImage(px)}, nil
}

// Assign implements circuits.Circuit.
func (p Plugin) Assign(payload []byte, binding *big.Int) (frontend.Circuit, []*big.Int, error) {
	px, err := pixelsOf(payload)
	if err != nil {
		return nil, nil, err
	}
	a := Assignment(p.Model, px, binding)
	return a, []*big.Int{a.ModelCommitment.(*big.Int), a.ImageCommitment.(*big.Int),
		big.NewInt(int64(a.PredictedClass.(int))), new(big.Int).Set(binding)}, nil
}

// Public implements circuits.Circuit.
func (Plugin) Public(inputs []*big.Int) (frontend.Circuit, error) {
	if len(inputs) != 4 {
		return nil, fmt.Errorf("digits has 4 public inputs, got %d", len(inputs))
	}
	return &Circuit{ModelCommitment: inputs[0], ImageCommitment: inputs[1], PredictedClass: inputs[2], Binding: inputs[3]}, nil
}
