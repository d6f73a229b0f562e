package prover

import (
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"time"

	"github.com/consensys/gnark-crypto/ecc"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	"github.com/consensys/gnark/backend/witness"
	csbn254 "github.com/consensys/gnark/constraint/bn254"
	"github.com/consensys/gnark/frontend"

	"github.com/procura/procura/gpu-runtime/go/circuits"
)

// The GPU worker: a process of its own (cmd/gpuworker) that proves on a device
// for the process that loaded this library (gpu.go). GPU proving runs apart
// because ICICLE reports CUDA errors by panicking inside goroutines that
// icicle-gnark's runtime.RunOnDevice starts, where no recover() of the caller
// can catch them: in-process, one CUDA error would end the JVM. Out of
// process it ends the worker, and the proof is made on the CPU instead.
//
// Protocol: gob-encoded workerRequest/workerResponse pairs, one at a time, on
// file descriptors 3 (requests) and 4 (responses); the worker's stdout and
// stderr are free for whatever the CUDA libraries print.

// workerRequest is one request to the worker.
type workerRequest struct {
	// Op is "probe" (is a device usable? which?), "load" (a proving key from
	// KeyPath, kept as KeyID) or "prove" (Payload with Binding, key KeyID).
	Op      string
	KeyID   uint64
	KeyPath string
	Payload []byte
	Binding []byte
}

// workerResponse answers one request; Err is empty on success.
type workerResponse struct {
	Err    string
	Device string
	Words  [ProofWords][]byte
	Nanos  int64
}

// Device proves Groth16 BN254 on an accelerator inside the worker.
type Device interface {
	// Probe says which device will prove, or why none can.
	Probe() (string, error)
	// Prove proves the solved witness w of r1cs with pk.
	Prove(r1cs *csbn254.R1CS, pk *groth16bn254.ProvingKey, w witness.Witness) (*groth16bn254.Proof, error)
}

// WorkerDevice returns the device the worker proves on: ICICLE's CUDA device
// in a build with the icicle tag (none otherwise), or, when
// PROCURA_GPU_WORKER_TEST names one, a test device that exercises the parent's
// handling of a worker without a GPU: "cpu" (gnark's CPU prover standing in for
// a GPU), "wrong" (proofs for another binding, which must fail the parent's
// check), "crash" (a panic in a goroutine, as a CUDA error in ICICLE does),
// "hang" (never answers), "noprobe" (no device).
func WorkerDevice() Device {
	switch os.Getenv("PROCURA_GPU_WORKER_TEST") {
	case "":
		return icicleDevice()
	case "cpu":
		return testDevice{}
	case "wrong":
		return testDevice{wrong: true}
	case "crash":
		return testDevice{crash: true}
	case "hang":
		return testDevice{hang: true}
	default:
		return testDevice{noProbe: true}
	}
}

type testDevice struct{ wrong, crash, hang, noProbe bool }

func (d testDevice) Probe() (string, error) {
	if d.noProbe {
		return "", errors.New("test device: no device")
	}
	return "test device (gnark CPU prover standing in for a GPU)", nil
}

func (d testDevice) Prove(r1cs *csbn254.R1CS, pk *groth16bn254.ProvingKey, w witness.Witness) (*groth16bn254.Proof, error) {
	switch {
	case d.crash:
		done := make(chan struct{})
		go func() { panic("test device: CUDA error 700 (an illegal memory access) in a device goroutine") }()
		<-done
	case d.hang:
		select {}
	case d.wrong:
		proof, err := groth16bn254.Prove(r1cs, pk, w)
		if err != nil {
			return nil, err
		}
		proof.Ar.Neg(&proof.Ar) // a well-formed proof of nothing
		return proof, nil
	}
	return groth16bn254.Prove(r1cs, pk, w)
}

// ServeWorker answers requests read from in on out until in is closed (the
// parent went away), proving on dev. It returns nil at the end of in and an
// error when a message cannot be read or written.
func ServeWorker(in io.Reader, out io.Writer, dev Device) error {
	dec := gob.NewDecoder(in)
	enc := gob.NewEncoder(out)
	keys := map[uint64]*ProvingKey{}
	for {
		var req workerRequest
		if err := dec.Decode(&req); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("read request: %w", err)
		}
		var resp workerResponse
		switch req.Op {
		case "probe":
			name, err := dev.Probe()
			if err != nil {
				resp.Err = err.Error()
			}
			resp.Device = name
		case "load":
			if err := loadWorkerKey(keys, req); err != nil {
				resp.Err = err.Error()
			}
		case "prove":
			start := time.Now()
			words, err := proveOnDevice(dev, keys[req.KeyID], req)
			if err != nil {
				resp.Err = err.Error()
			} else {
				for k, w := range words {
					resp.Words[k] = w.Bytes()
				}
			}
			resp.Nanos = time.Since(start).Nanoseconds()
		default:
			resp.Err = fmt.Sprintf("unknown request %q", req.Op)
		}
		if err := enc.Encode(&resp); err != nil {
			return fmt.Errorf("write response: %w", err)
		}
	}
}

func loadWorkerKey(keys map[uint64]*ProvingKey, req workerRequest) error {
	b, err := os.ReadFile(req.KeyPath)
	if err != nil {
		return fmt.Errorf("read proving key: %w", err)
	}
	pk, err := UnmarshalProvingKey(b)
	if err != nil {
		return err
	}
	keys[req.KeyID] = pk
	return nil
}

func proveOnDevice(dev Device, pk *ProvingKey, req workerRequest) ([ProofWords]*big.Int, error) {
	var words [ProofWords]*big.Int
	if pk == nil {
		return words, fmt.Errorf("no proving key %d loaded", req.KeyID)
	}
	c, ok := circuits.Lookup(pk.circuit)
	if !ok {
		return words, fmt.Errorf("circuit %q has no generic prover", pk.circuit)
	}
	cs, err := ConstraintSystem(pk.circuit)
	if err != nil {
		return words, err
	}
	r1cs, ok := cs.(*csbn254.R1CS)
	if !ok {
		return words, fmt.Errorf("constraint system is %T, not a BN254 R1CS", cs)
	}
	assignment, _, err := c.Assign(req.Payload, new(big.Int).SetBytes(req.Binding))
	if err != nil {
		return words, err
	}
	w, err := frontend.NewWitness(assignment, ecc.BN254.ScalarField())
	if err != nil {
		return words, err
	}
	proof, err := dev.Prove(r1cs, pk.pk, w)
	if err != nil {
		return words, err
	}
	return wordsOf(proof)
}
