package io.procura.app.ops;

import io.procura.chain.ChainClient;
import io.procura.chain.Deployment;
import io.procura.coordinator.Coordinator;
import io.procura.db.Database;
import io.procura.db.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code procura coordinator}: the indexer, settlement keeper and HTTP API for one deployed marketplace, until stopped. */
@Command(name = "coordinator", mixinStandardHelpOptions = true,
        description = "Run a coordinator (chain indexer into PostgreSQL, keeper that draws, cancels and settles slots, HTTP API) until Ctrl-C.")
public final class CoordinatorCommand implements Callable<Integer> {
    @Mixin
    MarketConnection market;
    @Option(names = "--jdbc-url", description = "external PostgreSQL (credentials in the URL); default: embedded")
    String jdbcUrl;
    @Option(names = "--data-dir", description = "embedded PostgreSQL data directory, kept across restarts (the index is "
            + "bound to its chain and deployment; a server left running by a killed coordinator is stopped first) "
            + "[default: $XDG_DATA_HOME or ~/.local/share, then procura/coordinator/<chain id>-<market>/postgres]")
    Path dataDir;
    @Option(names = "--api-port", defaultValue = "8080", description = "HTTP port of the API [default: ${DEFAULT-VALUE}]")
    int apiPort;
    @Option(names = "--api-host", defaultValue = "127.0.0.1", description = "address the API listens on: 127.0.0.1 "
            + "(this machine only) or 0.0.0.0 (every interface, e.g. in a container; put a proxy with TLS in front of it "
            + "on a public network) [default: ${DEFAULT-VALUE}]")
    String apiHost;
    @Option(names = "--honest-fraction", defaultValue = "0.6", description = "alpha = h/n for quotes [default: ${DEFAULT-VALUE}]")
    double honestFraction;
    @Option(names = "--confirmations", defaultValue = "0", description = "blocks to wait before indexing; 0 suits a local dev chain, use 12 or more on a public chain "
                    + "(the indexer does not yet roll back reorganised blocks) [default: ${DEFAULT-VALUE}]")
    int confirmations;
    @Option(names = "--fresh-index", description = "if the database holds the index of another chain or deployment (a "
            + "redeployed dev chain with the same addresses), drop it and index this one (default: refuse to start)")
    boolean freshIndex;
    @Option(names = "--poll-ms", defaultValue = "1000", description = "indexer and keeper poll interval, ms [default: ${DEFAULT-VALUE}]")
    long pollMs;

    @Override
    public Integer call() throws Exception {
        Deployment d = market.deployment();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
        Path pgDir = dataDir != null ? dataDir : DataDirs.of("coordinator", d, null).resolve("postgres");
        try (Database db = jdbcUrl == null ? Database.embedded(pgDir) : Database.external(jdbcUrl, null, null);
             ChainClient chain = ChainClient.connect(market.rpcUrl);
             Coordinator c = new Coordinator(chain, d, new Store(db.dataSource()), market.key.credentials(),
                     new Coordinator.Settings(honestFraction, confirmations, Duration.ofMillis(pollMs), apiPort, apiHost))) {
            if (chain.chainId() != d.chainId()) {
                throw new IllegalArgumentException("the chain at " + market.rpcUrl + " has id " + chain.chainId() + ", the deployment " + d.chainId());
            }
            c.bindIndex(freshIndex);
            c.start();
            System.out.printf("coordinator for market %s: API on http://%s:%d/v1/slots (Ctrl-C to stop)%n", d.market(),
                    apiHost, c.apiPort());
            stop.await();
        }
        return 0;
    }
}
