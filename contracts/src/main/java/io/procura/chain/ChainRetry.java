package io.procura.chain;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import org.web3j.protocol.exceptions.TransactionException;

/**
 * Bounded retries with exponential backoff for chain calls whose failure may be transient (the node unreachable, a
 * timeout: an {@link IOException} anywhere in the cause chain). A revert ({@link TransactionException}, or any other
 * failure) is deterministic: it is never retried, so a refused transaction is reported at once with its decoded
 * error instead of being sent again.
 */
public final class ChainRetry {
    private ChainRetry() {
    }

    /**
     * Runs {@code op}, retrying a transient failure up to {@code attempts} times in all, waiting {@code firstDelay},
     * then twice as long each time, while {@code worthIt} holds (for a proof: while the prove window is open).
     *
     * @param what       what is attempted, for the error message
     * @param attempts   the most calls, {@code >= 1}
     * @param firstDelay the wait before the second call
     * @param worthIt    checked before every retry; false stops retrying
     * @param op         the call
     * @param <T>        its result
     * @return the first successful result
     * @throws ChainException with the last failure (decoded) when a call fails deterministically, or transiently
     *                        {@code attempts} times, or when retrying is no longer worth it
     */
    public static <T> T call(String what, int attempts, Duration firstDelay, BooleanSupplier worthIt, Callable<T> op) {
        if (attempts < 1) throw new IllegalArgumentException("attempts must be >= 1, got " + attempts);
        long delay = firstDelay.toMillis();
        for (int k = 1; ; k++) {
            try {
                return op.call();
            } catch (Exception e) {
                boolean last = k >= attempts || !isTransient(e);
                if (last || !worthIt.getAsBoolean()) {
                    String tries = k == 1 ? "" : " (after " + k + " attempts)";
                    throw e instanceof ChainException ce && k == 1 ? ce
                            : new ChainException(what + " failed" + tries + ": " + e.getMessage(), e);
                }
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new ChainException(what + " interrupted while retrying", ie);
                }
                delay *= 2;
            }
        }
    }

    /**
     * @param e a failure
     * @return whether it may pass if tried again: an I/O failure anywhere in its causes, and no revert
     */
    public static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TransactionException) return false;
            if (t instanceof IOException) return true;
        }
        return false;
    }
}
