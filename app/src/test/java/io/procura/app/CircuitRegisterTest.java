package io.procura.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.procura.app.ops.DeploymentFile;
import io.procura.chain.Deployment;
import io.procura.chain.Tokens;
import io.procura.contracts.generated.ProcurementMarket;
import io.procura.runtime.Circuit;
import io.procura.verifier.CircuitRegistrar;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import picocli.CommandLine;

/**
 * {@code procura circuit register} on anvil: the verifier exported for the local keys is compiled with the project's
 * solc, deployed, checked against a fresh proof and registered with the family's payload checker, and the deployment
 * file learns the new id; a verifier of other keys, a verifier that accepts anything and a key without the
 * market's CIRCUIT_ADMIN_ROLE are refused before anything is registered.
 */
class CircuitRegisterTest {
    private static LocalMarket m;
    private static final Circuit MLP = Circuit.find(Deployer.MLP_CIRCUIT).orElseThrow();
    private static final Circuit ROLLUP = Circuit.find(Deployer.ROLLUP_CIRCUIT).orElseThrow();
    private static final CircuitRegistrar.Terms TERMS = new CircuitRegistrar.Terms(Tokens.parse("1"), 5, 1200);

    @BeforeAll
    static void market() throws Exception {
        System.setProperty("procura.home", LocalMarket.HOME.toString()); // as the ./procura launcher sets it
        m = new LocalMarket(0);
    }

    @AfterAll
    static void stop() {
        if (m != null) m.close();
    }

    private static CircuitRegistrar registrar(Credentials who) {
        return new CircuitRegistrar(m.chain, m.d, who, m.runtime, LocalMarket.HOME, line -> {});
    }

    private static BigInteger nextCircuitId() throws Exception {
        return m.as(m.owner).market().nextCircuitId().send();
    }

    @Test
    void shouldCompileDeployCheckAndRegisterThroughTheCli(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("deployment.json");
        DeploymentFile.write(m.d, file);
        BigInteger expected = nextCircuitId();
        int exit = new CommandLine(new ProcuraCli()).execute("circuit", "register", "--rpc-url", m.chain.rpcUrl(),
                "--deployment", file.toString(), "--private-key-env", "PROCURA_TEST_DEV_KEY", "--circuit", ROLLUP.name(),
                "--min-price", "2", "--min-window", "30", "--max-window", "900");
        assertThat(exit).isZero();
        Deployment updated = DeploymentFile.read(file);
        assertThat(updated.circuits()).containsEntry(ROLLUP.name(), expected);
        ProcurementMarket market = m.as(m.owner).market();
        var c = market.circuits(expected).send();
        assertThat(c.component2()).isEqualTo(BigInteger.ONE); // one fixed input: the payload commitment
        assertThat(c.component3()).isEqualTo(BigInteger.TWO); // old root, new root
        assertThat(m.chain.web3j().ethGetCode(c.component1(), org.web3j.protocol.core.DefaultBlockParameterName.LATEST)
                .send().getCode()).hasSizeGreaterThan(1000);
        var checker = io.procura.contracts.generated.RollupPayloadChecker.load(c.component5(), m.chain.web3j(),
                m.chain.transactionManager(m.owner), m.chain.gasProvider());
        assertThat(checker.depth().send()).isEqualTo(BigInteger.TWO);
        assertThat(checker.transfers().send()).isEqualTo(BigInteger.ONE);
        var terms = market.circuitTerms(expected).send();
        assertThat(terms.minProofPrice).isEqualTo(Tokens.parse("2"));
        assertThat(terms.minProveWindow).isEqualTo(BigInteger.valueOf(30));
        assertThat(terms.maxProveWindow).isEqualTo(BigInteger.valueOf(900));
    }

    @Test
    void shouldRefuseAVerifierOfOtherKeys() throws Exception {
        BigInteger before = nextCircuitId();
        // the deployment's digits-mlp verifier is a real gnark verifier, of another circuit's keys
        String mlpVerifier = m.as(m.owner).market().circuits(m.d.circuits().get(MLP.name())).send().component1();
        assertThatThrownBy(() -> registrar(m.owner).register(ROLLUP, mlpVerifier, null, TERMS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("refuses a valid rollup-2^14 proof").hasMessageContaining("not the verifier of these keys");
        assertThat(nextCircuitId()).as("nothing registered").isEqualTo(before);
    }

    @Test
    void shouldRefuseAVerifierThatAcceptsAnything() throws Exception {
        BigInteger before = nextCircuitId();
        // init code returning a one-byte runtime code STOP: every call succeeds
        String acceptsAll = m.chain.deployContract(m.owner, HexFormat.of().parseHex("6001600c60003960016000f300"),
                "an accept-anything contract");
        assertThatThrownBy(() -> registrar(m.owner).register(MLP, acceptsAll, null, TERMS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("accepts a digits-mlp proof with a changed output");
        assertThat(nextCircuitId()).as("nothing registered").isEqualTo(before);
    }

    @Test
    void shouldRefuseAKeyWithoutTheCircuitAdminRole() throws Exception {
        BigInteger before = nextCircuitId();
        Credentials stranger = m.fundedKey(BigInteger.ZERO);
        assertThatThrownBy(() -> registrar(stranger).register(ROLLUP, null, "none", TERMS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not hold the market's CIRCUIT_ADMIN_ROLE");
        assertThat(nextCircuitId()).isEqualTo(before);
    }

    @Test
    void shouldCheckTermsBeforeAnyTransaction() {
        assertThatThrownBy(() -> new CircuitRegistrar.Terms(BigInteger.ZERO, 5, 10))
                .hasMessageContaining("minimum proof price");
        assertThatThrownBy(() -> new CircuitRegistrar.Terms(BigInteger.ONE, 10, 5)).hasMessageContaining("prove windows");
        assertThat(Files.exists(LocalMarket.HOME.resolve("contracts/tools/solc"))).isTrue();
    }
}
