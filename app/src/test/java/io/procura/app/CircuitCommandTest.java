package io.procura.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.procura.runtime.Circuit;
import io.procura.runtime.ProvingKey;
import io.procura.runtime.ProvingRuntime;
import io.procura.runtime.VerifyingKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code procura circuit list} and {@code procura circuit setup --circuit NAME}: keys that prove, a verifier, a hash. */
class CircuitCommandTest {

    private static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            assertThat(ProcuraCli.commandLine().execute(args)).isZero();
        } finally {
            System.setOut(old);
        }
        return buf.toString();
    }

    @Test
    void shouldListEveryCircuit() {
        String out = run("circuit", "list");
        assertThat(out).contains("digits", "digits-mlp", "rollup-2^14", "rollup-2^22", "bundled");
    }

    @Test
    void shouldSetUpAPluginCircuitWhoseKeysProveAndWhoseVerifierIsNamed(@TempDir Path dir) throws Exception {
        String out = run("circuit", "setup", "--circuit", "rollup-2^14", "--out", dir.toString());
        assertThat(out).contains("verifying key SHA-256", "Rollup2p14Verifier");
        assertThat(Files.readString(dir.resolve("Rollup2p14Verifier.sol"))).contains("contract Rollup2p14Verifier");
        Circuit c = Circuit.find("rollup-2^14").orElseThrow();
        ProvingRuntime runtime = ProvingRuntime.nativeRuntime();
        try (ProvingKey pk = ProvingKey.load(Files.readAllBytes(dir.resolve("rollup-2-14.pk")));
                VerifyingKey vk = VerifyingKey.load(Files.readAllBytes(dir.resolve("rollup-2-14.vk")))) {
            byte[] payload = ByteBuffer.allocate(c.payloadBytes()).putLong(9).array();
            var proof = runtime.prove(c, pk, payload, BigInteger.TEN);
            assertThat(runtime.verify(vk, proof.proof(), proof.publicInputs())).isTrue();
            assertThat(pk.rawBytes().length).as("the file is the raw encoding").isEqualTo(Files.size(dir.resolve("rollup-2-14.pk")));
        }
        assertThat(io.procura.verifier.CircuitRegistrar.verifierName("digits-mlp")).isEqualTo("DigitsMlpVerifier");
        assertThat(io.procura.verifier.CircuitRegistrar.verifierName("rollup-2^16")).isEqualTo("Rollup2p16Verifier");
    }
}
