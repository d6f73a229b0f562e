package io.procura.runtime;

/**
 * Failure classes of the native proving runtime. This enum mirrors, name for name and in the same
 * order, the Go table {@code prover.ErrorCode} ({@code gpu-runtime/go/prover/errors.go}); the Go test
 * {@code TestErrorCodesMatchJavaEnum} and the Java {@code ErrorCodeTest} keep them in sync. The
 * ordinal is the integer that crosses the JNI boundary.
 */
public enum ErrorCode {
  /** Success; never carried by a {@link ProverException}. */
  OK,
  /** A buffer of the wrong length or a value out of range (e.g. a field element not below r). */
  INVALID_ARGUMENT,
  /** Key bytes that are not a Procura key envelope, fail their checksum or do not decode. */
  INVALID_KEY,
  /** A key handle that is unknown, closed or of the wrong kind. */
  INVALID_HANDLE,
  /** Proof words that are not reduced modulo p or not points of the right BN254 subgroups. */
  INVALID_PROOF,
  /** The witness does not satisfy the circuit. */
  UNSATISFIED,
  /** The Groth16 setup failed. */
  SETUP_FAILED,
  /** The Solidity verifier could not be generated. */
  EXPORT_FAILED,
  /** An unexpected failure in the native runtime, including a recovered Go panic. */
  INTERNAL,
  /** The native library cannot be loaded on this platform (raised by Java only). */
  NATIVE_UNAVAILABLE,
  /**
   * The GPU prover was required ({@code PROCURA_PROVER=gpu}) but no usable CUDA device, ICICLE backend
   * or GPU worker was found.
   */
  BACKEND_UNAVAILABLE;

  /**
   * Returns the code with the given native ordinal.
   *
   * @param code the int returned by the native library
   * @return the matching code, or {@link #INTERNAL} for an unknown value
   */
  public static ErrorCode ofNative(int code) {
    ErrorCode[] all = values();
    return code >= 0 && code < all.length ? all[code] : INTERNAL;
  }
}
