//go:build icicle

package prover

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/consensys/gnark/backend"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	icicle_bn254 "github.com/consensys/gnark/backend/groth16/bn254/icicle"
	"github.com/consensys/gnark/backend/solidity"
	"github.com/consensys/gnark/backend/witness"
	csbn254 "github.com/consensys/gnark/constraint/bn254"
	icicle_runtime "github.com/ingonyama-zk/icicle-gnark/v3/wrappers/golang/runtime"
)

// icicleDevice proves with gnark's ICICLE Groth16 prover (backend/groth16/bn254/icicle) on CUDA device 0, the
// backend loaded from ICICLE_BACKEND_INSTALL_DIR (the folder holding backend/cuda/*.so).
func icicleDevice() Device {
	return &cudaDevice{keys: map[*groth16bn254.ProvingKey]*icicle_bn254.ProvingKey{}}
}

type cudaDevice struct {
	keys map[*groth16bn254.ProvingKey]*icicle_bn254.ProvingKey
}

// Probe: LoadBackend succeeds even for a missing folder, so it proves nothing alone; the device must also be
// available and selectable with a non-zero device count (checked on a locked OS thread, as ICICLE keeps the active
// device per thread).
func (d *cudaDevice) Probe() (string, error) {
	dir := os.Getenv("ICICLE_BACKEND_INSTALL_DIR")
	if dir == "" {
		// the layout device-check.sh carries: the backend beside the worker
		if exe, err := os.Executable(); err == nil {
			if b := filepath.Join(filepath.Dir(exe), "backend"); isDir(b) {
				dir = b
			}
		}
	}
	if dir == "" {
		return "", errors.New("ICICLE_BACKEND_INSTALL_DIR is not set and no backend/ folder is beside the worker " +
			"(ICICLE's CUDA backend: gpu-runtime/icicle/build-cuda-backend.sh)")
	}
	if _, err := os.Stat(dir); err != nil {
		return "", fmt.Errorf("ICICLE backend folder %s: %v", dir, err)
	}
	if e := icicle_runtime.LoadBackend(dir, true); e != icicle_runtime.Success {
		return "", fmt.Errorf("loading the ICICLE backend from %s: %s", dir, e.AsString())
	}
	device := icicle_runtime.CreateDevice("CUDA", 0)
	if !icicle_runtime.IsDeviceAvailable(&device) {
		return "", fmt.Errorf("no CUDA device registered by the backend in %s", dir)
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if e := icicle_runtime.SetDevice(&device); e != icicle_runtime.Success {
		return "", fmt.Errorf("selecting CUDA device 0: %s", e.AsString())
	}
	n, e := icicle_runtime.GetDeviceCount()
	if e != icicle_runtime.Success || n < 1 {
		return "", fmt.Errorf("CUDA device count %d: %s", n, e.AsString())
	}
	name := fmt.Sprintf("CUDA device 0 of %d", n)
	if m, e := icicle_runtime.GetAvailableMemory(); e == icicle_runtime.Success && m != nil {
		name += fmt.Sprintf(", %.1f GiB", float64(m.Total)/(1<<30))
	}
	return name, nil
}

// Prove keeps one ICICLE proving key (with its device buffers) per proving key.
func (d *cudaDevice) Prove(r1cs *csbn254.R1CS, pk *groth16bn254.ProvingKey, w witness.Witness) (*groth16bn254.Proof, error) {
	ipk, ok := d.keys[pk]
	if !ok {
		ipk = &icicle_bn254.ProvingKey{ProvingKey: *pk}
		d.keys[pk] = ipk
	}
	return icicle_bn254.Prove(r1cs, ipk, w, backend.WithIcicleAcceleration(),
		solidity.WithProverTargetSolidityVerifier(backend.GROTH16))
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
