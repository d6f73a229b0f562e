package io.procura.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.exceptions.TransactionException;

/** Transient failures are retried a bounded number of times; reverts never. */
class ChainRetryTest {
    private static final Duration D = Duration.ofMillis(1);

    @Test
    void shouldRetryTransientFailuresUntilOneCallPasses() {
        AtomicInteger calls = new AtomicInteger();
        String r = ChainRetry.call("submitProof", 4, D, () -> true, () -> {
            if (calls.incrementAndGet() < 3) throw new ConnectException("connection refused");
            return "ok";
        });
        assertThat(r).isEqualTo("ok");
        assertThat(calls).hasValue(3);
    }

    @Test
    void shouldNeverRetryARevert() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> ChainRetry.call("submitProof", 4, D, () -> true, () -> {
            calls.incrementAndGet();
            throw new TransactionException("reverted: custom error 0x1cd6bd4f: "
                    + "0000000000000000000000000000000000000000000000000000000000000005"
                    + "000000000000000000000000df66c6ce8fe8e796372dea492f8300ebab0d8ee1");
        })).isInstanceOf(ChainException.class).hasMessageContaining("Market_NoCommitteeShare(slotId=5");
        assertThat(calls).hasValue(1);
    }

    @Test
    void shouldGiveUpAfterTheLastAttemptOrWhenNoLongerWorthIt() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> ChainRetry.call("claim", 3, D, () -> true, () -> {
            calls.incrementAndGet();
            throw new IOException("timeout");
        })).isInstanceOf(ChainException.class).hasMessageContaining("claim failed (after 3 attempts): timeout");
        assertThat(calls).hasValue(3);
        calls.set(0);
        assertThatThrownBy(() -> ChainRetry.call("submitProof", 5, D, () -> calls.get() < 2, () -> {
            calls.incrementAndGet();
            throw new RuntimeException(new IOException("node down"));
        })).isInstanceOf(ChainException.class);
        assertThat(calls).as("stopped once the window closed").hasValue(2);
    }
}
