package io.procura.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.procura.app.demo.DemoOptions;
import io.procura.app.demo.DemoReport;
import io.procura.app.demo.DemoRunner;
import io.procura.chain.Tokens;
import io.procura.mechanism.FailurePolicy;
import io.procura.mechanism.PaymentRule;
import io.procura.mechanism.Settlement;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo with correlated slashing on (docs/MECHANISM.md §6): every agent stakes a committee slice into
 * the registry's committee pool, every slot locks {@code correlatedStake} of it, and the silent
 * designate's slot seizes it with the slot bond. Real PostgreSQL, anvil and Groth16 proofs.
 */
class DemoCorrelatedSlashingTest {
    private static final BigInteger CORRELATED = Tokens.parse("50");
    private static DemoReport report;
    private static String printed;
    private static DemoOptions options;

    @BeforeAll
    static void runShortDemoWithCorrelatedSlashing() {
        Path home = Path.of("..").toAbsolutePath().normalize();
        options = new DemoOptions(3, 1, 1, 25, 100, Tokens.parse("10"), Tokens.parse("1000"), Tokens.parse("500"),
                Tokens.parse("200"), 0.6, FailurePolicy.COMPENSATE_COMMITTEE, 30, null, null, null, home, 0, CORRELATED);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        report = new DemoRunner(options, new PrintStream(buf, true, StandardCharsets.UTF_8)).run();
        printed = buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldSeizeTheSlotBondAndTheCorrelatedStakeWhenTheDesignateFails() {
        DemoReport.Slot failed = report.slots().stream().filter(s -> !s.cancelled() && !s.designateDelivered()).findFirst().orElseThrow();
        BigInteger b = options.slotBond().add(CORRELATED);
        assertThat(failed.slashed()).as(printed).isEqualTo(b);
        int committeeDeliveries = failed.deliveries().size();
        Settlement expected = PaymentRule.settle(failed.escrow(), failed.committeePrize(), false, committeeDeliveries, b,
                FailurePolicy.COMPENSATE_COMMITTEE);
        assertThat(failed.refunded()).isEqualTo(expected.requesterRefund());
        for (String member : failed.deliveries()) {
            assertThat(failed.payouts().get(member.toLowerCase())).isEqualTo(expected.perCommitteeMemberPayout());
        }
        assertThat(failed.balanced()).isTrue();
        DemoReport.Prover faulty = report.provers().stream().filter(DemoReport.Prover::faulty).findFirst().orElseThrow();
        assertThat(faulty.bondEnd()).as("its own pool loses only the slot bond").isEqualTo(options.bond().subtract(options.slotBond()));
    }

    @Test
    void shouldConserveEveryTokenWithTheCommitteePoolCounted() {
        DemoReport.Conservation c = report.conservation();
        assertThat(c.ok()).as(printed).isTrue();
        assertThat(c.held()).isEqualTo(c.bonds().add(c.unclaimed()));
        long failures = report.slots().stream().filter(s -> !s.cancelled() && !s.designateDelivered()).count();
        BigInteger poolLeft = CORRELATED.multiply(BigInteger.valueOf(options.provers()))
                .subtract(CORRELATED.multiply(BigInteger.valueOf(failures)));
        BigInteger proverBonds = report.provers().stream().map(DemoReport.Prover::bondEnd).reduce(BigInteger.ZERO, BigInteger::add);
        assertThat(c.bonds()).as("bonds = prover pools + what the committee pool kept").isEqualTo(proverBonds.add(poolLeft));
    }
}
