// Package mlp is the Procura zkML circuit "digits-mlp": a verifiable inference
// of a quantised multi-layer perceptron (64 pixels → 16 ReLU units → 10
// classes) on one 8x8 UCI handwritten digit, trained by scripts/train_mlp.py
// (data/digits-mlp.json; held-out accuracy 0.975, the linear digits model's
// 0.969, on the same split).
//
// # Statement
//
// Public inputs, in this order (as the digits circuit: fixed inputs ‖ outputs ‖
// binding, so the same DigitsPayloadChecker serves it):
//
//	ModelCommitment, ImageCommitment, PredictedClass, Binding
//
// The model is part of the circuit: its integer weights are circuit constants
// (embedded model.json, a copy of data/digits-mlp.json that a test keeps
// identical) and ModelCommitment must equal the model's commitment, a constant.
// A new model is a new circuit (new keys), as a new circuit version would be.
// Private inputs: the 64 pixels, the 16 ReLU selector bits, BindingSquared.
//
// The circuit proves that
//
//  1. every pixel is a byte and ImageCommitment = MiMC(ImageTag, pack(pixels)),
//     exactly the digits circuit's image commitment (any 64 bytes are an
//     image: total over its payload encoding);
//  2. ModelCommitment = MiMC(ModelTag, 16-bit limbs of the model) (see
//     Model.Commitment), the constant of the embedded model;
//  3. pre_j = Σ_i w1[j][i]·x_i + b1[j], h_j = max(0, pre_j): a selector bit s_j
//     with h_j = s_j·pre_j and s_j·pre_j + (1−s_j)·(−pre_j − 1) ∈ [0, 2^ReluBits)
//     (gnark std/rangecheck), so s_j = 1 exactly when pre_j ≥ 0;
//  4. logit_k = Σ_j w2[k][j]·h_j + b2[k] and PredictedClass = argmax_k logit_k,
//     the lowest index winning ties (differences range-checked with
//     std/rangecheck to ComparisonBits);
//  5. Binding·Binding = BindingSquared.
//
// std/rangecheck runs on its plain path (bit decomposition): its lookup path
// needs BSB22 commitments, which the market's plain Groth16 verifier call
// (verifyProof(uint256[8], uint256[4])) does not take.
//
// The keys of this circuit come from a single-party setup: UNSAFE for
// production (whoever ran the setup can forge proofs); use an MPC ceremony.
package mlp
