package io.procura.app.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.procura.chain.Tokens;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The load test, small, against real components: embedded PostgreSQL, anvil, real Groth16 proofs through the native
 * runtime, six agents in one process sharing a proving queue of two, three of them silent designates, four slots in
 * flight, the API load on. (Whether a silent designate is drawn at all depends on block hashes: with 3 of 6 agents
 * faulty, 16 slots miss all three with a chance of about (1/2)^16, 0.0015%.)
 */
class LoadTestRunnerTest {
    private static LoadTestReport report;
    private static String printed;

    @BeforeAll
    static void runSmallLoadTest() {
        Path home = Path.of("..").toAbsolutePath().normalize();
        LoadTestOptions options = new LoadTestOptions(16, 6, 0.5, 4, "digits", 2, 40, 60, 100, Tokens.parse("10"),
                Tokens.parse("1000"), Tokens.parse("500"), Tokens.parse("200"), 0.6, 4, home);
        assertThat(options.faulty()).isEqualTo(3);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        report = new LoadTestRunner(options, new PrintStream(buf, true, StandardCharsets.UTF_8)).run();
        printed = buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everySlotShouldEndAndEveryCheckPass() {
        assertThat(report.failures()).as(printed).isEmpty();
        assertThat(report.ok()).isTrue();
        assertThat(report.slots()).isEqualTo(16);
        assertThat(report.settled() + report.cancelled()).isEqualTo(16);
        assertThat(report.honestMissed()).isZero();
        assertThat(report.faultyDesignated()).as("a silent designate was drawn and slashed").isPositive();
        assertThat(report.jailedAtEnd()).as("each slashed silent designate is jailed").isBetween(1, 3);
        assertThat(printed).contains("procura loadtest: PASSED").contains("[progress]");
    }

    @Test
    void tokensShouldBeConservedToTheUnitAndNothingLeftLocked() {
        var t = report.totals();
        assertThat(t.ok()).isTrue();
        assertThat(t.held()).isEqualTo(t.tokensIn().subtract(t.tokensOut())).isEqualTo(t.bonds().add(t.unclaimed()));
        assertThat(t.locked()).isZero();
        assertThat(t.marketBalance()).as("everyone claimed: the market holds nothing").isZero();
        assertThat(t.unclaimed()).isZero();
        // six bonds of 1000 tokens, less what the silent designates lost (200 tokens a slot)
        assertThat(t.bonds()).isEqualTo(Tokens.parse("6000").subtract(Tokens.parse("200")
                .multiply(java.math.BigInteger.valueOf(report.faultyDesignated()))));
    }

    @Test
    void figuresShouldBePresentAndSane() {
        assertThat(report.designateProofs()).as("one per slot whose designate was honest")
                .isEqualTo(report.settled() - report.faultyDesignated());
        assertThat(report.proofs()).isGreaterThanOrEqualTo(report.slots() - report.faultyDesignated())
                .isEqualTo(report.designateProofs() + report.committeeProofs());
        assertThat(report.queueDesignate() + report.queueCommittee()).as("every accepted proof went through the queue")
                .isGreaterThanOrEqualTo(report.proofs());
        assertThat(report.queuePeak()).isBetween(1, 3);
        assertThat(report.loadSeconds()).isPositive().isLessThan(report.wallSeconds());
        assertThat(report.slotsPerMinute()).isCloseTo(16 / (report.loadSeconds() / 60), org.assertj.core.data.Offset.offset(0.01));
        assertThat(report.proofsPerMinute()).isCloseTo(report.proofs() / (report.loadSeconds() / 60),
                org.assertj.core.data.Offset.offset(0.01));
        assertThat(report.submitGasMin()).isGreaterThan(100_000).isLessThanOrEqualTo(report.submitGasMean());
        assertThat(report.submitGasMax()).isGreaterThanOrEqualTo(report.submitGasMean()).isLessThan(1_000_000);
        assertThat(report.peakRssBytes()).as("VmHWM").isGreaterThan(50L << 20);
        assertThat(report.api()).isNotNull();
        assertThat(report.api().requests()).as("about 40/s over the run").isGreaterThan((long) (report.loadSeconds() * 20));
        assertThat(report.api().errors()).as(report.api().statuses().toString()).isZero();
        assertThat(report.api().p99Millis()).isGreaterThanOrEqualTo(report.api().p50Millis()).isPositive();
        assertThat(report.clockAdvances()).isPositive();
        assertThat(report.forcedAdvances()).isZero();
    }

    @Test
    void percentilesShouldBeNearestRank() {
        long[] ms = new long[100];
        for (int i = 0; i < 100; i++) ms[i] = (i + 1) * 1_000_000L;
        assertThat(ApiLoad.percentile(ms, 0.50)).isEqualTo(50.0);
        assertThat(ApiLoad.percentile(ms, 0.99)).isEqualTo(99.0);
        assertThat(ApiLoad.percentile(new long[0], 0.99)).isZero();
    }
}
