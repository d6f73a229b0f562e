package io.procura.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bundled proving keys leave a raw copy in the cache at first load, which later loads use; a damaged copy is ignored. */
class BundledKeyCacheTest {
  private static final ProvingRuntime RUNTIME = ProvingRuntime.nativeRuntime();

  @Test
  void shouldLoadFromARawCopyAfterTheFirstLoadAndSurviveADamagedOne(@TempDir Path cache) throws Exception {
    String old = System.getProperty("procura.cache.dir");
    System.setProperty("procura.cache.dir", cache.toString());
    try {
      Circuit c = Circuit.find("digits-mlp").orElseThrow();
      Path copy = ProvingKey.rawCache(c.keyName(), KeyHandle.readBundled(c.keyName(), "pk"));
      assertThat(copy).isNotNull().doesNotExist();
      byte[] image = TestData.images().get(0).pixels();
      try (ProvingKey first = ProvingKey.loadBundled(c.keyName())) {
        assertThat(copy).exists();
        assertThat(Files.size(copy)).isEqualTo(first.rawBytes().length);
      }
      try (ProvingKey second = ProvingKey.loadBundled(c.keyName()); VerifyingKey vk = VerifyingKey.loadBundled(c.keyName())) {
        CircuitProof p = RUNTIME.prove(c, second, image, BigInteger.TWO);
        assertThat(RUNTIME.verify(vk, p.proof(), p.publicInputs())).isTrue();
      }
      Files.write(copy, new byte[] {1, 2, 3}); // damaged
      try (ProvingKey third = ProvingKey.loadBundled(c.keyName())) {
        assertThat(third.rawBytes().length).isEqualTo(Files.size(copy)); // reloaded from the jar and rewritten
      }
    } finally {
      if (old == null) System.clearProperty("procura.cache.dir");
      else System.setProperty("procura.cache.dir", old);
    }
  }
}
