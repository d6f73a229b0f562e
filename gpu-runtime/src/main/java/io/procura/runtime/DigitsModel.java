package io.procura.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The quantised linear classifier of the digits circuit: {@code logit_j = sum_i weights[j][i] *
 * pixel_i + biases[j]}, {@code predictedClass = argmax_j logit_j} with the lowest index winning
 * ties (exactly the statement of {@code gpu-runtime/go/circuits/digits}).
 *
 * @param weights 10 rows of 64 integers in [-2^15, 2^15)
 * @param biases 10 integers (Java {@code int}: [-2^31, 2^31))
 */
public record DigitsModel(int[][] weights, int[] biases) {
  /** Number of classes. */
  public static final int CLASSES = 10;

  /** Number of pixels (features) of an 8x8 image. */
  public static final int FEATURES = 64;

  /** Length of {@link #encode()}: 2 bytes per weight, 4 per bias. */
  public static final int ENCODED_BYTES = CLASSES * FEATURES * 2 + CLASSES * 4;

  /** The accepted value of the JSON {@code format} field. */
  public static final String FORMAT = "procura-digits-linear-v1";

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Checks shapes and ranges and copies the arrays.
   *
   * @throws ProverException {@link ErrorCode#INVALID_ARGUMENT} on a wrong shape or a weight out of
   *     the signed 16-bit range
   */
  public DigitsModel {
    if (weights == null || weights.length != CLASSES || biases == null || biases.length != CLASSES) {
      throw new ProverException(ErrorCode.INVALID_ARGUMENT, "a digits model has " + CLASSES + " weight rows and biases");
    }
    int[][] w = new int[CLASSES][];
    for (int j = 0; j < CLASSES; j++) {
      if (weights[j] == null || weights[j].length != FEATURES) {
        throw new ProverException(ErrorCode.INVALID_ARGUMENT, "weight row " + j + " must have " + FEATURES + " entries");
      }
      for (int i = 0; i < FEATURES; i++) {
        if (weights[j][i] < Short.MIN_VALUE || weights[j][i] > Short.MAX_VALUE) {
          throw new ProverException(ErrorCode.INVALID_ARGUMENT,
              "weight [" + j + "][" + i + "] = " + weights[j][i] + " is outside [-32768, 32767]");
        }
      }
      w[j] = weights[j].clone();
    }
    weights = w;
    biases = biases.clone();
  }

  /**
   * Reads a model file ({@code data/digits-model.json}: {@code format}, {@code classes}, {@code
   * features}, {@code weights}, {@code biases}; other fields are ignored).
   *
   * @param json the file
   * @return the model
   * @throws IOException if the file cannot be read or parsed
   * @throws ProverException {@link ErrorCode#INVALID_ARGUMENT} on a wrong format, shape or range
   */
  public static DigitsModel load(Path json) throws IOException {
    JsonNode root = JSON.readTree(json.toFile());
    if (!FORMAT.equals(root.path("format").asText()) || root.path("classes").asInt() != CLASSES
        || root.path("features").asInt() != FEATURES) {
      throw new ProverException(ErrorCode.INVALID_ARGUMENT,
          json + ": expected format " + FORMAT + " with " + CLASSES + " classes and " + FEATURES + " features");
    }
    JsonNode wn = root.path("weights");
    JsonNode bn = root.path("biases");
    if (!wn.isArray() || wn.size() != CLASSES || !bn.isArray() || bn.size() != CLASSES) {
      throw new ProverException(ErrorCode.INVALID_ARGUMENT, json + ": expected 10 weight rows and 10 biases");
    }
    int[][] weights = new int[CLASSES][FEATURES];
    int[] biases = new int[CLASSES];
    for (int j = 0; j < CLASSES; j++) {
      JsonNode row = wn.get(j);
      if (!row.isArray() || row.size() != FEATURES) {
        throw new ProverException(ErrorCode.INVALID_ARGUMENT, json + ": weight row " + j + " needs " + FEATURES + " entries");
      }
      for (int i = 0; i < FEATURES; i++) {
        weights[j][i] = exactInt(row.get(i), json + ": weight [" + j + "][" + i + "]");
      }
      biases[j] = exactInt(bn.get(j), json + ": bias " + j);
    }
    return new DigitsModel(weights, biases);
  }

  private static int exactInt(JsonNode n, String what) {
    if (!n.isIntegralNumber() || !n.canConvertToInt()) {
      throw new ProverException(ErrorCode.INVALID_ARGUMENT, what + " = " + n + " is not a 32-bit integer");
    }
    return n.intValue();
  }

  @Override
  public int[][] weights() {
    int[][] copy = new int[CLASSES][];
    for (int j = 0; j < CLASSES; j++) {
      copy[j] = weights[j].clone();
    }
    return copy;
  }

  @Override
  public int[] biases() {
    return biases.clone();
  }

  /**
   * Computes the logits exactly.
   *
   * @param pixels 64 bytes, read as unsigned (0..255)
   * @return the 10 logits
   * @throws ProverException {@link ErrorCode#INVALID_ARGUMENT} unless {@code pixels.length == 64}
   */
  public long[] logits(byte[] pixels) {
    checkPixels(pixels);
    long[] logits = new long[CLASSES];
    for (int j = 0; j < CLASSES; j++) {
      long acc = biases[j];
      for (int i = 0; i < FEATURES; i++) {
        acc += (long) weights[j][i] * (pixels[i] & 0xFF);
      }
      logits[j] = acc;
    }
    return logits;
  }

  /**
   * Predicts the class in plain Java, exactly as the circuit constrains it.
   *
   * @param pixels 64 bytes, read as unsigned (0..255)
   * @return argmax of the logits, lowest index on ties
   */
  public int predict(byte[] pixels) {
    long[] l = logits(pixels);
    int best = 0;
    for (int j = 1; j < CLASSES; j++) {
      if (l[j] > l[best]) {
        best = j;
      }
    }
    return best;
  }

  /**
   * Returns the canonical 1320-byte encoding hashed by the model commitment and passed to the native
   * runtime: for each class j and pixel i, {@code weights[j][i] + 2^15} as 2 big-endian bytes; then
   * for each class, {@code biases[j] + 2^31} as 4 big-endian bytes (see the digits circuit's doc.go).
   */
  public byte[] encode() {
    ByteBuffer buf = ByteBuffer.allocate(ENCODED_BYTES);
    for (int j = 0; j < CLASSES; j++) {
      for (int i = 0; i < FEATURES; i++) {
        buf.putShort((short) (weights[j][i] + 0x8000));
      }
    }
    for (int j = 0; j < CLASSES; j++) {
      buf.putInt(biases[j] ^ Integer.MIN_VALUE);
    }
    return buf.array();
  }

  static void checkPixels(byte[] pixels) {
    Objects.requireNonNull(pixels, "pixels");
    if (pixels.length != FEATURES) {
      throw new ProverException(ErrorCode.INVALID_ARGUMENT,
          "an image has " + FEATURES + " pixel bytes, got " + pixels.length);
    }
  }
}
