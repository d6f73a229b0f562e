package io.procura.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Bad input at the JNI boundary becomes a ProverException, never a JVM crash. */
class NativeBoundaryTest {
  private static final ProvingRuntime RUNTIME = ProvingRuntime.nativeRuntime();

  private static void assertCode(Runnable call, ErrorCode code) {
    assertThatThrownBy(call::run).isInstanceOf(ProverException.class)
        .satisfies(e -> assertThat(((ProverException) e).code()).isEqualTo(code));
  }

  @Test
  void shouldRejectAnImageOfTheWrongLength() {
    try (ProvingKey pk = ProvingKey.loadBundled("digits")) {
      assertCode(() -> RUNTIME.proveDigits(pk, TestData.model(), new byte[63], BigInteger.ONE), ErrorCode.INVALID_ARGUMENT);
      assertCode(() -> RUNTIME.commitImage(new byte[65]), ErrorCode.INVALID_ARGUMENT);
      // The native side checks too, when Java's checks are bypassed.
      assertCode(() -> NativeBridge.commitImage(new byte[3]), ErrorCode.INVALID_ARGUMENT);
      assertCode(() -> NativeBridge.commitModel(new byte[10]), ErrorCode.INVALID_ARGUMENT);
      assertCode(() -> NativeBridge.proveDigits(pk.handle(), TestData.model().encode(), new byte[64], new byte[31]),
          ErrorCode.INVALID_ARGUMENT);
      assertCode(() -> NativeBridge.proveDigits(pk.handle(), null, new byte[64], new byte[32]), ErrorCode.INVALID_ARGUMENT);
    }
  }

  @Test
  void shouldRejectGarbageKeyBytes() {
    assertCode(() -> ProvingKey.load(new byte[] {1, 2, 3}), ErrorCode.INVALID_KEY);
    assertCode(() -> VerifyingKey.load(new byte[0]), ErrorCode.INVALID_KEY);
    try (VerifyingKey vk = VerifyingKey.loadBundled("digits")) {
      byte[] bytes = vk.bytes();
      byte[] corrupted = bytes.clone();
      corrupted[corrupted.length - 1] ^= 0x55;
      assertCode(() -> VerifyingKey.load(corrupted), ErrorCode.INVALID_KEY);
      assertCode(() -> VerifyingKey.load(Arrays.copyOf(bytes, bytes.length / 2)), ErrorCode.INVALID_KEY);
      // A verifying key is not a proving key.
      assertCode(() -> ProvingKey.load(bytes), ErrorCode.INVALID_KEY);
    }
    assertCode(() -> ProvingKey.loadBundled("no-such-circuit"), ErrorCode.INVALID_ARGUMENT);
    assertCode(() -> ProvingKey.loadBundled("../etc"), ErrorCode.INVALID_ARGUMENT);
  }

  /**
   * Key files with a correct SHA-256 whose gnark encoding is crafted used to kill the JVM: a length prefix of
   * 2^32 points at load ("fatal error: runtime: out of memory"), an infinity count off by one at the first
   * proof (index out of range in a gnark goroutine). Each is INVALID_KEY now, and the JVM goes on proving.
   */
  @Test
  void shouldRejectCraftedKeysWithAValidChecksum() throws Exception {
    byte[] good;
    try (ProvingKey pk = ProvingKey.loadBundled("digits")) {
      good = pk.bytes();
    }
    int header = 8 + 2 + (good[9] & 0xff) + 8 + 32; // magic, kind, id length, id, payload length, SHA-256
    byte[] payload = Arrays.copyOfRange(good, header, good.length);
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(payload);
    int domainBytes = 8 + 5 * 32 + 1;
    int lengthOfA = domainBytes + 3 * 32; // after the domain and three compressed G1 points
    // the wire count n sits 4 + 2n + 24 bytes before the end (then two infinity counts, two flag arrays, one count)
    int wires = -1;
    for (int n = 1; 28 + 2 * n < payload.length && wires < 0; n++) {
      if (buf.getLong(payload.length - 28 - 2 * n) == n) {
        wires = n;
      }
    }
    assertThat(wires).isPositive();
    int infinityCountA = payload.length - 4 - 2 * wires - 16;

    byte[] hugeSlice = payload.clone();
    java.nio.ByteBuffer.wrap(hugeSlice).putInt(lengthOfA, -1);
    byte[] hugeDomain = payload.clone();
    java.nio.ByteBuffer.wrap(hugeDomain).putLong(0, 1L << 62);
    byte[] countOffByOne = payload.clone();
    java.nio.ByteBuffer.wrap(countOffByOne).putLong(infinityCountA, buf.getLong(infinityCountA) + 1);
    for (byte[] crafted : new byte[][] {hugeSlice, hugeDomain, countOffByOne}) {
      byte[] sealed = Arrays.copyOf(good, good.length);
      System.arraycopy(crafted, 0, sealed, header, crafted.length);
      byte[] sha = java.security.MessageDigest.getInstance("SHA-256").digest(crafted);
      System.arraycopy(sha, 0, sealed, header - 32, 32);
      assertCode(() -> ProvingKey.load(sealed), ErrorCode.INVALID_KEY);
    }
    // still alive, and the real key still proves
    try (ProvingKey pk = ProvingKey.load(good); VerifyingKey vk = VerifyingKey.loadBundled("digits")) {
      DigitsProof proof = RUNTIME.proveDigits(pk, TestData.model(), TestData.images().get(0).pixels(), BigInteger.TEN);
      assertThat(RUNTIME.verifyDigits(vk, proof.proof(), proof.publicInputs())).isTrue();
    }
  }

