// Package digits is the Procura "digits" circuit: a verifiable inference of a
// linear classifier on one 8x8 UCI handwritten digit.
//
// # Statement
//
// Public inputs, in this order (docs/DESIGN.md §3: fixed inputs ‖ outputs ‖ binding):
//
//	ModelCommitment, ImageCommitment, PredictedClass, Binding
//
// Private inputs: Weights[10][64] (signed 16-bit integers), Biases[10] (signed
// 32-bit integers), Pixels[64] (bytes) and BindingSquared.
//
// The circuit proves knowledge of a model and an image such that
//
//  1. every weight w is in [-2^15, 2^15), every bias b in [-2^31, 2^31) and every
//     pixel in [0, 256) (bit decompositions; any byte is a valid pixel, so the
//     statement is total over its 64-byte image encoding);
//  2. ModelCommitment = MiMC(ModelTag, pack(EncodeModel(W, b)));
//  3. ImageCommitment = MiMC(ImageTag, pack(pixels));
//  4. with logit_j = Σ_i W[j][i]·pixel_i + b[j] (exact integers, |logit_j| < 2^32),
//     PredictedClass = argmax_j logit_j, the lowest index winning ties; in
//     particular PredictedClass ∈ {0, …, 9};
//  5. Binding·Binding = BindingSquared, so that Binding appears in a constraint
//     and its verifying-key term is non-zero (an unconstrained public input binds
//     nothing).
//
// # Commitment encoding (Java and Solidity rely on it)
//
// MiMC is gnark's std/hash/mimc over BN254 (Miyaguchi–Preneel over the MiMC
// x^5 permutation, 110 rounds), whose out-of-circuit twin is gnark-crypto's
// ecc/bn254/fr/mimc: the hash of field elements m_0..m_k is computed by writing
// each m_i as 32 big-endian bytes and calling Sum.
//
//   - EncodeModel(W, b) is 1320 bytes: for j = 0..9, for i = 0..63, W[j][i]+32768
//     as 2 big-endian bytes (offset binary, row-major by class); then for j = 0..9,
//     b[j]+2^31 as 4 big-endian bytes.
//   - The image encoding is the 64 pixel bytes, row-major (pixel 0 = top-left).
//   - pack(bytes) splits the byte string into 31-byte chunks (the last one
//     shorter: 1320 bytes → 43 chunks, the last of 18 bytes; 64 bytes → 3
//     chunks, the last of 2 bytes) and reads each chunk as a big-endian unsigned
//     integer, always < 2^248 < r.
//   - ModelTag is the big-endian integer of the ASCII bytes "procura.digits.model.v1",
//     ImageTag that of "procura.digits.image.v1" (domain separation).
//
// So ModelCommitment = MiMC(ModelTag, c_0, …, c_42) and
// ImageCommitment = MiMC(ImageTag, c_0, c_1, c_2).
//
// # Comparison
//
// Signed logits are compared soundly: for every class j the circuit
// decomposes d_j = logit_c − logit_j − [j < c] into 34 bits (c = PredictedClass).
// Since |logit_c − logit_j| < 2^33 and r > 2^253, d_j has a 34-bit decomposition
// iff d_j ≥ 0 as an integer, i.e. logit_c > logit_j for j < c and
// logit_c ≥ logit_j for j > c.
//
// The circuit uses no BSB22 commitment (no lookup or commitment-based range
// check), so its Groth16 proofs are the plain (A, B, C) triple.
package digits
