package main

import (
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"testing"

	"github.com/procura/procura/gpu-runtime/go/artifacts"
	"github.com/procura/procura/gpu-runtime/go/prover"
)

const root = "../../../.."

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, path))
	if err != nil {
		t.Fatalf("%v (run `go run ./cmd/setup` to regenerate the artifacts)", err)
	}
	return b
}

func decimal(t *testing.T, s string) *big.Int {
	t.Helper()
	v, ok := new(big.Int).SetString(s, 10)
	if !ok {
		t.Fatalf("not a decimal integer: %q", s)
	}
	return v
}

// TestCommittedArtifacts fails when the committed keys, Solidity verifier and
// fixture drift apart: the verifier must be exactly what the committed
// verifying key exports, the committed keys must prove and verify, and the
// fixture must be a valid proof of image 0 under the committed model.
func TestCommittedArtifacts(t *testing.T) {
	vk, err := prover.UnmarshalVerifyingKey(read(t, artifacts.VKPath))
	if err != nil {
		t.Fatal(err)
	}
	pk, err := prover.UnmarshalProvingKey(read(t, artifacts.PKPath))
	if err != nil {
		t.Fatal(err)
	}

	sol, err := prover.ExportSolidityVerifier(vk, prover.DigitsVerifierContract)
	if err != nil {
		t.Fatal(err)
	}
	if sol != string(read(t, artifacts.VerifierPath)) {
		t.Fatalf("%s differs from the verifier exported from %s: regenerate with `go run ./cmd/setup`", artifacts.VerifierPath, artifacts.VKPath)
	}

	model, images, err := artifacts.LoadModelAndImages(root)
	if err != nil {
		t.Fatal(err)
	}

	var fx Fixture
	if err := json.Unmarshal(read(t, artifacts.FixturePath), &fx); err != nil {
		t.Fatal(err)
	}
	if len(fx.Proof) != prover.ProofWords || len(fx.Inputs) != prover.DigitsPublicInputs {
		t.Fatalf("fixture has %d proof words and %d inputs", len(fx.Proof), len(fx.Inputs))
	}
	var words [prover.ProofWords]*big.Int
	var inputs [prover.DigitsPublicInputs]*big.Int
	for k, s := range fx.Proof {
		words[k] = decimal(t, s)
	}
	for k, s := range fx.Inputs {
		inputs[k] = decimal(t, s)
	}
	img := images[fx.ImageIndex]
	if inputs[0].Cmp(prover.CommitModel(model)) != 0 || fx.ModelCommitment != fx.Inputs[0] {
		t.Fatal("fixture model commitment is not the commitment of data/digits-model.json")
	}
	if inputs[1].Cmp(prover.CommitImage(&img.Pixels)) != 0 || fx.ImageCommitment != fx.Inputs[1] {
		t.Fatal("fixture image commitment is not the commitment of its image")
	}
	if inputs[2].Int64() != int64(model.Predict(&img.Pixels)) || fx.PredictedClass != model.Predict(&img.Pixels) {
		t.Fatal("fixture class is not the model's prediction")
	}
	if inputs[3].Cmp(FixtureBinding()) != 0 || fx.Binding != fx.Inputs[3] {
		t.Fatal("fixture binding is not FixtureBinding()")
	}
	if ok, err := prover.VerifyDigits(vk, words, inputs); err != nil || !ok {
		t.Fatalf("committed fixture proof does not verify under the committed vk: %v", err)
	}

	fresh, err := prover.ProveDigits(pk, model, &images[1].Pixels, big.NewInt(7))
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := prover.VerifyDigits(vk, fresh.Proof, fresh.PublicInputs); err != nil || !ok {
		t.Fatalf("committed proving key makes proofs the committed vk rejects: %v", err)
	}
}