  @Test
  void shouldRejectBadAndClosedHandles() {
    VerifyingKey vk = VerifyingKey.loadBundled("digits");
    long raw = vk.handle();
    vk.close();
    vk.close(); // idempotent
    assertCode(vk::bytes, ErrorCode.INVALID_HANDLE);
    assertCode(() -> RUNTIME.exportSolidityVerifier(vk), ErrorCode.INVALID_HANDLE);
    assertCode(() -> NativeBridge.keyBytes(raw), ErrorCode.INVALID_HANDLE);
    assertCode(() -> NativeBridge.exportSolidity(-42), ErrorCode.INVALID_HANDLE);
    assertCode(() -> NativeBridge.freeHandle(Long.MAX_VALUE), ErrorCode.INVALID_HANDLE);
    try (VerifyingKey live = VerifyingKey.loadBundled("digits")) {
      // A verifying-key handle used as a proving key.
      assertCode(() -> NativeBridge.proveDigits(live.handle(), TestData.model().encode(), new byte[64], new byte[32]),
          ErrorCode.INVALID_HANDLE);
    }
  }

  @Test
  void shouldRejectMalformedProofsAndInputs() {
    try (VerifyingKey vk = VerifyingKey.loadBundled("digits")) {
      BigInteger[] inputs = {BigInteger.ONE, BigInteger.TWO, BigInteger.ZERO, BigInteger.TEN};
      BigInteger[] sevenWords = new BigInteger[7];
      Arrays.fill(sevenWords, BigInteger.ONE);
      assertCode(() -> RUNTIME.verifyDigits(vk, sevenWords, inputs), ErrorCode.INVALID_ARGUMENT);
      assertCode(() -> NativeBridge.verifyDigits(vk.handle(), new byte[255], new byte[128]), ErrorCode.INVALID_ARGUMENT);

      BigInteger[] notOnCurve = new BigInteger[8];
      Arrays.fill(notOnCurve, BigInteger.ONE);
      assertCode(() -> RUNTIME.verifyDigits(vk, notOnCurve, inputs), ErrorCode.INVALID_PROOF);
      BigInteger[] tooBig = notOnCurve.clone();
      tooBig[0] = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
      assertCode(() -> RUNTIME.verifyDigits(vk, tooBig, inputs), ErrorCode.INVALID_PROOF);

      BigInteger[] unreduced = inputs.clone();
      unreduced[3] = RUNTIME.scalarFieldModulus();
      assertCode(() -> RUNTIME.verifyDigits(vk, notOnCurve, unreduced), ErrorCode.INVALID_ARGUMENT);
      assertCode(() -> NativeBridge.verifyDigits(vk.handle(), new byte[256], fill(128, (byte) 0xff)), ErrorCode.INVALID_ARGUMENT);
    }
    try (ProvingKey pk = ProvingKey.loadBundled("digits")) {
      assertCode(() -> RUNTIME.proveDigits(pk, TestData.model(), new byte[64], RUNTIME.scalarFieldModulus()),
          ErrorCode.INVALID_ARGUMENT);
      assertCode(() -> RUNTIME.proveDigits(pk, TestData.model(), new byte[64], BigInteger.ONE.negate()),
          ErrorCode.INVALID_ARGUMENT);
      assertCode(() -> NativeBridge.proveDigits(pk.handle(), TestData.model().encode(), new byte[64], fill(32, (byte) 0xff)),
          ErrorCode.INVALID_ARGUMENT);
    }
  }

  @Test
  void jvmShouldKeepHandlingItsOwnSignalsAfterManyNativeCalls() {
    byte[] pixels = new byte[64];
    BigInteger first = RUNTIME.commitImage(pixels);
    for (int i = 0; i < 5_000; i++) {
      pixels[i % 64] = (byte) i;
      RUNTIME.commitImage(pixels);
      if (i % 100 == 0) {
        assertCode(() -> NativeBridge.commitImage(new byte[1]), ErrorCode.INVALID_ARGUMENT);
        System.gc();
      }
    }
    // Implicit null checks and stack banging rely on the JVM's SIGSEGV handler, which the Go
    // runtime must forward to: these must still surface as Java exceptions.
    Object nothing = null;
    for (int i = 0; i < 20_000; i++) {
      try {
        nothing.hashCode();
      } catch (NullPointerException expected) {
        // handled by the JVM, not by Go
      }
    }
    assertThatThrownBy(NativeBoundaryTest::recurse).isInstanceOf(StackOverflowError.class);
    assertThat(RUNTIME.commitImage(new byte[64])).isEqualTo(first);
  }

  private static int recurse() {
    return recurse() + 1;
  }

  private static byte[] fill(int n, byte b) {
    byte[] out = new byte[n];
    Arrays.fill(out, b);
    return out;
  }
}
