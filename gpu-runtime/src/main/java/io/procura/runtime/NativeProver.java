package io.procura.runtime;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * {@link ProvingRuntime} over the gnark library loaded by {@link NativeLibrary}. Checks every
 * buffer size and range before calling into native code.
 */
final class NativeProver implements ProvingRuntime {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NativeProver.class);
  private static final int WORD = 32;
  private static volatile NativeProver instance;

  private final BigInteger modulus;

  /** Verifying keys of circuits, to check GPU proofs with (loaded only while the GPU proves). */
  private final java.util.concurrent.ConcurrentHashMap<String, java.util.Optional<VerifyingKey>> checkKeys =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Set when the backend asked for at load cannot be had (PROCURA_PROVER=gpu and no GPU, or a PROCURA_PROVER that is
   * not auto, cpu or gpu): proving then fails with it, never silently on another backend; everything else works.
   */
  private volatile ProverException backendError;

  private NativeProver() {
    NativeLibrary.load();
    this.modulus = new BigInteger(1, NativeBridge.scalarFieldModulus());
    try {
      configureBackend(null);
    } catch (ProverException e) {
      if (e.code() != ErrorCode.BACKEND_UNAVAILABLE && e.code() != ErrorCode.INVALID_ARGUMENT) {
        throw e;
      }
      LOG.warn("{}", e.getMessage());
      backendError = e;
    }
  }

  @Override
  public ProverBackend backend() {
    return ProverBackend.parse(NativeBridge.currentBackend());
  }

  @Override
  public synchronized ProverBackend configureBackend(String mode) {
    String m = mode == null || mode.isBlank() ? System.getenv().getOrDefault("PROCURA_PROVER", "auto") : mode.strip();
    String worker = "";
    if (!"cpu".equals(m)) {
      try {
        worker = NativeLibrary.gpuWorker().map(Path::toString).orElse("");
      } catch (ProverException e) {
        // a full temporary folder must not cost the CPU prover: the native side reports "no GPU worker"
        LOG.warn("the GPU worker cannot be used: {}", e.getMessage());
      }
    }
    ProverBackend b;
    try {
      b = ProverBackend.parse(NativeBridge.configureBackend(m.getBytes(StandardCharsets.UTF_8),
          worker.getBytes(StandardCharsets.UTF_8)));
    } catch (ProverException e) {
      if (e.code() == ErrorCode.BACKEND_UNAVAILABLE) {
        backendError = e; // required and missing: no proof until a backend is configured again
      }
      throw e;
    }
    backendError = null;
    LOG.info("Groth16 prover: {}", b);
    return b;
  }

  static NativeProver instance() {
    NativeProver p = instance;
    if (p == null) {
      synchronized (NativeProver.class) {
        p = instance;
        if (p == null) {
          p = new NativeProver();
          instance = p;
        }
      }
    }
    return p;
  }

  @Override
  public CircuitKeys setupDigits() {
    long[] h = NativeBridge.setupDigits();
    return new CircuitKeys(new ProvingKey(h[0]), new VerifyingKey(h[1]));
  }

  @Override
  public BigInteger commitModel(DigitsModel model) {
    Objects.requireNonNull(model, "model");
    return new BigInteger(1, NativeBridge.commitModel(model.encode()));
  }

  @Override
  public BigInteger commitImage(byte[] pixels) {
    DigitsModel.checkPixels(pixels);
    return new BigInteger(1, NativeBridge.commitImage(pixels));
  }

  @Override
  public DigitsProof proveDigits(ProvingKey provingKey, DigitsModel model, byte[] pixels, BigInteger binding) {
    Objects.requireNonNull(provingKey, "provingKey");
    Objects.requireNonNull(model, "model");
    DigitsModel.checkPixels(pixels);
    byte[] bindingBytes = toWord(binding, "binding");
    long start = System.nanoTime();
    byte[] out = NativeBridge.proveDigits(provingKey.handle(), model.encode(), pixels, bindingBytes);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    int words = DigitsProof.PROOF_WORDS + DigitsProof.PUBLIC_INPUTS;
    if (out == null || out.length != words * WORD) {
      throw new ProverException(ErrorCode.INTERNAL, "native prover returned " + (out == null ? "null" : out.length + " bytes"));
    }
    BigInteger[] all = new BigInteger[words];
    for (int k = 0; k < words; k++) {
      all[k] = new BigInteger(1, java.util.Arrays.copyOfRange(out, k * WORD, (k + 1) * WORD));
    }
    BigInteger[] proof = java.util.Arrays.copyOfRange(all, 0, DigitsProof.PROOF_WORDS);
    BigInteger[] inputs = java.util.Arrays.copyOfRange(all, DigitsProof.PROOF_WORDS, words);
    return new DigitsProof(inputs[2].intValueExact(), proof, inputs, took);
  }

  @Override
  public boolean verifyDigits(VerifyingKey verifyingKey, BigInteger[] proof, BigInteger[] publicInputs) {
    Objects.requireNonNull(verifyingKey, "verifyingKey");
    byte[] p = packWords(proof, DigitsProof.PROOF_WORDS, "proof");
    byte[] in = packWords(publicInputs, DigitsProof.PUBLIC_INPUTS, "public inputs");
    for (int k = 0; k < publicInputs.length; k++) {
      if (publicInputs[k].compareTo(modulus) >= 0) {
        throw new ProverException(ErrorCode.INVALID_ARGUMENT, "public input " + k + " is not below the scalar field modulus");
      }
    }
    return NativeBridge.verifyDigits(verifyingKey.handle(), p, in);
  }

  @Override
  public String exportSolidityVerifier(VerifyingKey verifyingKey) {
    Objects.requireNonNull(verifyingKey, "verifyingKey");
    return new String(NativeBridge.exportSolidity(verifyingKey.handle()), StandardCharsets.UTF_8);
  }

  @Override
  public BigInteger scalarFieldModulus() {
    return modulus;
  }

  @Override
  public CircuitKeys setup(Circuit circuit) {
    Objects.requireNonNull(circuit, "circuit");
    long[] h = NativeBridge.setupCircuit(circuit.id().getBytes(StandardCharsets.UTF_8));
    return new CircuitKeys(new ProvingKey(h[0]), new VerifyingKey(h[1]));
  }

  @Override
  public CircuitProof prove(Circuit circuit, ProvingKey provingKey, byte[] payload, BigInteger binding) {
    Objects.requireNonNull(circuit, "circuit");
    Objects.requireNonNull(provingKey, "provingKey");
    Objects.requireNonNull(payload, "payload");
    if (payload.length != circuit.payloadBytes()) {
      throw new ProverException(ErrorCode.INVALID_ARGUMENT,
          circuit.name() + " payload must be " + circuit.payloadBytes() + " bytes, got " + payload.length);
    }
    String keyCircuit = new String(NativeBridge.keyCircuit(provingKey.handle()), StandardCharsets.UTF_8);
    if (!keyCircuit.equals(circuit.id())) {
      throw new ProverException(ErrorCode.INVALID_KEY, "proving key is for circuit " + keyCircuit + ", not " + circuit.id());
    }
    byte[] bindingBytes = toWord(binding, "binding");
    ProverException missing = backendError;
    if (missing != null) {
      throw missing; // the backend asked for is not there: never a silent proof on another
    }
    long start = System.nanoTime();
    // a GPU proof is checked against the circuit's verifying key before it is returned (without one, the CPU proves)
    long check = 0;
    if (backend().kind() == ProverBackend.Kind.GPU) {
      check = checkKeys.computeIfAbsent(circuit.id(), id -> checkKeyOf(circuit)).map(VerifyingKey::handle).orElse(0L);
    }
    byte[] out = NativeBridge.proveOn(provingKey.handle(), check, payload, bindingBytes);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    int words = DigitsProof.PROOF_WORDS + circuit.publicInputs();
    if (out == null || out.length < 13) {
      throw new ProverException(ErrorCode.INTERNAL, "native prover returned " + (out == null ? "null" : out.length + " bytes"));
    }
    java.nio.ByteBuffer head = java.nio.ByteBuffer.wrap(out);
    ProverBackend.Kind kind = head.get(0) == 1 ? ProverBackend.Kind.GPU : ProverBackend.Kind.CPU;
    int reasonLength = head.getInt(9);
    int base = 13 + reasonLength;
    if (reasonLength < 0 || out.length != base + words * WORD) {
      throw new ProverException(ErrorCode.INTERNAL, "native prover returned " + out.length + " bytes");
    }
    String fallback = reasonLength == 0 ? null : new String(out, 13, reasonLength, StandardCharsets.UTF_8);
    if (fallback != null) {
      LOG.warn("the GPU could not prove {} ({}); proved on the CPU", circuit.name(), fallback);
    }
    BigInteger[] all = new BigInteger[words];
    for (int k = 0; k < words; k++) {
      all[k] = new BigInteger(1, java.util.Arrays.copyOfRange(out, base + k * WORD, base + (k + 1) * WORD));
    }
    return new CircuitProof(circuit, java.util.Arrays.copyOfRange(all, 0, DigitsProof.PROOF_WORDS),
        java.util.Arrays.copyOfRange(all, DigitsProof.PROOF_WORDS, words), took, kind, fallback);
  }

  /**
   * The verifying key a GPU proof of {@code circuit} is checked with: the bundled or cached one (the native side checks
   * that it belongs to the proving key used, else the CPU proves); none when it cannot be read.
   */
  private static java.util.Optional<VerifyingKey> checkKeyOf(Circuit circuit) {
    try {
      return VerifyingKey.forCircuit(circuit);
    } catch (RuntimeException e) {
      LOG.warn("no verifying key of {} to check GPU proofs with ({}): its proofs are made on the CPU", circuit.name(),
          e.getMessage());
      return java.util.Optional.empty();
    }
  }

  @Override
  public boolean verify(VerifyingKey verifyingKey, BigInteger[] proof, BigInteger[] publicInputs) {
    Objects.requireNonNull(verifyingKey, "verifyingKey");
    byte[] p = packWords(proof, DigitsProof.PROOF_WORDS, "proof");
    if (publicInputs == null) {
      throw new ProverException(ErrorCode.INVALID_ARGUMENT, "public inputs must not be null");
    }
    byte[] in = packWords(publicInputs, publicInputs.length, "public inputs");
    for (int k = 0; k < publicInputs.length; k++) {
      if (publicInputs[k].compareTo(modulus) >= 0) {
        throw new ProverException(ErrorCode.INVALID_ARGUMENT, "public input " + k + " is not below the scalar field modulus");
      }
    }
    return NativeBridge.verify(verifyingKey.handle(), p, in);
  }

  @Override
  public BigInteger[] fixedInputs(Circuit circuit, byte[] payload) {
    Objects.requireNonNull(circuit, "circuit");
    Objects.requireNonNull(payload, "payload");
    byte[] out = NativeBridge.fixedInputs(circuit.id().getBytes(StandardCharsets.UTF_8), payload);
    if (out == null || out.length != circuit.fixedInputs() * WORD) {
      throw new ProverException(ErrorCode.INTERNAL, "native runtime returned " + (out == null ? "null" : out.length + " bytes"));
    }
    BigInteger[] fixed = new BigInteger[circuit.fixedInputs()];
    for (int k = 0; k < fixed.length; k++) {
      fixed[k] = new BigInteger(1, java.util.Arrays.copyOfRange(out, k * WORD, (k + 1) * WORD));
    }
    return fixed;
  }

  @Override
  public String exportSolidityVerifier(VerifyingKey verifyingKey, String contractName) {
    Objects.requireNonNull(verifyingKey, "verifyingKey");
    Objects.requireNonNull(contractName, "contractName");
    return new String(NativeBridge.exportSolidityNamed(verifyingKey.handle(), contractName.getBytes(StandardCharsets.UTF_8)),
        StandardCharsets.UTF_8);
  }

  private byte[] toWord(BigInteger v, String what) {
    if (v == null || v.signum() < 0 || v.compareTo(modulus) >= 0) {
      throw new ProverException(ErrorCode.INVALID_ARGUMENT, what + " must be an integer in [0, r), got " + v);
    }
    return word(v);
  }

  private static byte[] packWords(BigInteger[] values, int count, String what) {
    if (values == null || values.length != count) {
      throw new ProverException(ErrorCode.INVALID_ARGUMENT,
          what + " must be " + count + " words, got " + (values == null ? "null" : values.length));
    }
    byte[] out = new byte[count * WORD];
    for (int k = 0; k < count; k++) {
      BigInteger v = values[k];
      if (v == null || v.signum() < 0 || v.bitLength() > 256) {
        throw new ProverException(ErrorCode.INVALID_ARGUMENT, what + " word " + k + " is not a uint256: " + v);
      }
      System.arraycopy(word(v), 0, out, k * WORD, WORD);
    }
    return out;
  }

  /** Big-endian 32-byte encoding of 0 <= v < 2^256. */
  private static byte[] word(BigInteger v) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[WORD];
    int len = Math.min(raw.length, WORD);
    System.arraycopy(raw, raw.length - len, out, WORD - len, len);
    return out;
  }
}
