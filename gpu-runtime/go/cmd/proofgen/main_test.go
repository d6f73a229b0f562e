package main

import (
	"bytes"
	"encoding/hex"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/procura/procura/gpu-runtime/go/artifacts"
	"github.com/procura/procura/gpu-runtime/go/prover"
)

const root = "../../../.."

// TestOutputIsAVerifyingABIEncoding decodes what run prints (as forge's ffi
// would) and checks it is a valid proof of the image for the given binding.
func TestOutputIsAVerifyingABIEncoding(t *testing.T) {
	const image = 1
	binding, _ := new(big.Int).SetString("4242424242424242424242424242424242424242424242424242424242424242424242", 10)
	binding.Mod(binding, prover.ScalarFieldModulus())

	var out bytes.Buffer
	if err := run(&out, root, image, binding.String()); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	if !strings.HasPrefix(text, "0x") || strings.Count(text, "\n") != 1 || !strings.HasSuffix(text, "\n") {
		t.Fatalf("want one 0x-prefixed hex line, got %q", text)
	}
	raw, err := hex.DecodeString(strings.TrimSpace(text)[2:])
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) != 32*EncodedWords {
		t.Fatalf("%d bytes, want %d", len(raw), 32*EncodedWords)
	}
	word := func(k int) *big.Int { return new(big.Int).SetBytes(raw[32*k : 32*k+32]) }

	model, images, err := artifacts.LoadModelAndImages(root)
	if err != nil {
		t.Fatal(err)
	}
	px := &images[image].Pixels
	if got, want := word(8).Int64(), int64(model.Predict(px)); got != want {
		t.Fatalf("predictedClass %d, want %d", got, want)
	}
	if word(9).Cmp(prover.CommitImage(px)) != 0 {
		t.Fatal("imageCommitment is not CommitImage of the image")
	}
	if word(10).Cmp(prover.CommitModel(model)) != 0 {
		t.Fatal("modelCommitment is not CommitModel of the bundled model")
	}

	vkBytes, err := os.ReadFile(filepath.Join(root, artifacts.VKPath))
	if err != nil {
		t.Fatal(err)
	}
	vk, err := prover.UnmarshalVerifyingKey(vkBytes)
	if err != nil {
		t.Fatal(err)
	}
	var proof [prover.ProofWords]*big.Int
	for k := range proof {
		proof[k] = word(k)
	}
	inputs := [prover.DigitsPublicInputs]*big.Int{word(10), word(9), word(8), binding}
	if ok, err := prover.VerifyDigits(vk, proof, inputs); err != nil || !ok {
		t.Fatalf("printed proof does not verify for its binding: %v", err)
	}
	inputs[3] = new(big.Int).Add(binding, big.NewInt(1))
	inputs[3].Mod(inputs[3], prover.ScalarFieldModulus())
	if ok, _ := prover.VerifyDigits(vk, proof, inputs); ok {
		t.Fatal("printed proof verifies for another binding")
	}
}

func TestBadArgumentsFailWithoutOutput(t *testing.T) {
	r := prover.ScalarFieldModulus()
	for name, c := range map[string]struct {
		image   int
		binding string
	}{
		"negative image":  {-1, "1"},
		"image too large": {1 << 30, "1"},
		"empty binding":   {0, ""},
		"hex binding":     {0, "0x12"},
		"negative":        {0, "-1"},
		"binding = r":     {0, r.String()},
		"binding > r":     {0, new(big.Int).Add(r, big.NewInt(5)).String()},
	} {
		var out bytes.Buffer
		if err := run(&out, root, c.image, c.binding); err == nil {
			t.Errorf("%s: no error", name)
		}
		if out.Len() != 0 {
			t.Errorf("%s: wrote %q", name, out.String())
		}
	}
}
