package io.procura.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * `procura demo` refuses a bad flag before it starts anything (PostgreSQL, anvil, the deployment), naming the flag;
 * nothing of the demo is printed. `request` and `circuit setup` check their files before the chain or the setup.
 */
class DemoFlagsTest {
    private static CliRun demo(String... flags) {
        String[] args = new String[flags.length + 1];
        args[0] = "demo";
        System.arraycopy(flags, 0, args, 1, flags.length);
        return CliRun.of(args);
    }

    @Test
    void shouldRefuseBadFlagsBeforeStartingAnything() {
        String[][] cases = {
            {"--honest-fraction", "0", "--honest-fraction"},
            {"--honest-fraction", "1.5", "--honest-fraction"},
            {"--api-port", "70000", "--api-port"},
            {"--liveness-penalty", "Infinity", "--liveness-penalty"},
            {"--faulty", "9", "--faulty"},
            {"--slot-bond", "900", "--slot-bond"},
        };
        for (String[] c : cases) {
            CliRun r = demo(c[0], c[1]);
            assertThat(r.exit()).as(c[0] + " " + c[1]).isNotZero();
            assertThat(r.err()).as(c[0] + " " + c[1]).contains(c[2]);
            assertThat(r.out()).as("nothing started").doesNotContain("Procura demo:");
        }
    }

    @Test
    void otherCommandsShouldCheckTheirFilesBeforeTheirWork() {
        CliRun request = CliRun.of("request", "--rpc-url", "http://127.0.0.1:1", "--private-key-env", "PROCURA_TEST_DEV_KEY",
                "--circuit", "digits", "--payload", "/nonexistent/payload.bin");
        assertThat(request.exit()).isNotZero();
        assertThat(request.err()).as("the payload, not the unreachable chain").contains("cannot read the payload file");
        CliRun setup = CliRun.of("circuit", "setup", "--circuit", "digits", "--out", "/proc/procura-nowhere");
        assertThat(setup.exit()).isNotZero();
        assertThat(setup.err()).contains("cannot write the keys into /proc/procura-nowhere");
        assertThat(setup.out()).as("no setup ran").doesNotContain("running setup");
    }
}
