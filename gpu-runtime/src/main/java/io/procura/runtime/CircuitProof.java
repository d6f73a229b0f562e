package io.procura.runtime;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * A Groth16 proof of a plug-in {@link Circuit} with its public inputs.
 *
 * @param circuit the circuit proved
 * @param proof the 8 proof words in the order of the exported Solidity verifier's {@code
 *     verifyProof(uint256[8], uint256[n])}
 * @param publicInputs the fixed inputs, the outputs, then the binding (each in [0, r))
 * @param proveTime time spent in the native prover (a GPU proof: including its check on the CPU)
 * @param backend the prover that made the proof ({@link ProverBackend})
 * @param fallback why the GPU's proof was abandoned and the CPU proved instead, or {@code null}
 */
public record CircuitProof(Circuit circuit, BigInteger[] proof, BigInteger[] publicInputs, Duration proveTime,
                           ProverBackend.Kind backend, String fallback) {
  /** Copies the arrays. */
  public CircuitProof {
    Objects.requireNonNull(circuit, "circuit");
    Objects.requireNonNull(backend, "backend");
    proof = proof.clone();
    publicInputs = publicInputs.clone();
    if (proof.length != DigitsProof.PROOF_WORDS || publicInputs.length != circuit.publicInputs()) {
      throw new IllegalArgumentException("a " + circuit.name() + " proof has 8 words and " + circuit.publicInputs()
          + " public inputs, got " + proof.length + " and " + publicInputs.length);
    }
  }

  /**
   * A proof made on the CPU.
   *
   * @param circuit the circuit proved
   * @param proof the 8 proof words
   * @param publicInputs the public inputs
   * @param proveTime time spent in the native prover
   */
  public CircuitProof(Circuit circuit, BigInteger[] proof, BigInteger[] publicInputs, Duration proveTime) {
    this(circuit, proof, publicInputs, proveTime, ProverBackend.Kind.CPU, null);
  }

  /** @return the proof words (a copy) */
  @Override
  public BigInteger[] proof() {
    return proof.clone();
  }

  /** @return the public inputs (a copy) */
  @Override
  public BigInteger[] publicInputs() {
    return publicInputs.clone();
  }

  /** @return the outputs: the public inputs after the fixed ones, before the binding (a copy) */
  public BigInteger[] outputs() {
    return Arrays.copyOfRange(publicInputs, circuit.fixedInputs(), circuit.fixedInputs() + circuit.outputs());
  }
}
