// Command setup regenerates the committed artifacts of the digits circuit:
//
//	gpu-runtime/src/main/resources/io/procura/runtime/keys/digits.pk   proving key
//	gpu-runtime/src/main/resources/io/procura/runtime/keys/digits.vk   verifying key
//	contracts/src/verifiers/DigitsVerifier.sol                          Solidity verifier
//	contracts/test/fixtures/digits-proof.json                           proof of image 0
//
// Usage (from gpu-runtime/go): GOTOOLCHAIN=local go run ./cmd/setup [-root ../..]
//
// SECURITY WARNING: the keys come from a single-party Groth16 setup
// (prover.SetupDigits); they are for development and tests only. Production
// keys must come from an MPC ceremony.
//
// Run it only when the circuit changes; TestCommittedArtifacts checks that the
// committed files are consistent with each other.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math/big"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/crypto/sha3"

	"github.com/procura/procura/gpu-runtime/go/artifacts"
	"github.com/procura/procura/gpu-runtime/go/prover"
)

// FixtureBindingPreimage is hashed (keccak256, reduced mod r) into the
// fixture's binding, a stand-in for keccak256(chainid, market, slotId, prover).
const FixtureBindingPreimage = "procura.digits.fixture.v1"

// Fixture is the JSON layout of contracts/test/fixtures/digits-proof.json.
type Fixture struct {
	Proof           []string `json:"proof"`
	Inputs          []string `json:"inputs"`
	PredictedClass  int      `json:"predictedClass"`
	ModelCommitment string   `json:"modelCommitment"`
	ImageCommitment string   `json:"imageCommitment"`
	Binding         string   `json:"binding"`
	ImageIndex      int      `json:"imageIndex"`
	Label           int      `json:"label"`
}

// FixtureBinding returns keccak256(FixtureBindingPreimage) mod r.
func FixtureBinding() *big.Int {
	h := sha3.NewLegacyKeccak256()
	h.Write([]byte(FixtureBindingPreimage))
	b := new(big.Int).SetBytes(h.Sum(nil))
	return b.Mod(b, prover.ScalarFieldModulus())
}

func main() {
	root := flag.String("root", "../..", "repository root")
	flag.Parse()
	if err := run(*root); err != nil {
		log.Fatal(err)
	}
}

func run(root string) error {
	model, images, err := artifacts.LoadModelAndImages(root)
	if err != nil {
		return err
	}
	cs, err := prover.DigitsConstraintSystem()
	if err != nil {
		return err
	}
	log.Printf("digits circuit: %d constraints, %d public inputs", cs.GetNbConstraints(), cs.GetNbPublicVariables()-1)

	start := time.Now()
	pk, vk, err := prover.SetupDigits()
	if err != nil {
		return err
	}
	log.Printf("setup: %s", time.Since(start))
	pkBytes, err := pk.MarshalBinary()
	if err != nil {
		return err
	}
	vkBytes, err := vk.MarshalBinary()
	if err != nil {
		return err
	}
	sol, err := prover.ExportSolidityVerifier(vk, prover.DigitsVerifierContract)
	if err != nil {
		return err
	}

	start = time.Now()
	img := images[0]
	proof, err := prover.ProveDigits(pk, model, &img.Pixels, FixtureBinding())
	if err != nil {
		return err
	}
	log.Printf("prove: %s", time.Since(start))
	ok, err := prover.VerifyDigits(vk, proof.Proof, proof.PublicInputs)
	if err != nil || !ok {
		return fmt.Errorf("fresh fixture proof does not verify: %v", err)
	}
	fx := Fixture{
		PredictedClass:  proof.PredictedClass,
		ModelCommitment: proof.PublicInputs[0].String(),
		ImageCommitment: proof.PublicInputs[1].String(),
		Binding:         proof.PublicInputs[3].String(),
		ImageIndex:      img.Index,
		Label:           img.Label,
	}
	for _, w := range proof.Proof {
		fx.Proof = append(fx.Proof, w.String())
	}
	for _, in := range proof.PublicInputs {
		fx.Inputs = append(fx.Inputs, in.String())
	}
	fxJSON, err := json.MarshalIndent(fx, "", "  ")
	if err != nil {
		return err
	}

	for path, data := range map[string][]byte{
		artifacts.PKPath:       pkBytes,
		artifacts.VKPath:       vkBytes,
		artifacts.VerifierPath: []byte(sol),
		artifacts.FixturePath:  append(fxJSON, '\n'),
	} {
		full := filepath.Join(root, path)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(full, data, 0o644); err != nil {
			return err
		}
		log.Printf("wrote %s (%d bytes)", path, len(data))
	}
	return nil
}
