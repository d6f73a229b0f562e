package io.procura.runtime;

/**
 * The native methods implemented by {@code gpu-runtime/go/jni/glue.c}. Byte arrays and handles
 * in, byte arrays out; every failure is thrown as {@link ProverException}. Callers check buffer
 * sizes first and must have loaded the library with {@link NativeLibrary#load()}.
 */
final class NativeBridge {
  static final int KIND_PROVING_KEY = 1;
  static final int KIND_VERIFYING_KEY = 2;

  private NativeBridge() {}

  /** Runs the digits Groth16 setup; returns {provingKeyHandle, verifyingKeyHandle}. */
  static native long[] setupDigits();

  /** Parses a key envelope of the given kind; returns its handle. */
  static native long loadKey(int kind, byte[] bytes);

  /** Serialises the key behind a handle. */
  static native byte[] keyBytes(long handle);

  /** Releases a handle. */
  static native void freeHandle(long handle);

  /** MiMC model commitment of the 1320-byte model encoding; 32 bytes big-endian. */
  static native byte[] commitModel(byte[] encodedModel);

  /** MiMC image commitment of 64 pixel bytes; 32 bytes big-endian. */
  static native byte[] commitImage(byte[] pixels);

  /** Proves; returns 8 proof words then 4 public inputs, 32 bytes big-endian each (384 bytes). */
  static native byte[] proveDigits(long provingKey, byte[] encodedModel, byte[] pixels, byte[] binding32);

  /** Verifies 256 proof bytes against 128 public-input bytes. */
  static native boolean verifyDigits(long verifyingKey, byte[] proof, byte[] publicInputs);

  /** The Solidity verifier source, UTF-8. */
  static native byte[] exportSolidity(long verifyingKey);

  /** The BN254 scalar field modulus r, 32 bytes big-endian. */
  static native byte[] scalarFieldModulus();

  /** The Go error-code table: names in ordinal order, comma-separated. */
  static native String errorCodeTable();

  /** JSON array of the plug-in circuits: id, name, fixedInputs, outputs, payloadBytes. */
  static native byte[] circuits();

  /** Setup of the plug-in circuit whose id (UTF-8) is given: {provingKey, verifyingKey} handles. */
  static native long[] setupCircuit(byte[] circuitId);

  /** The circuit id (UTF-8) a key handle belongs to. */
  static native byte[] keyCircuit(long handle);

  /** Whether a plug-in circuit's proof (8 words) verifies for the public inputs (32-byte words). */
  static native boolean verify(long verifyingKey, byte[] proof, byte[] publicInputs);

  /** The fixed inputs (32-byte words) a requester gives with the payload of the circuit whose id (UTF-8) is given. */
  static native byte[] fixedInputs(byte[] circuitId, byte[] payload);

  /** The Solidity verifier of a verifying key, as contract {@code name} (UTF-8). */
  static native byte[] exportSolidityNamed(long verifyingKey, byte[] name);

  /** A proving key's envelope with gnark's raw point encoding (larger, faster to load). */
  static native byte[] keyBytesRaw(long provingKey);

  /**
   * Proves on the configured backend, a GPU proof checked against the verifying key (0: none, then the CPU proves):
   * 1 byte backend (0 CPU, 1 GPU), 8 bytes device nanoseconds, 4 bytes reason length, the fallback reason (UTF-8),
   * then 8 proof words and the public inputs, 32 bytes big-endian each.
   */
  static native byte[] proveOn(long provingKey, long verifyingKey, byte[] payload, byte[] binding32);

  /** Chooses the backend (mode and worker path UTF-8, empty for the environment's): "mode\nbackend\ndetail". */
  static native byte[] configureBackend(byte[] mode, byte[] workerPath);

  /** The backend in use: "mode\nbackend\ndetail". */
  static native byte[] currentBackend();
}
