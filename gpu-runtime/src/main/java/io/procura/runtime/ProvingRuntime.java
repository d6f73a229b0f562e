package io.procura.runtime;

import java.math.BigInteger;

/**
 * Procura's Groth16 (BN254) proving runtime: setup, prove, verify, Solidity verifier export and the
 * circuit hashes Java needs (Java never re-implements circuit cryptography). docs/DESIGN.md §4.
 *
 * <p>Field elements (commitments, bindings, public inputs) are integers in [0, r), r = {@link
 * #scalarFieldModulus()}. Every failure is a {@link ProverException}; bad input never crashes the
 * JVM. Implementations are thread-safe; proving is CPU-heavy and blocking, so never call it on an
 * event loop.
 */
public interface ProvingRuntime {

  /**
   * Returns the runtime backed by the bundled gnark library (CPU), loading it on first use.
   *
   * @throws ProverException {@link ErrorCode#NATIVE_UNAVAILABLE} if it cannot be loaded here
   */
  static ProvingRuntime nativeRuntime() {
    return NativeProver.instance();
  }

  /**
   * Runs a fresh Groth16 setup of the digits circuit (about 20 s on 2 cores).
   *
   * <p><b>Security warning:</b> a single-party setup: its author can forge proofs. UNSAFE for
   * production; use keys from an MPC ceremony.
   *
   * @return new keys; the caller closes them
   * @throws ProverException {@link ErrorCode#SETUP_FAILED}
   */
  CircuitKeys setupDigits();

  /**
   * Computes the model commitment checked by the digits circuit: MiMC-BN254 over the tag {@code
   * "procura.digits.model.v1"} and the 31-byte chunks of {@link DigitsModel#encode()}.
   *
   * @param model the model
   * @return the commitment, in [0, r)
   */
  BigInteger commitModel(DigitsModel model);

  /**
   * Computes the image commitment checked by the digits circuit: MiMC-BN254 over the tag {@code
   * "procura.digits.image.v1"} and the 31-byte chunks of the 64 pixel bytes.
   *
   * @param pixels 64 bytes
   * @return the commitment, in [0, r)
   * @throws ProverException {@link ErrorCode#INVALID_ARGUMENT} unless {@code pixels.length == 64}
   */
  BigInteger commitImage(byte[] pixels);

  /**
   * Proves {@code predictedClass = argmax(model(pixels))} for the commitments of model and pixels,
   * bound to {@code binding} (docs/DESIGN.md §3: {@code keccak256(chainid, market, slotId, prover) mod r}).
   *
   * @param provingKey a digits proving key
   * @param model the model
   * @param pixels 64 bytes (any byte values: the circuit is total over its input encoding)
   * @param binding an integer in [0, r)
   * @return the proof, its public inputs and the time spent proving (about 1-2 s on 2 cores)
   * @throws ProverException {@link ErrorCode#INVALID_ARGUMENT} for a wrong pixel count or binding,
   *     {@link ErrorCode#INVALID_HANDLE} for a closed key, {@link ErrorCode#INVALID_KEY} for a key of
   *     another circuit
   */
  DigitsProof proveDigits(ProvingKey provingKey, DigitsModel model, byte[] pixels, BigInteger binding);

  /**
   * Verifies a digits proof.
   *
   * @param verifyingKey a digits verifying key
   * @param proof 8 words in EVM order (as {@link DigitsProof#proof()})
   * @param publicInputs ModelCommitment, ImageCommitment, PredictedClass, Binding, each in [0, r)
   * @return whether the pairing check passes
   * @throws ProverException {@link ErrorCode#INVALID_ARGUMENT} for wrong array sizes or unreduced
   *     inputs, {@link ErrorCode#INVALID_PROOF} for words that are not curve points
   */
  boolean verifyDigits(VerifyingKey verifyingKey, BigInteger[] proof, BigInteger[] publicInputs);

  /**
   * Exports the Solidity verifier of a digits verifying key (gnark's template, contract {@code
   * DigitsVerifier}, {@code verifyProof(uint256[8] proof, uint256[4] input)} which reverts on an
   * invalid proof).
   *
   * @param verifyingKey the key
   * @return the Solidity source
   */
  String exportSolidityVerifier(VerifyingKey verifyingKey);

