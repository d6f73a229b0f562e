// Command proofgen proves the digits circuit for one bundled dataset image and
// a given binding with the committed development proving key, and prints
//
//	abi.encode(uint256[8] proof, uint256 predictedClass, uint256 imageCommitment, uint256 modelCommitment)
//
// as 0x-prefixed hex on stdout (one line). It is a TEST HELPER for forge's ffi
// cheatcode (contracts/test/gas/RealProofGas.t.sol), which needs proofs for the
// binding the market computes at test time, keccak256(chainid, market,
// slotId, prover) mod r; it is not for production (the committed keys come
// from a single-party setup, see cmd/setup).
//
// Usage (from gpu-runtime/go):
//
//	go run ./cmd/proofgen -image N -binding DECIMAL [-root ../..]
//
// N is the 0-based row of data/digits.csv.gz; DECIMAL is an integer in [0, r),
// r the BN254 scalar field order. The proof is checked against the committed
// verifying key before it is printed. Errors go to stderr with exit status 1
// (2 for bad flags); stdout then stays empty.
package main

import (
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"

	"github.com/procura/procura/gpu-runtime/go/artifacts"
	"github.com/procura/procura/gpu-runtime/go/prover"
)

// EncodedWords is the number of 32-byte words of the output: 8 proof words,
// predictedClass, imageCommitment, modelCommitment (all static ABI types).
const EncodedWords = prover.ProofWords + 3

func main() {
	root := flag.String("root", "../..", "repository root (relative to the working directory, the Go module root)")
	image := flag.Int("image", -1, "0-based row of "+artifacts.ImagesPath+" to prove")
	binding := flag.String("binding", "", "binding public input, a decimal integer in [0, r)")
	flag.Parse()
	if flag.NArg() != 0 {
		fmt.Fprintf(os.Stderr, "proofgen: unexpected arguments %q\n", flag.Args())
		os.Exit(2)
	}
	if err := run(os.Stdout, *root, *image, *binding); err != nil {
		fmt.Fprintf(os.Stderr, "proofgen: %v\n", err)
		os.Exit(1)
	}
}

// run proves image `image` for `binding` (decimal) and writes the 0x-hex ABI
// encoding and a newline to w. It validates the arguments before loading the
// proving key, and writes nothing when it fails.
func run(w io.Writer, root string, image int, binding string) error {
	if image < 0 {
		return fmt.Errorf("-image must be a row index >= 0, got %d", image)
	}
	b, ok := new(big.Int).SetString(binding, 10)
	if !ok {
		return fmt.Errorf("-binding must be a decimal integer, got %q", binding)
	}
	if b.Sign() < 0 || b.Cmp(prover.ScalarFieldModulus()) >= 0 {
		return fmt.Errorf("-binding %s is not in [0, r), r = %s", b, prover.ScalarFieldModulus())
	}

	model, images, err := artifacts.LoadModelAndImages(root)
	if err != nil {
		return err
	}
	if image >= len(images) {
		return fmt.Errorf("-image %d out of range: %s has %d rows", image, artifacts.ImagesPath, len(images))
	}
	pkBytes, err := os.ReadFile(filepath.Join(root, artifacts.PKPath))
	if err != nil {
		return err
	}
	pk, err := prover.UnmarshalProvingKey(pkBytes)
	if err != nil {
		return err
	}
	vkBytes, err := os.ReadFile(filepath.Join(root, artifacts.VKPath))
	if err != nil {
		return err
	}
	vk, err := prover.UnmarshalVerifyingKey(vkBytes)
	if err != nil {
		return err
	}

	p, err := prover.ProveDigits(pk, model, &images[image].Pixels, b)
	if err != nil {
		return err
	}
	if ok, err := prover.VerifyDigits(vk, p.Proof, p.PublicInputs); err != nil || !ok {
		return fmt.Errorf("fresh proof does not verify under %s (keys out of sync?): %v", artifacts.VKPath, err)
	}
	_, err = io.WriteString(w, "0x"+hex.EncodeToString(Encode(p))+"\n")
	return err
}

// Encode returns abi.encode(uint256[8] proof, uint256 predictedClass,
// uint256 imageCommitment, uint256 modelCommitment) of p: 11 big-endian
// 32-byte words (every value is < 2^256, so FillBytes cannot panic).
func Encode(p *prover.DigitsProof) []byte {
	words := make([]*big.Int, 0, EncodedWords)
	words = append(words, p.Proof[:]...)
	words = append(words, p.PublicInputs[2], p.PublicInputs[1], p.PublicInputs[0])
	out := make([]byte, 32*len(words))
	for k, v := range words {
		v.FillBytes(out[32*k : 32*k+32])
	}
	return out
}
