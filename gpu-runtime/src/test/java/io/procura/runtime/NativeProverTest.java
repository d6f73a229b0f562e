package io.procura.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NativeProverTest {
  private static final ProvingRuntime RUNTIME = ProvingRuntime.nativeRuntime();
  private static ProvingKey pk;
  private static VerifyingKey vk;

  @BeforeAll
  static void loadBundledKeys() {
    pk = ProvingKey.loadBundled("digits");
    vk = VerifyingKey.loadBundled("digits");
  }

  @AfterAll
  static void closeKeys() {
    pk.close();
    vk.close();
  }

  @Test
  void shouldProveAndVerifyTheModelsPredictionThroughJni() {
    DigitsModel model = TestData.model();
    DigitsImage image = TestData.images().get(3);
    BigInteger binding = new BigInteger("123456789012345678901234567890");

    DigitsProof proof = RUNTIME.proveDigits(pk, model, image.pixels(), binding);

    assertThat(proof.predictedClass()).isEqualTo(model.predict(image.pixels()));
    assertThat(proof.proof()).hasSize(8).allSatisfy(w -> assertThat(w.signum()).isPositive());
    assertThat(proof.publicInputs()).containsExactly(
        RUNTIME.commitModel(model), RUNTIME.commitImage(image.pixels()),
        BigInteger.valueOf(proof.predictedClass()), binding);
    assertThat(proof.proveTime()).isPositive();
    assertThat(RUNTIME.verifyDigits(vk, proof.proof(), proof.publicInputs())).isTrue();
  }

  @Test
  void shouldRejectAProofUnderAnotherBindingOrAnyOtherPublicInput() {
    DigitsModel model = TestData.model();
    DigitsImage image = TestData.images().get(0);
    DigitsProof proof = RUNTIME.proveDigits(pk, model, image.pixels(), BigInteger.TEN);

    for (int k = 0; k < DigitsProof.PUBLIC_INPUTS; k++) {
      BigInteger[] tampered = proof.publicInputs();
      tampered[k] = tampered[k].add(BigInteger.ONE);
      assertThat(RUNTIME.verifyDigits(vk, proof.proof(), tampered)).as("public input %d changed", k).isFalse();
    }
    BigInteger[] otherImage = proof.publicInputs();
    otherImage[1] = RUNTIME.commitImage(TestData.images().get(1).pixels());
    assertThat(RUNTIME.verifyDigits(vk, proof.proof(), otherImage)).isFalse();
  }

  @Test
  void javaPredictionShouldAgreeWithTheClassTheCircuitAccepts() {
    DigitsModel model = TestData.model();
    for (DigitsImage image : TestData.images().subList(10, 13)) {
      DigitsProof proof = RUNTIME.proveDigits(pk, model, image.pixels(), BigInteger.ONE);
      assertThat(proof.predictedClass()).isEqualTo(model.predict(image.pixels()));
      assertThat(RUNTIME.verifyDigits(vk, proof.proof(), proof.publicInputs())).isTrue();
      // The circuit accepts no other class for the same commitments.
      BigInteger[] otherClass = proof.publicInputs();
      otherClass[2] = BigInteger.valueOf((proof.predictedClass() + 1) % 10);
      assertThat(RUNTIME.verifyDigits(vk, proof.proof(), otherClass)).isFalse();
    }
  }

  @Test
  void shouldVerifyTheGoFixtureThatTheSolidityTestsUse() throws Exception {
    JsonNode fx = new ObjectMapper().readTree(TestData.FIXTURE.toFile());
    BigInteger[] proof = new BigInteger[8];
    BigInteger[] inputs = new BigInteger[4];
    for (int k = 0; k < 8; k++) {
      proof[k] = new BigInteger(fx.get("proof").get(k).asText());
    }
    for (int k = 0; k < 4; k++) {
      inputs[k] = new BigInteger(fx.get("inputs").get(k).asText());
    }
    DigitsImage image = TestData.images().get(fx.get("imageIndex").asInt());

    assertThat(RUNTIME.verifyDigits(vk, proof, inputs)).isTrue();
    assertThat(inputs[0]).isEqualTo(RUNTIME.commitModel(TestData.model()));
    assertThat(inputs[1]).isEqualTo(RUNTIME.commitImage(image.pixels()));
    assertThat(inputs[2].intValueExact()).isEqualTo(TestData.model().predict(image.pixels()))
        .isEqualTo(fx.get("predictedClass").asInt());
  }

  @Test
  void exportedVerifierShouldEqualTheCommittedContract() throws Exception {
    String sol = RUNTIME.exportSolidityVerifier(vk);
    assertThat(sol).contains("contract DigitsVerifier {", "uint256[8] calldata proof", "uint256[4] calldata input");
    assertThat(sol).isEqualTo(Files.readString(TestData.VERIFIER));
  }

  @Test
  void keysShouldRoundTripThroughTheirBytes() {
    byte[] bytes = vk.bytes();
    try (VerifyingKey again = VerifyingKey.load(bytes)) {
      assertThat(again.bytes()).isEqualTo(bytes);
      assertThat(RUNTIME.exportSolidityVerifier(again)).isEqualTo(RUNTIME.exportSolidityVerifier(vk));
    }
  }

  @Test
  void commitmentsShouldDependOnEveryPixelAndBeFieldElements() {
    byte[] pixels = TestData.images().get(0).pixels();
    BigInteger c = RUNTIME.commitImage(pixels);
    pixels[63] ^= 1;
    assertThat(RUNTIME.commitImage(pixels)).isNotEqualTo(c);
    assertThat(c).isLessThan(RUNTIME.scalarFieldModulus());
    assertThat(RUNTIME.scalarFieldModulus()).isEqualTo(new BigInteger(
        "21888242871839275222246405745257275088548364400416034343698204186575808495617"));
  }

  @Test
  void freshSetupShouldProduceKeysThatProveAndVerifyButRejectTheBundledKeysProofs() {
    DigitsModel model = TestData.model();
    byte[] pixels = TestData.images().get(5).pixels();
    try (CircuitKeys keys = RUNTIME.setupDigits()) {
      DigitsProof fresh = RUNTIME.proveDigits(keys.provingKey(), model, pixels, BigInteger.TWO);
      assertThat(RUNTIME.verifyDigits(keys.verifyingKey(), fresh.proof(), fresh.publicInputs())).isTrue();
      assertThat(RUNTIME.verifyDigits(vk, fresh.proof(), fresh.publicInputs())).isFalse();
    }
  }
}
