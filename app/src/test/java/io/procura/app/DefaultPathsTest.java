package io.procura.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.procura.chain.ChainClient;
import io.procura.contracts.FoundryTools;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the CLI writes when no path is given, run as a user runs it (its own JVM, {@code $XDG_DATA_HOME} set): the
 * deployment under {@code procura/deployments/<chain id>.json}, where the market commands find it without
 * {@code --deployment}; keystores under {@code procura/keys}, readable by their owner only; a chain without a deployment
 * named in the error; an output path that cannot be written refused before anything is deployed; reports written
 * without a path under {@code procura/reports}, and a report path that cannot be written refused before the demo runs.
 */
class DefaultPathsTest {
    private static AnvilNode anvil;
    private static AnvilNode other;
    @TempDir
    static Path xdg;

    @BeforeAll
    static void chains() {
        anvil = AnvilNode.start(FoundryTools.anvilBinary(LocalMarket.HOME), 31337);
        other = AnvilNode.start(FoundryTools.anvilBinary(LocalMarket.HOME), 4242);
    }

    @AfterAll
    static void stop() {
        if (anvil != null) anvil.close();
        if (other != null) other.close();
    }

    private record Run(int exit, String out) {}

    private static Run procura(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dprocura.home=" + LocalMarket.HOME, "-cp", System.getProperty("java.class.path"), ProcuraCli.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("XDG_DATA_HOME", xdg.toString());
        pb.environment().put("PROCURA_PASSWORD", "test-only-password");
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldKeepDeploymentsAndKeysInTheUsersDataDirectory() throws Exception {
        Path deployment = xdg.resolve("procura/deployments/31337.json");
        Run deploy = procura("deploy", "--rpc-url", anvil.rpcUrl(), "--private-key-env", "PROCURA_TEST_DEV_KEY");
        assertThat(deploy.exit()).as(deploy.out()).isZero();
        assertThat(deploy.out()).contains("addresses in " + deployment);
        assertThat(deployment).isRegularFile();

        Run key = procura("keystore", "new");
        assertThat(key.exit()).as(key.out()).isZero();
        try (var files = Files.list(xdg.resolve("procura/keys"))) {
            Path keystore = files.findFirst().orElseThrow();
            assertThat(key.out()).contains("keystore " + keystore);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keystore))).isEqualTo("rw-------");
        }
        String address = key.out().lines().filter(l -> l.startsWith("address")).findFirst().orElseThrow().split("\\s+")[1];

        // no --deployment: the one deploy wrote for this chain
        Run fund = procura("fund", "--rpc-url", anvil.rpcUrl(), "--private-key-env", "PROCURA_TEST_DEV_KEY", "--to", address);
        assertThat(fund.exit()).as(fund.out()).isZero();
        assertThat(fund.out()).contains("funded " + address.toLowerCase());

        // a chain with no deployment: the error names the chain and where it looked
        Run none = procura("fund", "--rpc-url", other.rpcUrl(), "--private-key-env", "PROCURA_TEST_DEV_KEY", "--to", address);
        assertThat(none.exit()).isNotZero();
        assertThat(none.out()).contains("no deployment of chain 4242").contains(xdg.resolve("procura/deployments/4242.json").toString());
    }

    @Test
    void shouldWriteReportsWithoutAPathIntoTheReportsFolderAndRefuseAnUnwritableOneFirst() throws Exception {
        Run sweep = procura("mechanism", "sweep", "--n", "5", "--h", "3", "--from", "10", "--to", "1000");
        assertThat(sweep.exit()).as(sweep.out()).isZero();
        try (var dirs = Files.list(xdg.resolve("procura/reports"))) {
            Path out = dirs.filter(d -> d.getFileName().toString().startsWith("sweep-")).findFirst().orElseThrow();
            assertThat(out.resolve("mechanism-sweep.csv")).isRegularFile();
            assertThat(sweep.out()).contains(out.resolve("mechanism-sweep.csv").toString());
        }
        Run demo = procura("demo", "--json", "/proc/procura-nowhere/report.json");
        assertThat(demo.exit()).isNotZero();
        assertThat(demo.out()).contains("cannot write the report /proc/procura-nowhere/report.json")
                .doesNotContain("Procura demo:"); // refused before PostgreSQL, anvil and the deployment start
    }

    @Test
    void shouldRefuseAnUnwritableOutputBeforeDeploying() throws Exception {
        try (ChainClient chain = ChainClient.connect(other.rpcUrl())) {
            String dev = org.web3j.crypto.Credentials.create(AnvilNode.DEV_KEY).getAddress();
            java.math.BigInteger nonce = chain.web3j().ethGetTransactionCount(dev,
                    org.web3j.protocol.core.DefaultBlockParameterName.LATEST).send().getTransactionCount();
            Run deploy = procura("deploy", "--rpc-url", other.rpcUrl(), "--private-key-env", "PROCURA_TEST_DEV_KEY",
                    "--out", "/proc/procura-nowhere/deployment.json");
            assertThat(deploy.exit()).isNotZero();
            assertThat(deploy.out()).contains("cannot write the deployment file /proc/procura-nowhere/deployment.json");
            assertThat(chain.web3j().ethGetTransactionCount(dev, org.web3j.protocol.core.DefaultBlockParameterName.LATEST)
                    .send().getTransactionCount()).as("nothing deployed").isEqualTo(nonce);
        }
    }
}
