package io.procura.app.ops;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * {@code GET /metrics} in Prometheus' text exposition format (version 0.0.4) for a process without the coordinator's
 * API (a prover agent): a Prometheus registry joined to Micrometer's global one, which the agent and the chain client
 * record into, served by the JDK's HTTP server on one thread.
 */
final class MetricsEndpoint implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpServer server;
    private final java.util.concurrent.ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "metrics-endpoint");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param host the address to listen on (127.0.0.1 by default; 0.0.0.0 for a scraper on another host)
     * @param port the TCP port, 0 for any free one
     * @throws IOException if the port cannot be bound
     */
    MetricsEndpoint(String host, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 16);
        server.createContext("/metrics", exchange -> {
            try (exchange) {
                if (!"GET".equals(exchange.getRequestMethod())) {
                    exchange.getResponseHeaders().set("Allow", "GET");
                    exchange.sendResponseHeaders(405, -1);
                    return;
                }
                byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.setExecutor(executor);
        Metrics.addRegistry(registry);
        server.start();
    }

    /** @return the URL it serves */
    String url() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + "/metrics";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        Metrics.removeRegistry(registry);
        registry.close();
    }
}
