package io.procura.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class PrivateCoinTest {
    private static final BigInteger WAD = BigInteger.TEN.pow(18);
    private final byte[] seed = new byte[32];

    @Test
    void shouldDrawTheSameCoinForTheSameKeyAndSlot() {
        PrivateCoin coin = new PrivateCoin(new byte[] {1, 2, 3});
        assertThat(coin.draw(seed, BigInteger.ONE)).isEqualTo(coin.draw(seed, BigInteger.ONE));
        assertThat(coin.draw(seed, BigInteger.ONE)).isNotEqualTo(coin.draw(seed, BigInteger.TWO));
        assertThat(coin.draw(seed, BigInteger.ONE)).isNotEqualTo(new PrivateCoin(new byte[] {9}).draw(seed, BigInteger.ONE));
    }

    @Test
    void shouldProveWithTheMixingProbability() {
        PrivateCoin coin = new PrivateCoin(new byte[] {42});
        BigInteger p = new BigInteger("300000000000000000"); // 0.3
        int n = 20_000;
        int yes = 0;
        for (int i = 0; i < n; i++) {
            if (coin.shouldProve(seed, BigInteger.valueOf(i), p)) yes++;
        }
        double rate = yes / (double) n;
        // 0.3 +- 5 standard deviations of a Bin(20000, 0.3) proportion
        assertThat(rate).isBetween(0.3 - 5 * Math.sqrt(0.21 / n), 0.3 + 5 * Math.sqrt(0.21 / n));
    }

    @Test
    void shouldAlwaysOrNeverProveAtTheEnds() {
        PrivateCoin coin = new PrivateCoin(new byte[] {7});
        for (int i = 0; i < 200; i++) {
            assertThat(coin.shouldProve(seed, BigInteger.valueOf(i), WAD)).isTrue();
            assertThat(coin.shouldProve(seed, BigInteger.valueOf(i), BigInteger.ZERO)).isFalse();
        }
    }

    @Test
    void shouldRejectAProbabilityOutsideTheUnitInterval() {
        PrivateCoin coin = new PrivateCoin(new byte[] {7});
        assertThatThrownBy(() -> coin.shouldProve(seed, BigInteger.ONE, WAD.add(BigInteger.ONE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside");
        assertThatThrownBy(() -> new PrivateCoin(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
