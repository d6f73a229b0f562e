// Package artifacts names the committed files of the digits circuit — model, data set, Groth16 keys,
// exported Solidity verifier, proof fixture — as paths relative to the repository root, and loads
// the model and data set that the tools in cmd/ (setup, proofgen, genmimc) prove and hash with.
package artifacts

import (
	"path/filepath"

	"github.com/procura/procura/gpu-runtime/go/circuits/digits"
	"github.com/procura/procura/gpu-runtime/go/dataset"
)

// Paths relative to the repository root.
const (
	ModelPath    = "data/digits-model.json"
	ImagesPath   = "data/digits.csv.gz"
	KeysDir      = "gpu-runtime/src/main/resources/io/procura/runtime/keys"
	PKPath       = "gpu-runtime/src/main/resources/io/procura/runtime/keys/digits.pk"
	VKPath       = "gpu-runtime/src/main/resources/io/procura/runtime/keys/digits.vk"
	VerifierPath = "contracts/src/verifiers/DigitsVerifier.sol"
	FixturePath  = "contracts/test/fixtures/digits-proof.json"
)

// LoadModelAndImages loads the bundled model (ModelPath) and the data set (ImagesPath) below the
// repository root; the error names the file that failed.
func LoadModelAndImages(root string) (*digits.Model, []dataset.Image, error) {
	model, err := dataset.LoadModel(filepath.Join(root, ModelPath))
	if err != nil {
		return nil, nil, err
	}
	images, err := dataset.LoadImages(filepath.Join(root, ImagesPath))
	if err != nil {
		return nil, nil, err
	}
	return model, images, nil
}
