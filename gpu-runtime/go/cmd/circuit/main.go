// Command circuit lists Procura's plug-in circuits and runs their Groth16
// setup (the Go side of `procura circuit setup`):
//
//	go run ./cmd/circuit list
//	go run ./cmd/circuit setup -circuit rollup-2^16 [-out DIR] [-verifier FILE] [-contract NAME] [-fixture FILE]
//
// setup compiles the circuit, runs the setup, writes KEYNAME.pk (gnark's raw
// encoding: twice the size, loads about 30x faster; -compressed for committed
// keys) and KEYNAME.vk in DIR (KEYNAME: the name with ^ replaced by -)
// (default: the user's cache directory, procura/circuits/<id>), prints the
// SHA-256 of the verifying key's envelope, and optionally exports the Solidity
// verifier and a proof fixture of the circuit's sample payload (its public
// inputs and the 8 proof words, bound to keccak256("procura.<name>.fixture.v1")
// mod r), which the contract tests verify on chain.
//
// SECURITY WARNING: a single-party setup: whoever runs it can forge proofs.
// For development and tests only; production keys come from an MPC ceremony.
package main

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/crypto/sha3"

	"github.com/procura/procura/gpu-runtime/go/circuits"
	"github.com/procura/procura/gpu-runtime/go/prover"
)

// Sampler is implemented by circuits that have a sample payload for fixtures.
type Sampler interface {
	SamplePayload() []byte
}

// Fixture is the JSON layout of a proof fixture.
type Fixture struct {
	Circuit string   `json:"circuit"`
	ID      string   `json:"id"`
	Payload string   `json:"payload"`
	Proof   []string `json:"proof"`
	Inputs  []string `json:"inputs"`
	Comment string   `json:"comment"`
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "circuit:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return errors.New("usage: circuit list | circuit setup -circuit NAME [-out DIR] [-verifier FILE] [-contract NAME] [-fixture FILE]")
	}
	switch args[0] {
	case "list":
		for _, c := range circuits.All() {
			fmt.Printf("%-14s %-28s fixed inputs %d, outputs %d, payload %d bytes\n", c.Name(), c.ID(), c.FixedInputs(), c.Outputs(), c.PayloadBytes())
		}
		return nil
	case "setup":
		return setup(args[1:])
	default:
		return fmt.Errorf("unknown command %q (list, setup)", args[0])
	}
}

func setup(args []string) error {
	fs := flag.NewFlagSet("setup", flag.ContinueOnError)
	name := fs.String("circuit", "", "circuit name (see `circuit list`)")
	out := fs.String("out", "", "key directory (default: <user cache>/procura/circuits/<id>)")
	verifier := fs.String("verifier", "", "write the Solidity verifier here")
	contract := fs.String("contract", "", "Solidity contract name (default: derived from the circuit)")
	fixture := fs.String("fixture", "", "write a proof fixture of the sample payload here")
	compressed := fs.Bool("compressed", false, "write the proving key with compressed points (half the size, slower to load: for committed keys)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c, ok := circuits.ByName(*name)
	if !ok {
		return fmt.Errorf("unknown circuit %q (see `circuit list`)", *name)
	}
	if *out == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			return err
		}
		*out = filepath.Join(cache, "procura", "circuits", c.ID())
	}
	step := func(what string) func() {
		fmt.Printf("%s: %s ...\n", c.Name(), what)
		start := time.Now()
		return func() { fmt.Printf("%s: %s done in %.1f s\n", c.Name(), what, time.Since(start).Seconds()) }
	}
	done := step("compiling")
	cs, err := prover.ConstraintSystem(c.ID())
	if err != nil {
		return err
	}
	done()
	fmt.Printf("%s: %d constraints\n", c.Name(), cs.GetNbConstraints())
	done = step("Groth16 setup (single-party: UNSAFE for production)")
	pk, vk, err := prover.Setup(c.ID())
	if err != nil {
		return err
	}
	done()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	marshal := pk.MarshalBinaryRaw
	if *compressed {
		marshal = pk.MarshalBinary
	}
	pkb, err := marshal()
	if err != nil {
		return err
	}
	vkb, err := vk.MarshalBinary()
	if err != nil {
		return err
	}
	keyName := strings.ReplaceAll(c.Name(), "^", "-") // rollup-2^14 -> rollup-2-14.pk
	for file, b := range map[string][]byte{keyName + ".pk": pkb, keyName + ".vk": vkb} {
		if err := os.WriteFile(filepath.Join(*out, file), b, 0o644); err != nil {
			return err
		}
	}
	sum := sha256.Sum256(vkb)
	fmt.Printf("%s: keys in %s (proving key %d bytes); verifying key SHA-256 %x\n", c.Name(), *out, len(pkb), sum)
	if *verifier != "" {
		name := *contract
		if name == "" {
			name = "Verifier"
		}
		sol, err := prover.ExportSolidityVerifier(vk, name)
		if err != nil {
			return err
		}
		sol = strings.Replace(sol, "gpu-runtime/go/cmd/setup", "gpu-runtime/go/cmd/circuit (setup -circuit "+c.Name()+")", 1)
		if err := os.WriteFile(*verifier, []byte(sol), 0o644); err != nil {
			return err
		}
		fmt.Printf("%s: Solidity verifier %s in %s\n", c.Name(), name, *verifier)
	}
	if *fixture != "" {
		s, ok := c.(Sampler)
		if !ok {
			return fmt.Errorf("%s has no sample payload for a fixture", c.Name())
		}
		h := sha3.NewLegacyKeccak256()
		h.Write([]byte("procura." + c.Name() + ".fixture.v1"))
		binding := new(big.Int).SetBytes(h.Sum(nil))
		binding.Mod(binding, prover.ScalarFieldModulus())
		payload := s.SamplePayload()
		done = step("proving the sample payload")
		proof, err := prover.Prove(pk, payload, binding)
		if err != nil {
			return err
		}
		done()
		f := Fixture{Circuit: c.Name(), ID: c.ID(), Payload: fmt.Sprintf("0x%x", payload),
			Comment: "Generated by gpu-runtime/go/cmd/circuit setup -fixture; a proof of the sample payload for the verifier generated with it. Big integers are decimal strings."}
		for _, w := range proof.Words {
			f.Proof = append(f.Proof, w.String())
		}
		for _, in := range proof.Public {
			f.Inputs = append(f.Inputs, in.String())
		}
		b, err := json.MarshalIndent(f, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(*fixture, append(b, '\n'), 0o644); err != nil {
			return err
		}
		fmt.Printf("%s: proof fixture in %s\n", c.Name(), *fixture)
	}
	return nil
}
