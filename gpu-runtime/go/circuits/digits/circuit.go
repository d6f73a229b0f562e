package digits

import (
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/hash/mimc"

	"github.com/procura/procura/gpu-runtime/go/gadgets"
)

// Circuit is the gnark circuit of the digits statement (see the package doc).
// Public inputs are declared first and in the order the on-chain verifier
// expects them: ModelCommitment, ImageCommitment, PredictedClass, Binding.
type Circuit struct {
	ModelCommitment frontend.Variable `gnark:",public"`
	ImageCommitment frontend.Variable `gnark:",public"`
	PredictedClass  frontend.Variable `gnark:",public"`
	Binding         frontend.Variable `gnark:",public"`

	Weights        [Classes][Features]frontend.Variable
	Biases         [Classes]frontend.Variable
	Pixels         [Features]frontend.Variable
	BindingSquared frontend.Variable
}

// Define declares the constraints of the digits statement.
func (c *Circuit) Define(api frontend.API) error {
	// 1. Range checks, and the byte strings of the commitment preimages.
	modelBytes := make([]frontend.Variable, 0, ModelBytes)
	for j := range Classes {
		for i := range Features {
			modelBytes = append(modelBytes, gadgets.UintBytesBE(api, api.Add(c.Weights[j][i], WeightOffset), 2)...)
		}
	}
	for j := range Classes {
		modelBytes = append(modelBytes, gadgets.UintBytesBE(api, api.Add(c.Biases[j], BiasOffset), 4)...)
	}
	imageBytes := make([]frontend.Variable, Features)
	for i := range Features {
		imageBytes[i] = gadgets.UintBytesBE(api, c.Pixels[i], 1)[0]
	}

	// 2-3. MiMC commitments of model and image.
	if err := assertCommitment(api, ModelTag, gadgets.PackBytes(api, modelBytes), c.ModelCommitment); err != nil {
		return err
	}
	if err := assertCommitment(api, ImageTag, gadgets.PackBytes(api, imageBytes), c.ImageCommitment); err != nil {
		return err
	}

	// 4. Logits and argmax with lowest-index tie-break.
	var logits [Classes]frontend.Variable
	for j := range Classes {
		acc := c.Biases[j]
		for i := range Features {
			acc = api.Add(acc, api.Mul(c.Weights[j][i], c.Pixels[i]))
		}
		logits[j] = acc
	}
	var sel [Classes]frontend.Variable
	selSum := frontend.Variable(0)
	chosen := frontend.Variable(0)
	for j := range Classes {
		sel[j] = api.IsZero(api.Sub(c.PredictedClass, j))
		selSum = api.Add(selSum, sel[j])
		chosen = api.Add(chosen, api.Mul(sel[j], logits[j]))
	}
	// Exactly one selector is set iff PredictedClass ∈ {0..9}.
	api.AssertIsEqual(selSum, 1)
	for j := range Classes {
		// below = 1 iff j < PredictedClass, i.e. the selected index is above j.
		below := frontend.Variable(0)
		for k := j + 1; k < Classes; k++ {
			below = api.Add(below, sel[k])
		}
		gadgets.AssertInRange(api, api.Sub(api.Sub(chosen, logits[j]), below), ComparisonBits)
	}

	// 5. Constrain the binding so its verifying-key term is non-zero.
	api.AssertIsEqual(api.Mul(c.Binding, c.Binding), c.BindingSquared)
	return nil
}

func assertCommitment(api frontend.API, tag any, chunks []frontend.Variable, want frontend.Variable) error {
	h, err := mimc.NewMiMC(api)
	if err != nil {
		return err
	}
	h.Write(tag)
	h.Write(chunks...)
	api.AssertIsEqual(h.Sum(), want)
	return nil
}
