package io.procura.runtime;

import java.util.Objects;

/**
 * A Groth16 (BN254) proving key held in the native runtime's handle table. Close it when done (it is
 * also released when unreachable). Shared behaviour (bytes, close) lives in {@link KeyHandle}.
 */
public final class ProvingKey extends KeyHandle {

  ProvingKey(long handle) {
    super(handle, "proving key");
  }

  /**
   * Parses key bytes written by {@link #bytes()} (or by {@code go run ./cmd/setup}).
   *
   * @param bytes the key envelope
   * @return a live key
   * @throws ProverException {@link ErrorCode#INVALID_KEY} for bytes that are not a proving key
   */
  public static ProvingKey load(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    NativeLibrary.load();
    return new ProvingKey(NativeBridge.loadKey(NativeBridge.KIND_PROVING_KEY, bytes));
  }

  /**
   * Loads the development key bundled in this jar, resource {@code /io/procura/runtime/keys/<circuit>.pk}.
   * The bundled keys come from a single-party setup: for development and tests only.
   *
   * @param circuit the circuit name, e.g. {@code "digits"}
   * @return a live key
   * @throws ProverException {@link ErrorCode#INVALID_ARGUMENT} if no such key is bundled
   */
  public static ProvingKey loadBundled(String circuit) {
    return load(readBundled(circuit, "pk"));
  }

  /**
   * @return this key's envelope with gnark's raw point encoding: about twice {@link #bytes()}, about 30 times
   *     faster for {@link #load} (docs/BENCHMARKS.md)
   * @throws ProverException {@link ErrorCode#INVALID_HANDLE} once closed
   */
  public byte[] rawBytes() {
    return NativeBridge.keyBytesRaw(handle());
  }
}
