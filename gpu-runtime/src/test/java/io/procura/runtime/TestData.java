package io.procura.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** The repository's real data, read once for all tests. */
final class TestData {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path MODEL = ROOT.resolve("data/digits-model.json");
  static final Path IMAGES = ROOT.resolve("data/digits.csv.gz");
  static final Path VERIFIER = ROOT.resolve("contracts/src/verifiers/DigitsVerifier.sol");
  static final Path FIXTURE = ROOT.resolve("contracts/test/fixtures/digits-proof.json");

  private static DigitsModel model;
  private static List<DigitsImage> images;

  private TestData() {}

  static synchronized DigitsModel model() {
    if (model == null) {
      try {
        model = DigitsModel.load(MODEL);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return model;
  }

  static synchronized List<DigitsImage> images() {
    if (images == null) {
      try {
        images = DigitsDataset.load(IMAGES);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return images;
  }

  /** A rollup-2^14 batch: 4 balances of 100, 200, 300, 400; one transfer of 150 from account 1 to 2. */
  static byte[] rollupPayload() {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * 8 + 16);
    for (int i = 1; i <= 4; i++) {
      b.putLong(100L * i);
    }
    b.putInt(1).putInt(2).putLong(150);
    return b.array();
  }
}
