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
   * The proving key of a plug-in circuit: the bundled one when the jar has it, else the one {@code procura circuit
   * setup} left in the circuit's cache directory ({@link Circuit#cacheDir()}{@code /<keyName>.pk}).
   *
   * @param circuit the circuit
   * @return a live key, or empty when neither exists
   * @throws ProverException {@link ErrorCode#INVALID_KEY} if the cached file is not a valid key of this circuit
   * @throws java.io.UncheckedIOException if the cached file exists but cannot be read
   */
  public static java.util.Optional<ProvingKey> forCircuit(Circuit circuit) {
    if (ProvingKey.class.getResource("/io/procura/runtime/keys/" + circuit.keyName() + ".pk") != null) {
      return java.util.Optional.of(loadBundled(circuit.keyName()));
    }
    java.nio.file.Path file = circuit.cacheDir().resolve(circuit.keyName() + ".pk");
    if (!java.nio.file.Files.isRegularFile(file)) return java.util.Optional.empty();
    try {
      return java.util.Optional.of(load(java.nio.file.Files.readAllBytes(file)));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Loads the development key bundled in this jar, resource {@code /io/procura/runtime/keys/<circuit>.pk}, from
   * a raw-encoded copy in the user's cache when there is one ({@link #rawCache}), else from the jar, leaving such
   * a copy for the next load. The bundled keys come from a single-party setup: for development and tests only.
   *
   * @param circuit the circuit name, e.g. {@code "digits"}
   * @return a live key
   * @throws ProverException {@link ErrorCode#INVALID_ARGUMENT} if no such key is bundled
   */
  public static ProvingKey loadBundled(String circuit) {
    byte[] bundled = readBundled(circuit, "pk");
    java.nio.file.Path cached = rawCache(circuit, bundled);
    if (cached != null && java.nio.file.Files.isRegularFile(cached)) {
      try {
        return load(java.nio.file.Files.readAllBytes(cached));
      } catch (java.io.IOException | ProverException unusable) {
        // a stale or damaged copy: load the bundled key and write the copy again
      }
    }
    ProvingKey key = load(bundled);
    if (cached != null) {
      try {
        java.nio.file.Files.createDirectories(cached.getParent());
        java.nio.file.Path tmp = java.nio.file.Files.createTempFile(cached.getParent(), circuit, ".tmp");
        java.nio.file.Files.write(tmp, key.rawBytes());
        java.nio.file.Files.move(tmp, cached, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (java.io.IOException | RuntimeException notCached) {
        // the cache is an optimisation: a read-only home only makes the next load slower
      }
    }
    return key;
  }

  /**
   * Where {@link #loadBundled} keeps the raw-encoded copy of a bundled key (about 30 times faster to load than the
   * compressed original; docs/BENCHMARKS.md): {@link Circuit#cacheRoot()}{@code /keys/<circuit>-<first 16 hex digits
   * of the bundled file's SHA-256>.pk}; null if no directory can be named. The copy is loaded with the same
   * checks as any key file (its shape against the circuit's), so a damaged copy is only reloaded from the jar.
   */
  static java.nio.file.Path rawCache(String circuit, byte[] bundled) {
    try {
      String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bundled));
      return Circuit.cacheRoot().resolve("keys").resolve(circuit + "-" + sha.substring(0, 16) + ".pk");
    } catch (java.security.NoSuchAlgorithmException | RuntimeException e) {
      return null;
    }
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
