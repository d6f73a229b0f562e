package io.procura.db;

import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Objects;

/**
 * Where the repositories' SQL runs: on a pool (each call its own transaction) or on one {@link Handle} bound to a
 * transaction that {@link Store#callInTransaction} opened. Translates JDBI's exceptions into {@link StoreException}s
 * that say what was being done.
 */
final class Session {

    private final Jdbi jdbi;
    /** Non-null when this session is bound to one transaction. */
    private final Handle bound;
    private volatile boolean finished;

    private Session(Jdbi jdbi, Handle bound) {
        this.jdbi = jdbi;
        this.bound = bound;
    }

    /** A session on a pool: every {@link #call} runs in a transaction of its own. */
    static Session pooled(DataSource dataSource) {
        return new Session(configure(Jdbi.create(Objects.requireNonNull(dataSource, "dataSource"))), null);
    }

    /** A session bound to {@code handle}, which has a transaction open. */
    Session bind(Handle handle) {
        return new Session(jdbi, handle);
    }

    boolean isBound() {
        return bound != null;
    }

    /** Marks a bound session as over: any later call fails. */
    void finish() {
        finished = true;
    }

    Jdbi jdbi() {
        return jdbi;
    }

    /**
     * How Procura's values travel: {@link BigInteger} (uint256) as {@code numeric} both ways, lists of them as
     * {@code numeric[]}, lists of strings as {@code text[]}.
     */
    private static Jdbi configure(Jdbi jdbi) {
        jdbi.registerArgument(new AbstractArgumentFactory<BigInteger>(Types.NUMERIC) {
            @Override
            protected Argument build(BigInteger value, ConfigRegistry config) {
                return (position, statement, ctx) -> statement.setBigDecimal(position, new BigDecimal(value));
            }
        });
        jdbi.registerColumnMapper(BigInteger.class, (rs, column, ctx) -> Rows.big(rs.getBigDecimal(column)));
        jdbi.registerArrayType(BigInteger.class, "numeric", BigDecimal::new);
        jdbi.registerArrayType(String.class, "text");
        return jdbi;
    }

    /**
     * Runs one unit of SQL: on the bound handle, or atomically on a pooled connection.
     *
     * @param what what is being done, for the error message
     * @param work the statements
     * @throws StoreException when a statement fails (naming {@code what}) or the session's transaction is over;
     *                        a {@link StoreException} thrown by {@code work} passes unchanged
     */
    <T> T call(String what, HandleCallback<T, RuntimeException> work) {
        if (bound != null) {
            checkActive();
            try {
                return work.withHandle(bound);
            } catch (JdbiException e) {
                throw failure(what, e);
            }
        }
        try {
            return jdbi.inTransaction(work);
        } catch (JdbiException e) {
            throw failure(what, e);
        }
    }

    /** Like {@link #call}, with nothing to return. */
    void run(String what, java.util.function.Consumer<Handle> work) {
        call(what, h -> {
            work.accept(h);
            return null;
        });
    }

    private void checkActive() {
        if (finished) {
            throw new StoreException("This Store was bound to a transaction that has already ended");
        }
    }

    /** A {@link StoreException} for a failed statement, with a hint for the constraint violations callers can cause. */
    static StoreException failure(String what, JdbiException e) {
        SQLException sql = null;
        for (Throwable t = e; t != null && sql == null; t = t.getCause()) {
            if (t instanceof SQLException s) sql = s;
        }
        if (e instanceof ConnectionException) {
            return new StoreException("Could not get a database connection (" + what + "): "
                    + (sql != null ? sql.getMessage() : e.getMessage()), e);
        }
        String state = sql == null ? null : sql.getSQLState();
        String hint = "";
        if ("23503".equals(state)) {
            hint = " (a referenced row is missing: is the slot stored?)";
        } else if ("23514".equals(state) || "23502".equals(state)) {
            hint = " (a value violates a schema constraint)";
        }
        return new StoreException(what + " failed" + hint + ": " + (sql != null ? sql.getMessage() : e.getMessage()), e);
    }
}
