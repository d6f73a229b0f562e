package io.procura.runtime.bench;

import io.procura.runtime.Circuit;
import io.procura.runtime.CircuitKeys;
import io.procura.runtime.DigitsModel;
import io.procura.runtime.ProvingKey;
import io.procura.runtime.ProvingRuntime;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One Groth16 proof through JNI per operation, for the circuits whose Go benchmarks
 * ({@code BenchmarkProveDigits}, {@code BenchmarkProvePlugin} in gpu-runtime/go/prover) prove the same statement
 * natively: {@code gpu-runtime/bench-jni.sh} runs both, interleaved, and prints the ratio (docs/BENCHMARKS.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class ProveBenchmark {
    @Param({"digits", "digits-mlp", "rollup-2^14", "rollup-2^16"})
    public String circuit;

    private final ProvingRuntime runtime = ProvingRuntime.nativeRuntime();
    private final BigInteger binding = BigInteger.valueOf(42);
    private ProvingKey pk;
    private CircuitKeys fresh;
    private Circuit plugin;
    private DigitsModel model;
    private byte[] payload;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path home = Path.of(System.getProperty("procura.home", "..")).toAbsolutePath().normalize();
        if (circuit.equals("digits")) {
            pk = ProvingKey.loadBundled("digits");
            model = DigitsModel.load(home.resolve("data/digits-model.json"));
            payload = io.procura.runtime.DigitsDataset.load(home.resolve("data/digits.csv.gz")).get(0).pixels();
            return;
        }
        plugin = Circuit.find(circuit).orElseThrow();
        pk = ProvingKey.forCircuit(plugin).orElse(null); // bundled, or `procura circuit setup`'s cache
        if (pk == null) {
            fresh = runtime.setup(plugin); // rollup-2^16: about 15 s, outside the measurement
            pk = fresh.provingKey();
        }
        payload = samplePayload(plugin);
    }

    /** The Go benchmarks' payloads: image 0, or the rollup plug-in's sample batch (rollup.Plugin.SamplePayload). */
    private static byte[] samplePayload(Circuit c) throws Exception {
        if (c.name().equals("digits-mlp")) {
            return io.procura.runtime.DigitsDataset.load(Path.of(System.getProperty("procura.home", ".."))
                    .toAbsolutePath().normalize().resolve("data/digits.csv.gz")).get(0).pixels();
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(c.payloadBytes());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("procura\\.rollup\\.d(\\d+)\\..*").matcher(c.id());
        if (!m.matches()) throw new IllegalArgumentException("no sample payload for " + c.name());
        int n = 1 << Integer.parseInt(m.group(1)); // 2^depth balances
        for (int i = 0; i < n; i++) {
            b.putLong(100L * (i + 1));
        }
        for (int t = 0; b.remaining() >= 16; t++) {
            b.putInt(t).putInt(t + 5).putLong(50L + 100L * t);
        }
        return b.array();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (fresh != null) fresh.close();
        else if (pk != null) pk.close();
    }

    @Benchmark
    public Object prove() {
        if (plugin == null) return runtime.proveDigits(pk, model, payload, binding);
        return runtime.prove(plugin, pk, payload, binding);
    }
}
