package io.procura.app.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.procura.app.Deployer;
import io.procura.chain.Tokens;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Option parsing of the operator commands (no chain needed) and the deploy parameters' checks. */
class OpsCommandsTest {

    @Test
    void deployShouldDefaultTheCircuitTermsDrawDelayAndJailCooldown() {
        DeployCommand cmd = new DeployCommand();
        new CommandLine(cmd).parseArgs("--rpc-url", "http://127.0.0.1:8545", "--private-key-env", "DEV");
        assertThat(cmd.drawDelay).isEqualTo(5);
        assertThat(cmd.jailCooldown).isEqualTo(86_400);
        assertThat(Tokens.parse(cmd.minProofPrice)).isEqualTo(Tokens.parse("10"));
        assertThat(cmd.minProveWindow).isEqualTo(30);
        assertThat(cmd.maxProveWindow).isEqualTo(600).isLessThan(cmd.unbondingDelay);
        new CommandLine(cmd).parseArgs("--rpc-url", "x", "--draw-delay", "2", "--jail-cooldown", "60", "--min-proof-price", "2.5",
                "--min-prove-window", "10", "--max-prove-window", "120");
        assertThat(cmd.drawDelay).isEqualTo(2);
        assertThat(cmd.jailCooldown).isEqualTo(60);
        assertThat(Tokens.parse(cmd.minProofPrice)).isEqualTo(Tokens.parse("2.5"));
        assertThat(cmd.maxProveWindow).isEqualTo(120);
    }

    @Test
    void deployShouldNoLongerTakeRequesters() {
        assertThatThrownBy(() -> new CommandLine(new DeployCommand()).parseArgs("--rpc-url", "x", "--requester", "0x" + "11".repeat(20)))
                .isInstanceOf(CommandLine.UnmatchedArgumentException.class).hasMessageContaining("--requester");
    }

    @Test
    void agentShouldTakeAListOfCircuitsOrNoneForTheDefault() {
        AgentCommand cmd = new AgentCommand();
        new CommandLine(cmd).parseArgs("--rpc-url", "x", "--deployment", "d.json", "--circuits", "0,1");
        assertThat(cmd.circuits).containsExactly(BigInteger.ZERO, BigInteger.ONE);
        AgentCommand dflt = new AgentCommand();
        new CommandLine(dflt).parseArgs("--rpc-url", "x", "--deployment", "d.json");
        assertThat(dflt.circuits).as("absent: every circuit the agent holds keys for").isNull();
    }

    @Test
    void deployParametersShouldKeepTheLongestProveWindowBelowTheUnbondingDelay() {
        Deployer.CircuitTerms terms = new Deployer.CircuitTerms(Tokens.parse("10"), 30, 3600);
        assertThatThrownBy(() -> new Deployer.Params(Tokens.parse("500"), 3600, Tokens.parse("200"), 1, BigInteger.ONE,
                BigInteger.ZERO, 5, 86_400, terms)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("below the unbonding delay");
        assertThatThrownBy(() -> new Deployer.Params(Tokens.parse("500"), 3601, Tokens.parse("200"), 1, BigInteger.ONE,
                BigInteger.ZERO, 256, 86_400, terms)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("draw delay");
        assertThatThrownBy(() -> new Deployer.CircuitTerms(BigInteger.ZERO, 30, 60)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Deployer.CircuitTerms(BigInteger.ONE, 61, 60)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Deployer.Params(Tokens.parse("500"), 3601, Tokens.parse("200"), 1, BigInteger.ONE, BigInteger.ZERO, 255,
                0, terms).drawDelay()).isEqualTo(255);
    }
}
