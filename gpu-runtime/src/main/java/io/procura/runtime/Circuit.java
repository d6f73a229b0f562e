package io.procura.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A plug-in circuit of the native runtime ({@code gpu-runtime/go/circuits}): what a requester, an
 * agent and the coordinator need to know to use it. Its public inputs are, in order, the requester's
 * {@link #fixedInputs()} fixed inputs, the proof's {@link #outputs()} outputs and the binding ({@code
 * keccak256(chainid, market, slotId, prover) mod r}). The payload is the requester's input bytes,
 * exactly {@link #payloadBytes()} of them (for the rollup batches: 2^depth balances as 8-byte
 * big-endian integers, then 16-byte transfers); every payload of that length is provable (the
 * circuits are total over their payload encoding).
 *
 * @param id the identifier its keys carry, e.g. {@code "procura.rollup.d4.n3.v1"}
 * @param name the short name users type, e.g. {@code "rollup-2^16"}
 * @param fixedInputs public inputs fixed by the requester
 * @param outputs public inputs the proof outputs
 * @param payloadBytes the exact payload length in bytes
 */
public record Circuit(String id, String name, int fixedInputs, int outputs, int payloadBytes) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Checks the fields. */
  public Circuit {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    if (fixedInputs < 0 || outputs < 0 || payloadBytes < 0) {
      throw new IllegalArgumentException("negative count in circuit " + name);
    }
  }

  /**
   * @return the file name of this circuit's keys ({@code <keyName>.pk}, {@code <keyName>.vk}): the name
   *     with {@code ^} replaced by {@code -}, e.g. {@code rollup-2-14}
   */
  public String keyName() {
    return name.replace('^', '-');
  }

  /**
   * @return where {@code procura circuit setup --circuit NAME} and {@code go run ./cmd/circuit setup} leave this
   *     circuit's keys: {@link #cacheRoot()}{@code /circuits/<id>}
   */
  public java.nio.file.Path cacheDir() {
    return cacheRoot().resolve("circuits").resolve(id);
  }

  /**
   * @return Procura's directory in the user's cache: {@code <cache>/procura}, {@code <cache>} being the {@code
   *     procura.cache.dir} system property, else {@code $XDG_CACHE_HOME}, else {@code ~/.cache}
   */
  static java.nio.file.Path cacheRoot() {
    String dir = System.getProperty("procura.cache.dir");
    if (dir == null || dir.isBlank()) dir = System.getenv("XDG_CACHE_HOME");
    java.nio.file.Path base = dir != null && !dir.isBlank() ? java.nio.file.Path.of(dir)
        : java.nio.file.Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("procura");
  }

  /** @return the number of public inputs: fixed inputs, outputs and the binding */
  public int publicInputs() {
    return fixedInputs + outputs + 1;
  }

  /**
   * The plug-in circuits of the native runtime, sorted by name.
   *
   * @return the circuits
   * @throws ProverException {@link ErrorCode#NATIVE_UNAVAILABLE} if the native library cannot load
   */
  public static List<Circuit> all() {
    NativeLibrary.load();
    try {
      List<Circuit> out = new ArrayList<>();
      for (JsonNode n : JSON.readTree(NativeBridge.circuits())) {
        out.add(new Circuit(n.get("id").asText(), n.get("name").asText(), n.get("fixedInputs").asInt(),
            n.get("outputs").asInt(), n.get("payloadBytes").asInt()));
      }
      return List.copyOf(out);
    } catch (IOException e) {
      throw new ProverException(ErrorCode.INTERNAL, "native circuit list is not JSON: " + e.getMessage());
    }
  }

  /**
   * @param nameOrId a circuit's short name or identifier
   * @return the circuit, if the runtime has it
   */
  public static Optional<Circuit> find(String nameOrId) {
    return all().stream().filter(c -> c.name.equals(nameOrId) || c.id.equals(nameOrId)).findFirst();
  }
}
