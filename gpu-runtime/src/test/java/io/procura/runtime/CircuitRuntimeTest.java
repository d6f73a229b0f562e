package io.procura.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plug-in circuits through JNI: list, setup, prove, verify, and the errors at the boundary. */
class CircuitRuntimeTest {
  private static final ProvingRuntime RUNTIME = ProvingRuntime.nativeRuntime();


  @Test
  void shouldListTheRollupSizeClasses() {
    List<Circuit> all = Circuit.all();
    assertThat(all).extracting(Circuit::name)
        .contains("rollup-2^14", "rollup-2^16", "rollup-2^18", "rollup-2^20", "rollup-2^22");
    Circuit small = Circuit.find("rollup-2^14").orElseThrow();
    assertThat(small.id()).isEqualTo("procura.rollup.d2.n1.v1");
    assertThat(small.publicInputs()).isEqualTo(4);
    assertThat(small.payloadBytes()).isEqualTo(48);
    assertThat(Circuit.find(small.id())).contains(small);
    assertThat(Circuit.find("no-such-circuit")).isEmpty();
  }

  @Test
  void shouldProveAndVerifyAPluginCircuit() {
    Circuit c = Circuit.find("rollup-2^14").orElseThrow();
    try (CircuitKeys keys = RUNTIME.setup(c);
        ProvingKey reloaded = ProvingKey.load(keys.provingKey().bytes())) {
      CircuitProof p = RUNTIME.prove(c, reloaded, TestData.rollupPayload(), BigInteger.valueOf(99));
      assertThat(p.publicInputs()[0]).isEqualTo(RUNTIME.fixedInputs(c, TestData.rollupPayload())[0]); // the payload commitment
      assertCode(() -> RUNTIME.fixedInputs(c, new byte[3]), ErrorCode.INVALID_ARGUMENT);
      assertThat(RUNTIME.exportSolidityVerifier(keys.verifyingKey(), "BatchVerifier")).contains("contract BatchVerifier");
      assertCode(() -> RUNTIME.exportSolidityVerifier(keys.verifyingKey(), "1 bad"), ErrorCode.INVALID_ARGUMENT);
      try (ProvingKey raw = ProvingKey.load(reloaded.rawBytes())) {
        assertThat(raw.rawBytes().length).isGreaterThan(reloaded.bytes().length); // uncompressed points
        assertThat(RUNTIME.verify(keys.verifyingKey(), RUNTIME.prove(c, raw, TestData.rollupPayload(), BigInteger.ONE).proof(),
            RUNTIME.prove(c, raw, TestData.rollupPayload(), BigInteger.ONE).publicInputs())).isTrue();
      }
      assertThat(p.outputs()).hasSize(2); // old and new root
      assertThat(p.outputs()[0]).isNotEqualTo(p.outputs()[1]);
      assertThat(p.publicInputs()[3]).isEqualTo(BigInteger.valueOf(99));
      assertThat(RUNTIME.verify(keys.verifyingKey(), p.proof(), p.publicInputs())).isTrue();
      BigInteger[] forged = p.publicInputs();
      forged[2] = forged[2].add(BigInteger.ONE);
      assertThat(RUNTIME.verify(keys.verifyingKey(), p.proof(), forged)).isFalse();

      assertCode(() -> RUNTIME.prove(c, reloaded, new byte[47], BigInteger.ONE), ErrorCode.INVALID_ARGUMENT);
      assertCode(() -> RUNTIME.prove(c, reloaded, TestData.rollupPayload(), RUNTIME.scalarFieldModulus()), ErrorCode.INVALID_ARGUMENT);
      try (ProvingKey digits = ProvingKey.loadBundled("digits")) {
        assertCode(() -> RUNTIME.prove(c, digits, TestData.rollupPayload(), BigInteger.ONE), ErrorCode.INVALID_KEY);
      }
      assertCode(() -> RUNTIME.verify(keys.verifyingKey(), p.proof(), new BigInteger[3]), ErrorCode.INVALID_ARGUMENT);
      assertCode(() -> NativeBridge.proveOn(keys.verifyingKey().handle(), 0, TestData.rollupPayload(), new byte[32]), ErrorCode.INVALID_HANDLE);
      assertCode(() -> NativeBridge.proveOn(reloaded.handle(), 0, TestData.rollupPayload(), new byte[31]), ErrorCode.INVALID_ARGUMENT);
      // a check key that is not a verifying key
      assertCode(() -> NativeBridge.proveOn(reloaded.handle(), reloaded.handle(), TestData.rollupPayload(), new byte[32]),
          ErrorCode.INVALID_HANDLE);
      assertCode(() -> NativeBridge.verify(keys.verifyingKey().handle(), new byte[256], new byte[33]), ErrorCode.INVALID_ARGUMENT);
    }
    assertCode(() -> NativeBridge.setupCircuit("procura.unknown.v1".getBytes()), ErrorCode.INVALID_ARGUMENT);
  }

  private static void assertCode(Runnable call, ErrorCode code) {
    assertThatThrownBy(call::run).isInstanceOf(ProverException.class)
        .satisfies(e -> assertThat(((ProverException) e).code()).isEqualTo(code));
  }
}
