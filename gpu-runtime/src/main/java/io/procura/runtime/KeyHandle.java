package io.procura.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Cleaner;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What {@link ProvingKey} and {@link VerifyingKey} share: a Groth16 (BN254) key held in the native
 * runtime's handle table, released by {@link #close()} (idempotent) or when unreachable.
 *
 * <p>Bytes are Procura's key envelope (magic {@code PROCURA\x01}, kind, circuit id, length, SHA-256,
 * then gnark's compressed key encoding); see {@code gpu-runtime/go/prover/keys.go}.
 */
abstract sealed class KeyHandle implements AutoCloseable permits ProvingKey, VerifyingKey {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

  private final NativeHandle handle;
  private final Cleaner.Cleanable cleanable;

  KeyHandle(long handle, String what) {
    this.handle = NativeHandle.of(handle, what);
    this.cleanable = NativeHandle.register(this, this.handle);
  }

  /**
   * Reads a development key bundled in this jar, resource {@code /io/procura/runtime/keys/<circuit>.<ext>}.
   *
   * @throws ProverException {@link ErrorCode#INVALID_ARGUMENT} for a bad name or a missing resource,
   *     {@link ErrorCode#INVALID_KEY} if it cannot be read
   */
  static byte[] readBundled(String circuit, String ext) {
    Objects.requireNonNull(circuit, "circuit");
    if (!NAME.matcher(circuit).matches()) {
      throw new ProverException(ErrorCode.INVALID_ARGUMENT, "invalid circuit name '" + circuit + "'");
    }
    String resource = "/io/procura/runtime/keys/" + circuit + "." + ext;
    try (InputStream in = KeyHandle.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new ProverException(ErrorCode.INVALID_ARGUMENT, "no bundled key " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new ProverException(ErrorCode.INVALID_KEY, "cannot read " + resource + ": " + e.getMessage(), e);
    }
  }

  /**
   * Serialises the key.
   *
   * @return the key envelope, accepted by the subclass's {@code load(byte[])}
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
