package io.procura.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.procura.chain.MarketContracts;
import io.procura.chain.Tokens;
import io.procura.contracts.generated.DemoToken;
import java.math.BigInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

/**
 * Fees are read from the node for every transaction: after the base fee rose 100-fold under a long-running process,
 * its contracts (MarketContracts) still send, where a fee fixed when they were loaded is refused.
 */
class LiveFeeTest {
    private static LocalMarket m;

    @BeforeAll
    static void market() throws Exception {
        m = new LocalMarket(0);
    }

    @AfterAll
    static void stop() {
        if (m != null) m.close();
    }

    @Test
    void shouldSendAfterTheBaseFeeRose() throws Exception {
        Credentials key = m.fundedKey(Tokens.parse("10"));
        MarketContracts live = m.as(key); // loaded now, used after the rise
        DemoToken fixed = DemoToken.load(m.d.token(), m.chain.web3j(), m.chain.transactionManager(key),
                m.chain.gasProvider()); // the fee of this moment, as every contract was loaded before
        m.chain.setNextBaseFee(BigInteger.valueOf(100_000_000_000L)); // 100 gwei
        m.chain.mine(1);
        assertThatThrownBy(() -> fixed.approve(m.d.registry(), BigInteger.ONE).send())
                .hasMessageContaining("fee");
        assertThat(live.token().approve(m.d.registry(), BigInteger.TWO).send().isStatusOK()).isTrue();
        assertThat(live.token().allowance(key.getAddress(), m.d.registry()).send()).isEqualTo(BigInteger.TWO);
    }
}
