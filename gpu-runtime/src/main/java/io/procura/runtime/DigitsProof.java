package io.procura.runtime;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;

/**
 * A Groth16 proof of the digits circuit.
 *
 * @param predictedClass argmax of the model's logits, in [0, 9]
 * @param proof the proof (A, B, C) as 8 words in the EIP-197 order that the exported verifier's
 *     {@code verifyProof(uint256[8], uint256[4])} expects: A.x, A.y, B.x.a1, B.x.a0, B.y.a1,
 *     B.y.a0, C.x, C.y
 * @param publicInputs ModelCommitment, ImageCommitment, PredictedClass, Binding (4 elements of the
 *     BN254 scalar field)
 * @param proveTime wall-clock time spent in the native prover
 */
public record DigitsProof(int predictedClass, BigInteger[] proof, BigInteger[] publicInputs, Duration proveTime) {
  /** Number of proof words. */
  public static final int PROOF_WORDS = 8;

  /** Number of public inputs of the digits circuit. */
  public static final int PUBLIC_INPUTS = 4;

  /** Checks the shapes and copies the arrays. */
  public DigitsProof {
    Objects.requireNonNull(proveTime, "proveTime");
    if (proof == null || proof.length != PROOF_WORDS) {
      throw new ProverException(ErrorCode.INVALID_ARGUMENT, "a digits proof has " + PROOF_WORDS + " words");
    }
    if (publicInputs == null || publicInputs.length != PUBLIC_INPUTS) {
      throw new ProverException(ErrorCode.INVALID_ARGUMENT, "a digits proof has " + PUBLIC_INPUTS + " public inputs");
    }
    proof = proof.clone();
    publicInputs = publicInputs.clone();
  }

  /** Returns a copy of the proof words. */
  @Override
  public BigInteger[] proof() {
    return proof.clone();
  }

  /** Returns a copy of the public inputs. */
  @Override
  public BigInteger[] publicInputs() {
    return publicInputs.clone();
  }

  /** The model commitment (public input 0). */
  public BigInteger modelCommitment() {
    return publicInputs[0];
  }

  /** The image commitment (public input 1). */
  public BigInteger imageCommitment() {
    return publicInputs[1];
  }

  /** The binding (public input 3). */
  public BigInteger binding() {
    return publicInputs[3];
  }
}
