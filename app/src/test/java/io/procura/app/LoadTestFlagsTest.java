package io.procura.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** `procura loadtest` refuses a bad option before it starts anything, naming the option, with picocli's usage exit (2). */
class LoadTestFlagsTest {
    @Test
    void shouldRefuseBadOptionsBeforeStartingAnything() {
        String[][] cases = {
            {"--slots", "0", "--slots"},
            {"--agents", "1", "--agents"},
            {"--faulty-fraction", "1", "--faulty-fraction"},
            {"--faulty-fraction", "-0.1", "--faulty-fraction"},
            {"--concurrency", "0", "--concurrency"},
            {"--circuit", "rollup-2^22", "--circuit"},
            {"--prove-threads", "0", "--prove-threads"},
            {"--api-rate", "-5", "--api-rate"},
            {"--prove-window", "5", "--prove-window"},
            {"--slot-bond", "900", "--slot-bond"},
            {"--proof-price", "ten", "--proof-price"},
        };
        for (String[] c : cases) {
            CliRun r = CliRun.of("loadtest", c[0], c[1]);
            assertThat(r.exit()).as(c[0] + " " + c[1]).isEqualTo(2);
            assertThat(r.err()).as(c[0] + " " + c[1]).contains(c[2]);
            assertThat(r.out()).as("nothing started").doesNotContain("Procura load test:");
        }
    }
}
