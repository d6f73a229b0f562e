package io.procura.runtime;

import java.util.Objects;

/**
 * A Groth16 (BN254) verifying key held in the native runtime's handle table. Close it when done (it is
 * also released when unreachable). Shared behaviour (bytes, close) lives in {@link KeyHandle}.
 */
public final class VerifyingKey extends KeyHandle {

  VerifyingKey(long handle) {
    super(handle, "verifying key");
  }

  /**
   * Parses key bytes written by {@link #bytes()} (or by {@code go run ./cmd/setup}).
   *
   * @param bytes the key envelope
   * @return a live key
   * @throws ProverException {@link ErrorCode#INVALID_KEY} for bytes that are not a verifying key
   */
  public static VerifyingKey load(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    NativeLibrary.load();
    return new VerifyingKey(NativeBridge.loadKey(NativeBridge.KIND_VERIFYING_KEY, bytes));
  }

  /**
   * The verifying key of a plug-in circuit: the bundled one when the jar has it, else the one {@code procura circuit
   * setup} left in the circuit's cache directory ({@link Circuit#cacheDir()}{@code /<keyName>.vk}).
   *
   * @param circuit the circuit
   * @return a live key, or empty when neither exists
   * @throws ProverException {@link ErrorCode#INVALID_KEY} if the cached file is not a valid key of this circuit
   * @throws java.io.UncheckedIOException if the cached file exists but cannot be read
   */
  public static java.util.Optional<VerifyingKey> forCircuit(Circuit circuit) {
    if (VerifyingKey.class.getResource("/io/procura/runtime/keys/" + circuit.keyName() + ".vk") != null) {
      return java.util.Optional.of(loadBundled(circuit.keyName()));
    }
    java.nio.file.Path file = circuit.cacheDir().resolve(circuit.keyName() + ".vk");
    if (!java.nio.file.Files.isRegularFile(file)) return java.util.Optional.empty();
    try {
      return java.util.Optional.of(load(java.nio.file.Files.readAllBytes(file)));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Loads the development key bundled in this jar, resource {@code /io/procura/runtime/keys/<circuit>.vk}.
   * The bundled keys come from a single-party setup: for development and tests only.
   *
   * @param circuit the circuit name, e.g. {@code "digits"}
   * @return a live key
   * @throws ProverException {@link ErrorCode#INVALID_ARGUMENT} if no such key is bundled
   */
  public static VerifyingKey loadBundled(String circuit) {
    return load(readBundled(circuit, "vk"));
  }
}
