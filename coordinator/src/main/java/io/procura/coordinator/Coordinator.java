package io.procura.coordinator;

import io.procura.chain.ChainClient;
import io.procura.chain.Deployment;
import io.procura.db.Store;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;

/**
 * The coordinator service (DESIGN.md §5), wired in one place: the chain indexer and the settlement
 * keeper (which also draws and cancels slots) on a background scheduler, the quote service, and the HTTP API. A convenience, never a
 * trusted party: the contracts enforce every payment and every slash.
 *
 * <p>{@link #start()} and {@link #close()} are idempotent.
 */
public final class Coordinator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

    /**
     * Coordinator settings.
     *
     * @param honestFraction {@code alpha} used for quotes
     * @param confirmations  blocks the indexer waits before indexing
     * @param pollInterval   how often the indexer and keeper run
     * @param apiPort        HTTP port on 127.0.0.1 (0: any free port; negative: no API)
     */
    public record Settings(double honestFraction, int confirmations, Duration pollInterval, int apiPort) {}

    private final Store store;
    private final ChainIndexer indexer;
    private final SettlementKeeper keeper;
    private final QuoteService quotes;
    private final Settings settings;
    private final Deployment deployment;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile ApiServer api;

    /**
     * @param chain      the chain
     * @param deployment the marketplace
     * @param store      the store
     * @param keeperKey  the key that pays for {@code draw}, {@code cancel} and {@code settle}
     * @param settings   settings
     */
    public Coordinator(ChainClient chain, Deployment deployment, Store store, Credentials keeperKey, Settings settings) {
        this.store = store;
        this.settings = settings;
        this.deployment = deployment;
        this.indexer = new ChainIndexer(chain, deployment, store, settings.confirmations());
        this.keeper = new SettlementKeeper(chain, deployment, store, keeperKey);
        this.quotes = new QuoteService(chain, deployment, settings.honestFraction());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "coordinator");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts indexing, drawing, settling and (if a port is set) the API. Idempotent. */
    public void start() {
        if (!started.compareAndSet(false, true)) return;
        if (settings.apiPort() >= 0) api = ApiServer.start(store, quotes, deployment.digitsCircuitId(), settings.apiPort());
        scheduler.scheduleWithFixedDelay(this::tick, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            indexer.pollOnce();
            keeper.pollOnce();
        } catch (RuntimeException e) {
            LOG.warn("coordinator tick failed (will retry): {}", io.procura.chain.Reverts.describe(e.getMessage()));
        }
    }

    /**
     * Indexes, draws, cancels and settles once, and indexes again, waiting for it (tests and the demo use
     * it to catch up).
     * Runs on the coordinator's own thread when started, so it never races the scheduled work.
     */
    public void syncNow() {
        try {
            scheduler.submit(() -> {
                indexer.pollOnce();
                keeper.pollOnce();
                indexer.pollOnce();
            }).get();
        } catch (Exception e) {
            throw new IllegalStateException("coordinator sync failed: " + e.getMessage(), e);
        }
    }

    /** @return the store */
    public Store store() {
        return store;
    }

    /** @return the quote service */
    public QuoteService quotes() {
        return quotes;
    }

    /** @return the API port, or -1 when the API is off */
    public int apiPort() {
        ApiServer a = api;
        return a == null ? -1 : a.port();
    }

    /** Stops everything. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        scheduler.shutdownNow();
        ApiServer a = api;
        if (a != null) a.close();
    }
}
