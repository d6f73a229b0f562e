package io.procura.mechanism;

/**
 * MechanismException is the single unchecked exception of the {@code io.procura.mechanism}
 * package: it is raised when a mechanism parameter (prover counts {@code n}, {@code h},
 * committee size {@code m}, liveness penalty {@code C}, stake {@code B}, mixing probability
 * {@code p}, token amounts) is out of the domain of docs/MECHANISM.md §1, or when a numeric
 * routine cannot produce a result. The message always names the offending value.
 */
public final class MechanismException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message that names the bad value.
   *
   * @param message what was wrong, including the value that caused it
   */
  public MechanismException(String message) {
    super(message);
  }

  /**
   * Creates an exception that wraps a failure of an underlying numeric library.
   *
   * @param message what was being computed, including the inputs
   * @param cause the library's exception
   */
  public MechanismException(String message, Throwable cause) {
    super(message, cause);
  }
}
