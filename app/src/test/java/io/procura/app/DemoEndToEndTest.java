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
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A short demo against real components: embedded PostgreSQL, a real anvil EVM, real Groth16 proofs
 * through the native gnark runtime. Asserts payouts, slashes, refunds and conservation to the unit.
 */
class DemoEndToEndTest {
    private static DemoReport report;
    private static String printed;
    private static DemoOptions options;

    @BeforeAll
    static void runShortDemo() {
        Path home = Path.of("..").toAbsolutePath().normalize();
        // 3 provers, 1 silent designate; extra slots are opened until the faulty one is drawn.
        options = new DemoOptions(3, 1, 2, 25, 100, Tokens.parse("10"), Tokens.parse("1000"), Tokens.parse("500"),
                Tokens.parse("200"), 0.6, FailurePolicy.COMPENSATE_COMMITTEE, 30, null, null, null, home, 0, BigInteger.ZERO);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        report = new DemoRunner(options, new PrintStream(buf, true, StandardCharsets.UTF_8)).run();
        printed = buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldConserveEveryTokenAcrossRegistryAndMarket() {
        DemoReport.Conservation c = report.conservation();
        assertThat(c.ok()).as(printed).isTrue();
        assertThat(c.held()).isEqualTo(c.tokensIn().subtract(c.tokensOut()));
        assertThat(c.held()).isEqualTo(c.bonds().add(c.unclaimed()));
        assertThat(c.unclaimed()).as("everyone claimed").isZero();
        assertThat(report.ok()).isTrue();
    }

    @Test
    void shouldPayEverySlotExactlyByTheDesignatedRule() {
        for (DemoReport.Slot s : report.slots()) {
            if (s.cancelled()) {
                // nobody was drawn: the whole escrow back to the requester, nothing delivered or slashed
                assertThat(s.refunded()).as("slot %s refund", s.slotId()).isEqualTo(s.escrow());
                assertThat(s.slashed()).isZero();
                assertThat(s.deliveries()).isEmpty();
                continue;
            }
            int committeeDeliveries = s.deliveries().size() - (s.designateDelivered() ? 1 : 0);
            Settlement expected = PaymentRule.settle(s.escrow(), s.committeePrize(), s.designateDelivered(),
                    committeeDeliveries, s.designateDelivered() ? BigInteger.ZERO : options.slotBond(),
                    FailurePolicy.COMPENSATE_COMMITTEE);
            assertThat(s.slashed()).as("slot %s slashed", s.slotId()).isEqualTo(expected.slashed());
            assertThat(s.refunded()).as("slot %s refunded", s.slotId()).isEqualTo(expected.requesterRefund());
            if (s.designateDelivered()) {
                assertThat(s.payouts().get(s.designate().toLowerCase())).as("designate payout of slot %s", s.slotId())
                        .isEqualTo(expected.designatePayout());
            } else {
                assertThat(s.payouts()).doesNotContainKey(s.designate().toLowerCase());
            }
            for (String member : s.deliveries()) {
                if (member.equalsIgnoreCase(s.designate())) continue;
                assertThat(s.payouts().get(member.toLowerCase())).as("committee payout of slot %s", s.slotId())
                        .isEqualTo(expected.perCommitteeMemberPayout());
            }
            assertThat(s.balanced()).isTrue();
        }
    }

    @Test
    void shouldWriteTheReportAsJsonWithTheDocumentedFields(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("demo.json");
        DemoCommand.writeJson(report, file);
        var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
        assertThat(root.path("conservation").path("ok").asBoolean()).isTrue();
        assertThat(root.path("conservation").has("tokensIn")).isTrue();
        var slots = root.path("slots");
        assertThat(slots.size()).isEqualTo(report.slots().size());
        for (var s : slots) {
            for (String field : new String[] {"slotId", "designate", "designateDelivered", "deliveries", "payouts", "slashed", "refunded"}) {
                assertThat(s.has(field)).as("slot field %s", field).isTrue();
            }
        }
        var first = report.slots().get(0);
        var firstJson = slots.get(0).path("payouts");
        first.payouts().forEach((account, amount) ->
                assertThat(new BigInteger(firstJson.path(account).asText())).isEqualTo(amount));
    }

    @Test
    void shouldSlashAndJailTheSilentDesignate() {
        DemoReport.Slot failed = report.slots().stream().filter(s -> !s.cancelled() && !s.designateDelivered()).findFirst().orElseThrow();
        assertThat(failed.slashed()).isEqualTo(options.slotBond());
        assertThat(failed.refunded()).isPositive();
        DemoReport.Prover faulty = report.provers().stream().filter(DemoReport.Prover::faulty).findFirst().orElseThrow();
        assertThat(faulty.address()).isEqualToIgnoringCase(failed.designate());
        assertThat(faulty.jailed()).isTrue();
        assertThat(faulty.bondEnd()).isEqualTo(options.bond().subtract(options.slotBond()));
    }

    @Test
    void shouldDrawEveryDesignateAfterItsSlotOpened() {
        assertThat(report.settings().get("drawDelayBlocks")).isEqualTo(io.procura.app.demo.DemoRunner.DRAW_DELAY);
        for (DemoReport.Slot s : report.slots()) {
            assertThat(s.drawBlock()).as("slot %s draw block", s.slotId()).isPositive();
            if (!s.cancelled()) {
                assertThat(report.accounts()).as("slot %s designate is one of the agents", s.slotId()).containsKey(s.designate());
                assertThat(s.designateName()).startsWith("prover-");
            }
        }
        assertThat(printed).contains("drawn from block");
    }

    @Test
    void shouldProveTheClassifiersAnswerWithRealProofs() {
        for (DemoReport.Slot s : report.slots()) {
            if (s.deliveries().isEmpty()) continue;
            if (s.circuit().equals("digits") || s.circuit().equals(Deployer.MLP_CIRCUIT)) {
                assertThat(s.predictedClass()).isBetween(0, 9);
            } else {
                assertThat(s.circuit()).isEqualTo(Deployer.ROLLUP_CIRCUIT); // every third slot: a rollup batch
                assertThat(s.imageIndex()).isEqualTo(-1);
            }
            assertThat(s.proveMillis()).allSatisfy(ms -> assertThat(ms).isPositive());
            assertThat(s.submitProofGas()).allSatisfy(g -> assertThat(g).isBetween(150_000L, 1_000_000L));
        }
        Map<String, BigInteger> anyPayouts = report.slots().get(0).payouts();
        assertThat(anyPayouts).isNotEmpty();
        assertThat(printed).contains("every token is accounted for");
    }
}
