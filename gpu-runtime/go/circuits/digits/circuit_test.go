package digits_test

import (
	"math/big"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/test"

	"github.com/procura/procura/gpu-runtime/go/circuits"
	"github.com/procura/procura/gpu-runtime/go/circuits/digits"
	"github.com/procura/procura/gpu-runtime/go/dataset"
	"github.com/procura/procura/gpu-runtime/go/prover"
)

func randomModel(rng *rand.Rand) *digits.Model {
	m := new(digits.Model)
	for j := range digits.Classes {
		for i := range digits.Features {
			m.Weights[j][i] = int16(rng.IntN(1<<16) - (1 << 15))
		}
		m.Biases[j] = int32(rng.Int64N(1<<32) - (1 << 31))
	}
	return m
}

func randomImage(rng *rand.Rand) *[digits.ImageBytes]byte {
	var px [digits.ImageBytes]byte
	for i := range px {
		px[i] = byte(rng.IntN(17))
	}
	return &px
}

var opts = []test.TestingOption{
	test.WithCurves(ecc.BN254),
	test.WithBackends(backend.GROTH16),
	test.NoFuzzing(),
	test.NoSerializationChecks(),
}

func TestDigitsCircuitAcceptsHonestWitnessAndRejectsForgeries(t *testing.T) {
	assert := test.NewAssert(t)
	rng := rand.New(rand.NewPCG(1, 2))
	model, px := randomModel(rng), randomImage(rng)
	binding := big.NewInt(0).Lsh(big.NewInt(1), 200)
	good := prover.DigitsAssignment(model, px, binding)
	class := good.PredictedClass.(int)

	assert.ProverSucceeded(&digits.Circuit{}, good, opts...)

	wrongClass := prover.DigitsAssignment(model, px, binding)
	wrongClass.PredictedClass = (class + 1) % digits.Classes
	assert.ProverFailed(&digits.Circuit{}, wrongClass, opts...)

	outOfRangeClass := prover.DigitsAssignment(model, px, binding)
	outOfRangeClass.PredictedClass = 10
	assert.ProverFailed(&digits.Circuit{}, outOfRangeClass, opts...)

	wrongModelCommitment := prover.DigitsAssignment(model, px, binding)
	wrongModelCommitment.ModelCommitment = new(big.Int).Add(good.ModelCommitment.(*big.Int), big.NewInt(1))
	assert.ProverFailed(&digits.Circuit{}, wrongModelCommitment, opts...)

	otherImage := *px
	otherImage[5] ^= 1
	wrongImageCommitment := prover.DigitsAssignment(model, px, binding)
	wrongImageCommitment.ImageCommitment = prover.CommitImage(&otherImage)
	assert.ProverFailed(&digits.Circuit{}, wrongImageCommitment, opts...)

	wrongSquare := prover.DigitsAssignment(model, px, binding)
	wrongSquare.BindingSquared = new(big.Int).Add(wrongSquare.BindingSquared.(*big.Int), big.NewInt(1))
	assert.ProverFailed(&digits.Circuit{}, wrongSquare, opts...)

	pixelNotAByte := prover.DigitsAssignment(model, px, binding)
	pixelNotAByte.Pixels[0] = 256
	assert.ProverFailed(&digits.Circuit{}, pixelNotAByte, opts...)
}

func TestDigitsCircuitBreaksTiesTowardsTheLowestClass(t *testing.T) {
	assert := test.NewAssert(t)
	var model digits.Model // all logits are 0: class 0 wins the tie
	model.Biases[3], model.Biases[7] = 5, 5
	px := randomImage(rand.New(rand.NewPCG(3, 4)))
	a := prover.DigitsAssignment(&model, px, big.NewInt(9))
	assert.Equal(3, a.PredictedClass)
	assert.ProverSucceeded(&digits.Circuit{}, a, opts...)

	later := prover.DigitsAssignment(&model, px, big.NewInt(9))
	later.PredictedClass = 7
	assert.ProverFailed(&digits.Circuit{}, later, opts...)
}

func TestDigitsCircuitIsTotalOverExtremeInputs(t *testing.T) {
	assert := test.NewAssert(t)
	var model digits.Model
	var px [digits.ImageBytes]byte
	for i := range px {
		px[i] = 255
	}
	for j := range digits.Classes {
		for i := range digits.Features {
			if j%2 == 0 {
				model.Weights[j][i] = -32768
			} else {
				model.Weights[j][i] = 32767
			}
		}
		if j%2 == 0 {
			model.Biases[j] = -1 << 31
		} else {
			model.Biases[j] = 1<<31 - 1
		}
	}
	model.Biases[0] = 1<<31 - 1 // class 0: most negative weights, largest bias
	a := prover.DigitsAssignment(&model, &px, new(big.Int).Sub(prover.ScalarFieldModulus(), big.NewInt(1)))
	assert.Equal(1, a.PredictedClass)
	assert.ProverSucceeded(&digits.Circuit{}, a, opts...)
}

func TestModelEncodingRoundTrips(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	m := randomModel(rng)
	b := digits.EncodeModel(m)
	if len(b) != digits.ModelBytes {
		t.Fatalf("encoding is %d bytes", len(b))
	}
	back, err := digits.DecodeModel(b)
	if err != nil || *back != *m {
		t.Fatalf("round trip failed: %v", err)
	}
	if _, err := digits.DecodeModel(b[1:]); err == nil {
		t.Fatal("short encoding accepted")
	}
}

// The plug-in's embedded model is the shipped one, and its commitments are the prover's.
func TestPluginModelIsTheShippedOneAndItsFixedInputsTheProversCommitments(t *testing.T) {
	shipped, err := os.ReadFile("../../../../data/digits-model.json")
	if err != nil {
		t.Fatal(err)
	}
	embedded, err := os.ReadFile("model.json")
	if err != nil {
		t.Fatal(err)
	}
	if string(shipped) != string(embedded) {
		t.Fatal("circuits/digits/model.json differs from data/digits-model.json")
	}
	c, ok := circuits.ByName("digits")
	if !ok || c.ID() != prover.DigitsCircuitID {
		t.Fatal("digits is not registered under its id")
	}
	m, err := dataset.LoadModel("../../../../data/digits-model.json")
	if err != nil {
		t.Fatal(err)
	}
	var px [digits.ImageBytes]byte
	for i := range px {
		px[i] = byte(i % 17)
	}
	fixed, err := c.Fixed(px[:])
	if err != nil {
		t.Fatal(err)
	}
	if fixed[0].Cmp(prover.CommitModel(m)) != 0 || fixed[1].Cmp(prover.CommitImage(&px)) != 0 {
		t.Fatal("the plug-in's fixed inputs are not the prover's commitments")
	}
}