  /**
   * Renders the Solidity Groth16 verifier of any circuit's verifying key (gnark's template) as contract
   * {@code contractName}; it exposes {@code verifyProof(uint256[8], uint256[n])}, reverting on an invalid proof.
   *
   * @param verifyingKey the key
   * @param contractName a Solidity identifier
   * @return the Solidity source
   * @throws ProverException {@link ErrorCode#INVALID_ARGUMENT} for a name that is not an identifier
   */
  String exportSolidityVerifier(VerifyingKey verifyingKey, String contractName);

  /** Returns r, the order of the BN254 scalar field. */
  BigInteger scalarFieldModulus();

  /**
   * Runs a fresh Groth16 setup of a plug-in circuit (seconds for 2^16 constraints, minutes for 2^22).
   *
   * <p><b>Security warning:</b> a single-party setup: its author can forge proofs. UNSAFE for
   * production; use keys from an MPC ceremony.
   *
   * @param circuit the circuit (from {@link Circuit#all()})
   * @return new keys; the caller closes them
   * @throws ProverException {@link ErrorCode#INVALID_ARGUMENT} for a circuit the runtime does not have,
   *     {@link ErrorCode#SETUP_FAILED}
   */
  CircuitKeys setup(Circuit circuit);

  /**
   * Proves a plug-in circuit for {@code payload}, bound to {@code binding}.
   *
   * @param circuit the circuit the key belongs to
   * @param provingKey its proving key
   * @param payload exactly {@code circuit.payloadBytes()} bytes
   * @param binding an integer in [0, r)
   * @return the proof and its public inputs (fixed inputs, outputs, binding)
   * @throws ProverException {@link ErrorCode#INVALID_ARGUMENT} for a payload of another length or a
   *     binding out of range, {@link ErrorCode#INVALID_KEY} for a key of another circuit, {@link
   *     ErrorCode#INVALID_HANDLE} for a closed key
   */
  CircuitProof prove(Circuit circuit, ProvingKey provingKey, byte[] payload, BigInteger binding);

  /**
   * Verifies a plug-in circuit's proof off chain (as its exported Solidity verifier does on chain).
   *
   * @param verifyingKey the circuit's verifying key
   * @param proof 8 words
   * @param publicInputs the fixed inputs, the outputs and the binding
   * @return whether the pairing check passes
   * @throws ProverException {@link ErrorCode#INVALID_ARGUMENT} for a wrong count or an input not below
   *     r, {@link ErrorCode#INVALID_PROOF} for a point off its curve, {@link ErrorCode#INVALID_KEY}
   */
  boolean verify(VerifyingKey verifyingKey, BigInteger[] proof, BigInteger[] publicInputs);

  /**
   * The fixed public inputs a requester gives with {@code payload} (what the circuit's on-chain payload
   * checker recomputes; for a rollup batch, the MiMC payload commitment).
   *
   * @param circuit the circuit
   * @param payload exactly {@code circuit.payloadBytes()} bytes
   * @return {@code circuit.fixedInputs()} integers in [0, r)
   * @throws ProverException {@link ErrorCode#INVALID_ARGUMENT} for a payload of another length
   */
  BigInteger[] fixedInputs(Circuit circuit, byte[] payload);

  /**
   * The backend that proves plug-in circuits ({@link #prove}) now.
   *
   * @return the mode, the backend and why
   */
  ProverBackend backend();

  /**
   * Chooses the backend for {@link #prove}: {@code auto} (a CUDA GPU when one is usable: the GPU worker is started and
   * asked, else the CPU), {@code cpu}, or {@code gpu} (required). Null or blank reads {@code PROCURA_PROVER} (default
   * {@code auto}). The runtime configures itself this way when first loaded.
   *
   * @param mode auto, cpu or gpu
   * @return the backend chosen
   * @throws ProverException {@link ErrorCode#INVALID_ARGUMENT} for another mode, {@link
   *     ErrorCode#BACKEND_UNAVAILABLE} when {@code gpu} is required and no GPU is usable
   */
  ProverBackend configureBackend(String mode);
}
