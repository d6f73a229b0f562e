package io.procura.runtime;

import java.util.Objects;

/**
 * Which prover makes proofs, and why: gnark on the CPU, or gnark's ICICLE prover on a CUDA GPU in the GPU worker
 * process (a CUDA error there ends the worker, never the JVM; every GPU proof is verified on the CPU before it is
 * returned, and a failed one is made on the CPU instead).
 *
 * @param mode the configured choice: {@code auto} (the GPU when one is usable), {@code cpu}, or {@code gpu} (required)
 * @param kind what proves now
 * @param detail the device (e.g. "CUDA device 0 of 1, 139.8 GiB"), or why the CPU proves
 */
public record ProverBackend(String mode, Kind kind, String detail) {

  /** A prover. */
  public enum Kind {
    /** gnark's Groth16 prover on the CPU. */
    CPU,
    /** gnark's ICICLE Groth16 prover (MSM and NTT on the GPU) in the GPU worker. */
    GPU
  }

  /** Validates the fields. */
  public ProverBackend {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(detail, "detail");
  }

  /** Parses the native runtime's "mode\nbackend\ndetail". */
  static ProverBackend parse(byte[] utf8) {
    String[] parts = new String(utf8, java.nio.charset.StandardCharsets.UTF_8).split("\n", 3);
    if (parts.length != 3) {
      throw new ProverException(ErrorCode.INTERNAL, "malformed backend status from the native runtime");
    }
    return new ProverBackend(parts[0], "gpu".equals(parts[1]) ? Kind.GPU : Kind.CPU, parts[2]);
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(java.util.Locale.ROOT) + " (" + detail + ")";
  }
}
