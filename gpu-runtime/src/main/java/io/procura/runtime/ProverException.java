package io.procura.runtime;

import java.util.Objects;

/**
 * The one exception of the proving runtime: every native error code and every argument rejected
 * before a native call becomes a {@code ProverException} carrying its {@link ErrorCode}.
 */
public final class ProverException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  /**
   * Creates an exception.
   *
   * @param code the failure class, never {@link ErrorCode#OK}
   * @param message what went wrong, with the values that caused it
   */
  public ProverException(ErrorCode code, String message) {
    super(Objects.requireNonNull(code, "code") + ": " + message);
    this.code = code;
  }

  /**
   * Creates an exception with a cause.
   *
   * @param code the failure class
   * @param message what went wrong
   * @param cause the underlying failure
   */
  public ProverException(ErrorCode code, String message, Throwable cause) {
    super(Objects.requireNonNull(code, "code") + ": " + message, cause);
    this.code = code;
  }

  /** Returns the failure class. */
  public ErrorCode code() {
    return code;
  }

  /** Called by the JNI glue ({@code glue.c}) to build the exception it throws. */
  static ProverException fromNative(int code, String message) {
    return new ProverException(ErrorCode.ofNative(code), message);
  }
}
