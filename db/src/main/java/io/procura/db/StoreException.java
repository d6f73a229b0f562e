package io.procura.db;

/**
 * Unchecked failure of the Procura store: the embedded server could not start, a migration
 * failed, a SQL statement failed, or a value handed to the store is out of range (a negative or
 * larger-than-uint256 amount, a malformed address or hash, a missing slot).
 */
public class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message only.
     *
     * @param message what went wrong, in words
     */
    public StoreException(String message) {
        super(message);
    }

    /**
     * Creates an exception that wraps its cause.
     *
     * @param message what went wrong, in words
     * @param cause   the underlying exception (usually an {@link java.sql.SQLException})
     */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
