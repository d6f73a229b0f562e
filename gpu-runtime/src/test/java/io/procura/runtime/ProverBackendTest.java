package io.procura.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prover backend as a user gets it from the jar: the bundled GPU worker (built with the icicle tag) on a machine
 * without a GPU, and the worker's test devices (behind a wrapper that sets PROCURA_GPU_WORKER_TEST) for a GPU that
 * proves, one that returns a wrong proof, and one that crashes the way a CUDA error does. Every proof verifies; the
 * JVM outlives the crash.
 */
class ProverBackendTest {
  private static final ProvingRuntime RUNTIME = ProvingRuntime.nativeRuntime();
  private static final Circuit ROLLUP = Circuit.find("rollup-2^14").orElseThrow();

  @TempDir Path dir;

  @AfterEach
  void backToTheDefault() {
    System.clearProperty(NativeLibrary.GPU_WORKER_PROPERTY);
    RUNTIME.configureBackend("auto");
  }


  private CircuitProof proveAndVerify(BigInteger binding) {
    try (ProvingKey pk = ProvingKey.forCircuit(ROLLUP).orElseThrow();
        VerifyingKey vk = VerifyingKey.forCircuit(ROLLUP).orElseThrow()) {
      CircuitProof p = RUNTIME.prove(ROLLUP, pk, TestData.rollupPayload(), binding);
      assertThat(RUNTIME.verify(vk, p.proof(), p.publicInputs())).as("the proof verifies").isTrue();
      assertThat(p.publicInputs()[p.publicInputs().length - 1]).isEqualTo(binding);
      return p;
    }
  }

  /** The bundled worker with the icicle tag, as CI and this machine run it: no GPU, so the CPU proves. */
  @Test
  void withoutAGPUTheBundledWorkerSaysSoAndTheCPUProves() {
    assertThat(NativeLibrary.gpuWorker()).as("the jar bundles the GPU worker").isPresent();
    ProverBackend b = RUNTIME.configureBackend("auto");
    assertThat(b.kind()).isEqualTo(ProverBackend.Kind.CPU);
    assertThat(b.detail()).contains("no usable GPU");
    assertThat(RUNTIME.backend()).isEqualTo(b);
    CircuitProof p = proveAndVerify(BigInteger.valueOf(5));
    assertThat(p.backend()).isEqualTo(ProverBackend.Kind.CPU);
    assertThat(p.fallback()).isNull();

    assertThatThrownBy(() -> RUNTIME.configureBackend("gpu")).isInstanceOfSatisfying(ProverException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE));
    // a required GPU that is missing: no silent CPU proof until another backend is chosen
    assertThatThrownBy(() -> proveAndVerify(BigInteger.ONE)).isInstanceOfSatisfying(ProverException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE));
    assertThat(RUNTIME.configureBackend("auto").kind()).isEqualTo(ProverBackend.Kind.CPU);
    assertThat(proveAndVerify(BigInteger.ONE).backend()).isEqualTo(ProverBackend.Kind.CPU);
    assertThatThrownBy(() -> RUNTIME.configureBackend("fastest")).isInstanceOfSatisfying(ProverException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    assertThat(RUNTIME.configureBackend("cpu").detail()).contains("PROCURA_PROVER=cpu");
  }

  /** A bogus ICICLE backend folder: still no GPU, still a verified CPU proof. */
  @Test
  void aBogusBackendFolderFallsBackToTheCPU() throws IOException {
    Path bogus = Files.createDirectories(dir.resolve("backend"));
    Files.writeString(bogus.resolve("libicicle_backend_cuda_device.so"), "not a library");
    useWorker("ICICLE_BACKEND_INSTALL_DIR=" + bogus);
    ProverBackend b = RUNTIME.configureBackend("auto");
    assertThat(b.kind()).isEqualTo(ProverBackend.Kind.CPU);
    assertThat(b.detail()).contains("no usable GPU");
    assertThat(proveAndVerify(BigInteger.TWO).backend()).isEqualTo(ProverBackend.Kind.CPU);
  }

  /** The whole GPU path (worker process, key hand-over, check on the CPU) with the CPU standing in for the device. */
  @Test
  void aWorkingGPUProvesAndItsProofIsCheckedOnTheCPU() throws IOException {
    useWorker("PROCURA_GPU_WORKER_TEST=cpu");
    assertThat(RUNTIME.configureBackend("gpu").kind()).isEqualTo(ProverBackend.Kind.GPU);
    CircuitProof p = proveAndVerify(BigInteger.valueOf(77));
    assertThat(p.backend()).isEqualTo(ProverBackend.Kind.GPU);
    assertThat(p.fallback()).isNull();
  }

  /** A GPU that returns a wrong proof, and one that dies mid-proof: each proof is made on the CPU instead. */
  @Test
  void aFailingGPUIsReplacedByTheCPUForThatProofAndTheJVMSurvives() throws IOException {
    useWorker("PROCURA_GPU_WORKER_TEST=wrong");
    assertThat(RUNTIME.configureBackend("auto").kind()).isEqualTo(ProverBackend.Kind.GPU);
    CircuitProof wrong = proveAndVerify(BigInteger.valueOf(3));
    assertThat(wrong.backend()).isEqualTo(ProverBackend.Kind.CPU);
    assertThat(wrong.fallback()).contains("does not verify");

    useWorker("PROCURA_GPU_WORKER_TEST=crash");
    assertThat(RUNTIME.configureBackend("auto").kind()).isEqualTo(ProverBackend.Kind.GPU);
    CircuitProof crashed = proveAndVerify(BigInteger.valueOf(4));
    assertThat(crashed.backend()).isEqualTo(ProverBackend.Kind.CPU);
    assertThat(crashed.fallback()).contains("died").contains("CUDA error 700");
    assertThat(RUNTIME.scalarFieldModulus()).as("the JVM and the native runtime are still here").isPositive();
  }

  /** Points the runtime at the bundled worker behind a wrapper that sets the given environment variable. */
  private void useWorker(String env) throws IOException {
    System.clearProperty(NativeLibrary.GPU_WORKER_PROPERTY);
    Path worker = NativeLibrary.gpuWorker().orElseThrow();
    Path wrapper = dir.resolve("worker-" + System.nanoTime() + ".sh");
    Files.writeString(wrapper, "#!/bin/sh\nexport " + env + "\nexec '" + worker + "' \"$@\"\n");
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
    System.setProperty(NativeLibrary.GPU_WORKER_PROPERTY, wrapper.toString());
  }
}
