package io.procura.chain;

/**
 * Raised when a call to the chain (JSON-RPC, a transaction, a revert) fails. The message names the
 * operation and, where known, the contract, slot and account involved; a revert's custom error is decoded to its
 * name and arguments ({@link Reverts}).
 */
public class ChainException extends RuntimeException {
    /** @param message what failed, with its context (operation, contract, slot, account) */
    public ChainException(String message) {
        super(Reverts.describe(message));
    }

    /**
     * @param message what failed, with its context
     * @param cause   the underlying web3j or I/O error
     */
    public ChainException(String message, Throwable cause) {
        super(Reverts.describe(message), cause);
    }
}
