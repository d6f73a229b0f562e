package io.procura.mechanism.bench;

import io.procura.mechanism.DesignatedMechanism;
import io.procura.mechanism.DesignatedOptimum;
import io.procura.mechanism.FailurePolicy;
import io.procura.mechanism.SymmetricMechanism;
import io.procura.mechanism.SymmetricOptimum;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH benchmarks of the optimisers (docs/BENCHMARKS.md, "Mechanism"): the designated optimum and
 * the symmetric bound for {@code n = 10,000}, LP1 for {@code n = 50}. Settings: {@code h = 2n/3},
 * {@code C = 10^6} unless named otherwise. Run with the command in docs/BENCHMARKS.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MechanismBenchmark {

  /** Full committee {@code m = n - 1} (what the coordinator quotes), n = 10,000, PAPER, B = 0. */
  @Benchmark
  public DesignatedOptimum fullCommitteePaper10k() {
    return DesignatedMechanism.optimizeFullCommittee(10_000, 6_667, 1e6, 0, FailurePolicy.PAPER);
  }

  /** Full committee, n = 10,000, COMPENSATE_COMMITTEE with B = 500 (scan + Brent path). */
  @Benchmark
  public DesignatedOptimum fullCommitteeCompensateStaked10k() {
    return DesignatedMechanism.optimizeFullCommittee(10_000, 6_667, 1e6, 500,
        FailurePolicy.COMPENSATE_COMMITTEE);
  }

  /** General PROG5 over every m in [k, n-1], n = 10,000, PAPER, B = 0: one root search per m. */
  @Benchmark
  public DesignatedOptimum generalPaper10k() {
    return DesignatedMechanism.optimize(10_000, 6_667, 1e6, 0, FailurePolicy.PAPER);
  }

  /** General PROG5, n = 1,000, COMPENSATE_COMMITTEE with B = 500: a scan of 2,049 points per m. */
  @Benchmark
  public DesignatedOptimum generalCompensateStaked1k() {
    return DesignatedMechanism.optimize(1_000, 667, 1e6, 500, FailurePolicy.COMPENSATE_COMMITTEE);
  }

  /** Symmetric lower bound over every m in (k, n], n = 10,000, B = 0. */
  @Benchmark
  public SymmetricOptimum symmetricBound10k() {
    return SymmetricMechanism.optimizeBound(10_000, 6_667, 1e6, 0);
  }

  /** One LP1 solve (Hipparchus simplex), n = 50, h = 33, m = 50, p = 0.3, C = 10^4. */
  @Benchmark
  public SymmetricOptimum lpOneSolve50() {
    return SymmetricMechanism.implementableRule(50, 33, 50, 0.3, 1e4);
  }

  /** The best implementable symmetric rule (LP1 over m and p), n = 50, h = 33, C = 10^4. */
  @Benchmark
  public SymmetricOptimum lpOptimum50() {
    return SymmetricMechanism.optimizeImplementable(50, 33, 1e4);
  }
}
