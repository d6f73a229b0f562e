package io.procura.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.procura.agent.ProverAgent;
import io.procura.chain.ChainException;
import io.procura.chain.Tokens;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

/**
 * {@code --bond} is a target: an agent restarted with the README's command bonds nothing more (it used to add the
 * amount again, and failed once the key ran out of tokens with a raw selector), a higher target bonds only the
 * shortfall, and a target the key cannot fund fails before any transaction, with the shortfall in tokens.
 */
class AgentBondTargetTest {
    private static LocalMarket m;

    @BeforeAll
    static void market() throws Exception {
        m = new LocalMarket(0);
    }

    @AfterAll
    static void stop() {
        if (m != null) m.close();
    }

    private static void start(Credentials key, String bondTokens) {
        try (ProverAgent agent = m.agent(key, bondTokens, Set.of(), o -> {})) {
            agent.registerAndBond();
        }
    }

    @Test
    void shouldTopUpToTheTargetOnly() throws Exception {
        Credentials key = m.fundedKey(Tokens.parse("1000"));
        var registry = m.as(key).registry();
        var token = m.as(key).token();
        start(key, "600");
        assertThat(registry.stakeOf(key.getAddress(), key.getAddress()).send()).isEqualTo(Tokens.parse("600"));
        start(key, "600"); // the README's command again, after a restart
        assertThat(registry.stakeOf(key.getAddress(), key.getAddress()).send()).isEqualTo(Tokens.parse("600"));
        assertThat(token.balanceOf(key.getAddress()).send()).isEqualTo(Tokens.parse("400"));
        start(key, "900");
        assertThat(registry.stakeOf(key.getAddress(), key.getAddress()).send()).isEqualTo(Tokens.parse("900"));
        assertThat(token.balanceOf(key.getAddress()).send()).isEqualTo(Tokens.parse("100"));
        start(key, "0"); // keep the current bond
        assertThat(registry.stakeOf(key.getAddress(), key.getAddress()).send()).isEqualTo(Tokens.parse("900"));
        assertThatThrownBy(() -> start(key, "2000")).isInstanceOf(ChainException.class)
                .hasMessageContaining("bonding up to 2000 tokens needs 1100 more").hasMessageContaining("holds 100 tokens");
        assertThat(registry.stakeOf(key.getAddress(), key.getAddress()).send()).isEqualTo(Tokens.parse("900"));
    }
}
