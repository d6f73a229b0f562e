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
// With -circuit it proves any plug-in circuit with a bundled key instead (the
// example consumer's test, contracts/test/examples/BatchRollup.t.sol), for a
// payload given as 0x-hex, and prints
//
//	abi.encode(uint256[8] proof, uint256[] publicInputs)
//
// publicInputs being the circuit's fixed inputs, outputs and binding, in order.
//
// Usage (from gpu-runtime/go):
//
//	go run ./cmd/proofgen -image N -binding DECIMAL [-root ../..]
//	go run ./cmd/proofgen -circuit NAME -payload 0xHEX -binding DECIMAL [-root ../..]
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
	"strings"

	"github.com/procura/procura/gpu-runtime/go/artifacts"
	"github.com/procura/procura/gpu-runtime/go/circuits"
	"github.com/procura/procura/gpu-runtime/go/prover"
)

// EncodedWords is the number of 32-byte words of the output: 8 proof words,
// predictedClass, imageCommitment, modelCommitment (all static ABI types).
const EncodedWords = prover.ProofWords + 3

func main() {
	root := flag.String("root", "../..", "repository root (relative to the working directory, the Go module root)")
	image := flag.Int("image", -1, "0-based row of "+artifacts.ImagesPath+" to prove")
	binding := flag.String("binding", "", "binding public input, a decimal integer in [0, r)")
	circuit := flag.String("circuit", "", "plug-in circuit to prove instead of the digits image (with -payload)")
	payload := flag.String("payload", "", "0x-hex payload of -circuit")
	flag.Parse()
	if flag.NArg() != 0 {
		fmt.Fprintf(os.Stderr, "proofgen: unexpected arguments %q\n", flag.Args())
		os.Exit(2)
	}
	var err error
	if *circuit != "" {
		err = runCircuit(os.Stdout, *root, *circuit, *payload, *binding)
	} else {
		err = run(os.Stdout, *root, *image, *binding)
	}
	if err != nil {
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
	b, err := parseBinding(binding)
	if err != nil {
		return err
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

// parseBinding reads a decimal binding in [0, r).
func parseBinding(binding string) (*big.Int, error) {
	b, ok := new(big.Int).SetString(binding, 10)
	if !ok {
		return nil, fmt.Errorf("-binding must be a decimal integer, got %q", binding)
	}
	if b.Sign() < 0 || b.Cmp(prover.ScalarFieldModulus()) >= 0 {
		return nil, fmt.Errorf("-binding %s is not in [0, r), r = %s", b, prover.ScalarFieldModulus())
	}
	return b, nil
}

// runCircuit proves plug-in circuit `name` (circuits.ByName) for the 0x-hex
// payload and binding with its bundled keys (artifacts.KeysDir), checks the
// proof against the bundled verifying key and writes the 0x-hex
// abi.encode(uint256[8] proof, uint256[] publicInputs) and a newline to w.
func runCircuit(w io.Writer, root, name, payloadHex, binding string) error {
	c, ok := circuits.ByName(name)
	if !ok {
		return fmt.Errorf("-circuit %q is not a plug-in circuit", name)
	}
	payload, err := hex.DecodeString(strings.TrimPrefix(payloadHex, "0x"))
	if err != nil {
		return fmt.Errorf("-payload must be 0x-hex: %v", err)
	}
	b, err := parseBinding(binding)
	if err != nil {
		return err
	}
	base := filepath.Join(root, artifacts.KeysDir, strings.ReplaceAll(c.Name(), "^", "-"))
	pkBytes, err := os.ReadFile(base + ".pk")
	if err != nil {
		return fmt.Errorf("%s has no bundled proving key: %v", name, err)
	}
	pk, err := prover.UnmarshalProvingKey(pkBytes)
	if err != nil {
		return err
	}
	vkBytes, err := os.ReadFile(base + ".vk")
	if err != nil {
		return err
	}
	vk, err := prover.UnmarshalVerifyingKey(vkBytes)
	if err != nil {
		return err
	}
	p, err := prover.Prove(pk, payload, b)
	if err != nil {
		return err
	}
	if ok, err := prover.Verify(vk, p.Words, p.Public); err != nil || !ok {
		return fmt.Errorf("fresh %s proof does not verify under %s.vk (keys out of sync?): %v", name, base, err)
	}
	_, err = io.WriteString(w, "0x"+hex.EncodeToString(EncodeCircuit(p))+"\n")
	return err
}

// EncodeCircuit returns abi.encode(uint256[8] proof, uint256[] publicInputs)
// of p: the 8 proof words, the offset of the array (9 words = 288 bytes), its
// length and its elements, each a big-endian 32-byte word.
func EncodeCircuit(p *prover.Proof) []byte {
	words := make([]*big.Int, 0, prover.ProofWords+2+len(p.Public))
	words = append(words, p.Words[:]...)
	words = append(words, big.NewInt(32*(prover.ProofWords+1)), big.NewInt(int64(len(p.Public))))
	words = append(words, p.Public...)
	out := make([]byte, 32*len(words))
	for k, v := range words {
		v.FillBytes(out[32*k : 32*k+32])
	}
	return out
}
