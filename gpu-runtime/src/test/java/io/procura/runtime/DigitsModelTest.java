package io.procura.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigitsModelTest {
  @Test
  void shouldLoadTheShippedModelAndClassifyMostImagesCorrectly() {
    DigitsModel model = TestData.model();
    var images = TestData.images();
    assertThat(images).hasSize(1797);
    long correct = images.stream().filter(i -> model.predict(i.pixels()) == i.label()).count();
    assertThat((double) correct / images.size()).isGreaterThan(0.9);
  }

  @Test
  void shouldBreakTiesTowardsTheLowestClass() {
    int[] biases = new int[10];
    biases[4] = 7;
    biases[8] = 7;
    DigitsModel model = new DigitsModel(new int[10][64], biases);
    assertThat(model.predict(new byte[64])).isEqualTo(4);
    assertThat(new DigitsModel(new int[10][64], new int[10]).predict(new byte[64])).isZero();
  }

  @Test
  void shouldReadPixelsAsUnsignedBytes() {
    int[][] w = new int[10][64];
    w[1][0] = 1;
    w[2][0] = -1;
    DigitsModel model = new DigitsModel(w, new int[10]);
    byte[] px = new byte[64];
    px[0] = (byte) 200;
    assertThat(model.logits(px)[1]).isEqualTo(200);
    assertThat(model.predict(px)).isEqualTo(1);
  }

  @Test
  void shouldEncodeInOffsetBinaryBigEndian() {
    int[][] w = new int[10][64];
    w[0][0] = -32768;
    w[0][1] = 32767;
    int[] b = new int[10];
    b[0] = Integer.MIN_VALUE;
    b[9] = -1;
    byte[] e = new DigitsModel(w, b).encode();
    assertThat(e).hasSize(DigitsModel.ENCODED_BYTES);
    assertThat(e[0]).isEqualTo((byte) 0x00);
    assertThat(e[2]).isEqualTo((byte) 0xff);
    assertThat(e[4]).isEqualTo((byte) 0x80); // weight 0 -> 0x8000
    assertThat(e[1280]).isEqualTo((byte) 0x00); // bias -2^31 -> 0x00000000
    assertThat(e[1319]).isEqualTo((byte) 0xff); // bias -1 -> 0x7fffffff
    assertThat(e[1316]).isEqualTo((byte) 0x7f);
  }

  @Test
  void shouldRejectModelsOfTheWrongShapeOrRange(@TempDir Path dir) throws Exception {
    int[][] w = new int[10][64];
    w[3][5] = 40_000;
    assertThatThrownBy(() -> new DigitsModel(w, new int[10])).isInstanceOf(ProverException.class)
        .hasMessageContaining("weight [3][5]");
    assertThatThrownBy(() -> new DigitsModel(new int[9][64], new int[10])).isInstanceOf(ProverException.class);
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"format\":\"procura-digits-linear-v1\",\"classes\":10,\"features\":64,\"weights\":[],\"biases\":[]}");
    assertThatThrownBy(() -> DigitsModel.load(bad)).isInstanceOf(ProverException.class);
    assertThatThrownBy(() -> new DigitsImage(0, new byte[10], 1)).isInstanceOf(ProverException.class);
  }
}
