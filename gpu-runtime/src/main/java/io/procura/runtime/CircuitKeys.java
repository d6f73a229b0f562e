package io.procura.runtime;

import java.util.Objects;

/**
 * A proving key and its verifying key from one Groth16 setup. Closing it closes both.
 *
 * @param provingKey the proving key
 * @param verifyingKey the matching verifying key
 */
public record CircuitKeys(ProvingKey provingKey, VerifyingKey verifyingKey) implements AutoCloseable {
  /** Checks that both keys are present. */
  public CircuitKeys {
    Objects.requireNonNull(provingKey, "provingKey");
    Objects.requireNonNull(verifyingKey, "verifyingKey");
  }

  @Override
  public void close() {
    try {
      provingKey.close();
    } finally {
      verifyingKey.close();
    }
  }
}
