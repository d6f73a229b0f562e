package io.procura.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.procura.app.ops.DeploymentFile;
import io.procura.chain.Tokens;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.WalletUtils;

/**
 * {@code procura prover …} and {@code procura stake …} on anvil, as an operator and a staker run them: keys from
 * keystores (password from an environment variable), amounts in tokens, a refused call exits non-zero with its
 * custom error decoded.
 */
class OperatorCommandsTest {
    private static LocalMarket m;
    @TempDir
    static Path dir;
    private static Path deployment;

    @BeforeAll
    static void market() throws Exception {
        m = new LocalMarket(0);
        deployment = dir.resolve("deployment.json");
        DeploymentFile.write(m.d, deployment);
    }

    @AfterAll
    static void stop() {
        if (m != null) m.close();
    }

    /** A funded key and its keystore file (light scrypt). */
    private static Path keystore(Credentials key) throws Exception {
        Path keys = dir.resolve("keys-" + key.getAddress());
        java.nio.file.Files.createDirectories(keys);
        String file = WalletUtils.generateWalletFile("test-only-password", key.getEcKeyPair(), keys.toFile(), false);
        return keys.resolve(file);
    }

    private static CliRun cli(Path keystore, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--rpc-url", m.chain.rpcUrl(), "--deployment", deployment.toString(), "--keystore",
                keystore.toString(), "--password-env", "PROCURA_TEST_PASSWORD"));
        return CliRun.of(all.toArray(String[]::new));
    }

    @Test
    void shouldRunTheOperatorAndStakerCommands() throws Exception {
        Credentials op = m.fundedKey(Tokens.parse("1000"));
        m.as(op).token().approve(m.d.registry(), Tokens.parse("600")).send();
        m.as(op).registry().register("test://op", new byte[32]).send();
        m.as(op).registry().bond(Tokens.parse("600")).send();
        Path opKeys = keystore(op);
        Credentials staker = m.fundedKey(Tokens.parse("500"));
        Path stakerKeys = keystore(staker);
        String p = op.getAddress();

        CliRun status = cli(opKeys, "prover", "status");
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out()).contains("pool stake   600 tokens", "jailed       no", "commission   100.00%");

        CliRun commission = cli(opKeys, "prover", "commission", "--percent", "10");
        assertThat(commission.exit()).as(commission.err()).isZero();
        assertThat(commission.out()).contains("in force now: 10.00%"); // a decrease applies at once

        CliRun stake = cli(stakerKeys, "stake", "to", "--prover", p, "--amount", "300");
        assertThat(stake.exit()).as(stake.err()).isZero();
        assertThat(stake.out()).contains("your stake there is 300 tokens");
        assertThat(cli(stakerKeys, "stake", "position", "--prover", p).out()).contains("stake        300 tokens");
        assertThat(cli(stakerKeys, "stake", "distribute", "--prover", p).out()).contains("nothing accrued");

        CliRun unstake = cli(stakerKeys, "stake", "unstake", "--prover", p, "--all");
        assertThat(unstake.exit()).as(unstake.err()).isZero();
        assertThat(unstake.out()).contains("unstaking 300 tokens");
        CliRun early = cli(stakerKeys, "stake", "withdraw", "--prover", p);
        assertThat(early.exit()).isNotZero();
        assertThat(early.err()).contains("Registry_").doesNotContain("custom error 0x");

        CliRun unbond = cli(opKeys, "prover", "unbond", "--amount", "100");
        assertThat(unbond.exit()).as(unbond.err()).isZero();
        assertThat(unbond.out()).contains("unbonding 100 tokens");

        m.chain.increaseTime(3601); // the unbonding delay
        CliRun withdrawn = cli(stakerKeys, "stake", "withdraw", "--prover", p);
        assertThat(withdrawn.out()).as(withdrawn.err()).contains("withdrew 300 tokens");
        assertThat(m.as(staker).token().balanceOf(staker.getAddress()).send()).isEqualTo(Tokens.parse("500"));
        CliRun opWithdrawn = cli(opKeys, "prover", "withdraw");
        assertThat(opWithdrawn.out()).as(opWithdrawn.err()).contains("withdrew 100 tokens");
        assertThat(m.as(op).token().balanceOf(p).send()).isEqualTo(Tokens.parse("500"));

        assertThat(cli(opKeys, "prover", "claim").out()).contains("nothing to claim");
        CliRun unjail = cli(opKeys, "prover", "unjail");
        assertThat(unjail.exit()).isNotZero();
        assertThat(unjail.err()).contains("Registry_NotJailed(prover=" + p.toLowerCase());
    }

    @Test
    void shouldRefuseBadArgumentsBeforeAnyTransaction() throws Exception {
        Path keys = keystore(Credentials.create(Keys.createEcKeyPair()));
        assertThat(cli(keys, "prover", "commission", "--percent", "101").err()).contains("between 0 and 100");
        assertThat(cli(keys, "stake", "unstake", "--prover", m.owner.getAddress()).err())
                .contains("exactly one of --amount and --all");
        assertThat(cli(keys, "stake", "to", "--prover", "0x123", "--amount", "1").err()).contains("not an address");
    }
}
