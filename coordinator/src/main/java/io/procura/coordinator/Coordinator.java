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
 * The coordinator service (docs/DESIGN.md §5), wired in one place: the chain indexer and the settlement
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
     * @param apiPort        HTTP port (0: any free port; negative: no API)
     * @param apiHost        the address the API listens on: {@code 127.0.0.1} (loopback only, the default) or
     *                       {@code 0.0.0.0} (every interface, as in a container)
     */
    public record Settings(double honestFraction, int confirmations, Duration pollInterval, int apiPort, String apiHost) {
        /** Settings whose API listens on 127.0.0.1 only. */
        public Settings(double honestFraction, int confirmations, Duration pollInterval, int apiPort) {
            this(honestFraction, confirmations, pollInterval, apiPort, ApiServer.LOOPBACK);
        }
    }

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
    private final ChainClient chain;
    private final AtomicBoolean bound = new AtomicBoolean();
    private final CoordinatorMetrics metrics;

    /**
     * @param chain      the chain
     * @param deployment the marketplace
     * @param store      the store
     * @param keeperKey  the key that pays for {@code draw}, {@code cancel} and {@code settle}
     * @param settings   settings
     */
    public Coordinator(ChainClient chain, Deployment deployment, Store store, Credentials keeperKey, Settings settings) {
        this.chain = chain;
        this.store = store;
        this.settings = settings;
        this.deployment = deployment;
        this.indexer = new ChainIndexer(chain, deployment, store, settings.confirmations());
        this.keeper = new SettlementKeeper(chain, deployment, store, keeperKey);
        this.quotes = new QuoteService(chain, deployment, settings.honestFraction());
        this.metrics = new CoordinatorMetrics(); // last: a constructor that throws leaves no registry behind
        indexer.setMetrics(metrics);
        keeper.setMetrics(metrics);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "coordinator");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts indexing, drawing, settling and (if a port is set) the API. Idempotent. */
    public void start() {
        if (!started.compareAndSet(false, true)) return;
        bindIndex(false);
        if (settings.apiPort() >= 0) {
            api = ApiServer.start(store, quotes, new RegistryView(chain, deployment), deployment.digitsCircuitId(),
                    settings.apiHost(), settings.apiPort(), metrics);
        }
        scheduler.scheduleWithFixedDelay(this::tick, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Makes sure the database's index belongs to this chain and deployment before anything is indexed: an unbound
     * index is bound (one written before bindings existed is emptied first: nothing tells whose it is); an index of
     * another chain, market or deployment block hash (a redeployed dev chain with the same addresses) is refused, or
     * emptied and re-bound when {@code freshOnMismatch}. {@link #start()} runs it (refusing); call it first with
     * {@code true} to start a fresh index instead. Idempotent.
     *
     * @param freshOnMismatch drop an index of another chain or deployment instead of refusing it
     * @throws IllegalStateException when the index belongs elsewhere and {@code freshOnMismatch} is false
     * @throws io.procura.chain.ChainException when the chain has no deployment block (not this deployment's chain)
     */
    public void bindIndex(boolean freshOnMismatch) {
        if (bound.get()) return;
        io.procura.db.IndexBinding here = currentBinding();
        java.util.Optional<io.procura.db.IndexBinding> stored = store.cursors().binding();
        if (stored.isEmpty()) {
            if (store.cursors().cursor(indexer.cursorName()).isPresent()) {
                LOG.warn("the index has no binding (an older coordinator wrote it): starting a fresh index");
                store.cursors().resetIndex();
            }
            store.cursors().bind(here);
        } else if (!stored.get().equals(here)) {
            io.procura.db.IndexBinding old = stored.get();
            String what = "the index in this database belongs to chain " + old.chainId() + ", market " + old.market()
                    + ", deployment block " + old.deployBlock() + " (hash " + old.deployBlockHash() + "); the chain now is "
                    + here.chainId() + ", market " + here.market() + ", block " + here.deployBlock() + " (hash "
                    + here.deployBlockHash() + ")";
            if (!freshOnMismatch) {
                throw new IllegalStateException(what + ": another chain or a redeployment. Start with --fresh-index to "
                        + "drop the old index, or use another database (--data-dir, --jdbc-url)");
            }
            LOG.warn("{}: dropping the old index (--fresh-index)", what);
            store.cursors().resetIndex();
            store.cursors().bind(here);
        }
        bound.set(true);
    }

    private io.procura.db.IndexBinding currentBinding() {
        String hash = chain.blockHash(deployment.deployBlock());
        if (hash == null) {
            throw new io.procura.chain.ChainException("the chain has no block " + deployment.deployBlock()
                    + " (the deployment's first block): it is not this deployment's chain");
        }
        return new io.procura.db.IndexBinding(chain.chainId(), deployment.market(),
                deployment.deployBlock().longValueExact(), hash);
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
        metrics.close();
    }

    /** @return the coordinator's metrics (what {@code GET /metrics} serves) */
    public CoordinatorMetrics metrics() {
        return metrics;
    }
}
