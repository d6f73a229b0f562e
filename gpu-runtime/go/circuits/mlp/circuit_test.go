package mlp_test

import (
	"bytes"
	"encoding/json"
	"math/big"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/test"

	"github.com/procura/procura/gpu-runtime/go/circuits/mlp"
	"github.com/procura/procura/gpu-runtime/go/dataset"
)

const (
	modelFile = "../../../../data/digits-mlp.json"
	imageFile = "../../../../data/digits.csv.gz"
)

func solved(c *mlp.Circuit) error {
	return test.IsSolved(&mlp.Circuit{}, c, ecc.BN254.ScalarField())
}

// The embedded model is the one scripts/train_mlp.py wrote into data/.
func TestEmbeddedModelIsTheShippedOne(t *testing.T) {
	shipped, err := os.ReadFile(modelFile)
	if err != nil {
		t.Fatal(err)
	}
	embedded, err := os.ReadFile("model.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(shipped, embedded) {
		t.Fatal("circuits/mlp/model.json differs from data/digits-mlp.json: copy it and make new keys")
	}
}

// Go's integer inference agrees with the accuracy the training script computed on the held-out split.
func TestHeldOutAccuracyMatchesTheTrainingScript(t *testing.T) {
	var meta struct {
		Accuracy    struct{ Test float64 }
		TestIndices []int `json:"testIndices"`
	}
	raw, err := os.ReadFile(modelFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &meta); err != nil {
		t.Fatal(err)
	}
	imgs, err := dataset.LoadImages(imageFile)
	if err != nil {
		t.Fatal(err)
	}
	right := 0
	for _, i := range meta.TestIndices {
		if mlp.Bundled.Predict(imgs[i].Pixels[:]) == imgs[i].Label {
			right++
		}
	}
	got := float64(right) / float64(len(meta.TestIndices))
	if diff := got - meta.Accuracy.Test; diff > 1e-6 || diff < -1e-6 {
		t.Fatalf("Go's accuracy %.6f, the script's %.6f", got, meta.Accuracy.Test)
	}
}

func TestHonestWitnessesAreSolvedAndForgeriesRejected(t *testing.T) {
	imgs, err := dataset.LoadImages(imageFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, img := range imgs[:5] {
		c := mlp.Assign(img.Pixels[:], big.NewInt(3))
		if err := solved(c); err != nil {
			t.Fatal(err)
		}
	}
	img := imgs[0].Pixels[:]
	for name, forge := range map[string]func(c *mlp.Circuit){
		"another class":            func(c *mlp.Circuit) { c.PredictedClass = (c.PredictedClass.(int) + 1) % 10 },
		"a class out of range":     func(c *mlp.Circuit) { c.PredictedClass = 10 },
		"another model":            func(c *mlp.Circuit) { c.ModelCommitment = big.NewInt(1) },
		"another image commitment": func(c *mlp.Circuit) { c.ImageCommitment = big.NewInt(1) },
		"a flipped ReLU":           func(c *mlp.Circuit) { c.Relu[0] = 1 - c.Relu[0].(int) },
		"a pixel out of range":     func(c *mlp.Circuit) { c.Pixels[0] = 256 },
		"binding squared":          func(c *mlp.Circuit) { c.BindingSquared = 5 },
	} {
		t.Run(name, func(t *testing.T) {
			c := mlp.Assign(img, big.NewInt(3))
			forge(c)
			if solved(c) == nil {
				t.Fatal("a forged witness was accepted")
			}
		})
	}
}

// Total over its payload encoding: any 64 bytes, far outside the training range, have a witness.
func TestTotalOverAnyImage(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for k := range 6 {
		px := make([]byte, mlp.ImageBytes)
		for i := range px {
			switch k % 3 {
			case 0:
				px[i] = byte(rng.UintN(256))
			case 1:
				px[i] = 0xff
			}
		}
		if err := solved(mlp.Assign(px, big.NewInt(int64(k)))); err != nil {
			t.Fatalf("image %d: %v", k, err)
		}
	}
}

func TestGroth16ProvesAnInference(t *testing.T) {
	imgs, err := dataset.LoadImages(imageFile)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, &mlp.Circuit{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(cs.GetCommitments().CommitmentIndexes()); n != 0 {
		t.Fatalf("%d BSB22 commitments: the plain verifier cannot check them", n)
	}
	t.Logf("digits-mlp: %d constraints", cs.GetNbConstraints())
	test.NewAssert(t).ProverSucceeded(&mlp.Circuit{}, mlp.Assign(imgs[1].Pixels[:], big.NewInt(5)),
		test.WithCurves(ecc.BN254), test.WithBackends(backend.GROTH16), test.NoFuzzing(), test.NoSerializationChecks())
}
