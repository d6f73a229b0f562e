//go:build !icicle

package prover

import (
	"errors"

	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	"github.com/consensys/gnark/backend/witness"
	csbn254 "github.com/consensys/gnark/constraint/bn254"
)

// icicleDevice is no device in a build without the icicle tag.
func icicleDevice() Device { return noDevice{} }

type noDevice struct{}

func (noDevice) Probe() (string, error) {
	return "", errors.New("this GPU worker was built without the icicle tag (gpu-runtime/icicle/build-worker.sh builds one with it)")
}

func (noDevice) Prove(*csbn254.R1CS, *groth16bn254.ProvingKey, witness.Witness) (*groth16bn254.Proof, error) {
	return nil, errors.New("no GPU in this build")
}
