package io.procura.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Cleaner;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A Groth16 (BN254) verifying key held in the native runtime's handle table. Close it when done
 * (it is also released when unreachable).
 *
 * <p>Bytes are Procura's key envelope (magic {@code PROCURA\x01}, kind, circuit id, length, SHA-256,
 * then gnark's compressed key encoding); see {@code gpu-runtime/go/prover/keys.go}.
 */
public final class VerifyingKey implements AutoCloseable {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

  private final NativeHandle handle;
  private final Cleaner.Cleanable cleanable;

  VerifyingKey(long handle) {
    this.handle = NativeHandle.of(handle, "verifying key");
    this.cleanable = NativeHandle.register(this, this.handle);
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
   * Loads the development key bundled in this jar, resource {@code /io/procura/runtime/keys/<circuit>.vk}.
   * The bundled keys come from a single-party setup: for development and tests only.
   *
   * @param circuit the circuit name, e.g. {@code "digits"}
   * @return a live key
   * @throws ProverException {@link ErrorCode#INVALID_ARGUMENT} if no such key is bundled
   */
  public static VerifyingKey loadBundled(String circuit) {
    Objects.requireNonNull(circuit, "circuit");
    if (!NAME.matcher(circuit).matches()) {
      throw new ProverException(ErrorCode.INVALID_ARGUMENT, "invalid circuit name '" + circuit + "'");
    }
    String resource = "/io/procura/runtime/keys/" + circuit + ".vk";
    try (InputStream in = VerifyingKey.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new ProverException(ErrorCode.INVALID_ARGUMENT, "no bundled key " + resource);
      }
      return load(in.readAllBytes());
    } catch (IOException e) {
      throw new ProverException(ErrorCode.INVALID_KEY, "cannot read " + resource + ": " + e.getMessage(), e);
    }
  }

  /**
   * Serialises the key.
   *
   * @return the key envelope, accepted by {@link #load(byte[])}
   * @throws ProverException {@link ErrorCode#INVALID_HANDLE} once closed
   */
  public byte[] bytes() {
    return NativeBridge.keyBytes(handle.get());
  }

  /** The live native handle; throws {@link ErrorCode#INVALID_HANDLE} once closed. */
  long handle() {
    return handle.get();
  }

  /** Releases the native key; idempotent. */
  @Override
  public void close() {
    cleanable.clean();
  }
}
