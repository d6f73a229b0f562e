package io.procura.coordinator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The coordinator's metrics (Micrometer), scraped in Prometheus' text format at {@code GET /metrics} of its API:
 *
 * <ul>
 *   <li>{@code procura_slots_opened_total}, {@code procura_slots_drawn_total}, {@code procura_slots_cancelled_total} and
 *       {@code procura_slots_settled_total{outcome}} ({@code delivered}: by the designate; {@code committee}: the
 *       designate failed, the committee delivered; {@code no_proof}) — counted once per event, when its block is
 *       committed to the index;
 *   <li>{@code procura_deliveries_total{role}} ({@code designate}, {@code committee}) — accepted proofs;
 *   <li>{@code procura_indexer_lag_blocks} — chain head minus the last indexed block, after each successful poll, and
 *       {@code procura_indexer_poll_failures_total} (alert on it: a failed poll leaves the lag as it was); events of
 *       blocks a reorganisation removed were counted and stay counted;
 *   <li>{@code procura_keeper_actions_total{action, result}} — the keeper's {@code draw}, {@code cancel}, {@code
 *       settle} and {@code credit} transactions, {@code ok} or {@code failed};
 *   <li>{@code procura_api_requests_seconds{route, method, status}} — API latency by route template;
 *   <li>{@code procura_rpc_requests_seconds{method}}, {@code procura_rpc_errors_total{method, kind}} — every JSON-RPC
 *       call of the process (recorded by the chain client into Micrometer's global registry, which this registry
 *       joins).
 * </ul>
 */
public final class CoordinatorMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicLong lag = new AtomicLong();

    /** Creates the registry and joins Micrometer's global one (for the chain client's RPC metrics). */
    public CoordinatorMetrics() {
        Metrics.addRegistry(registry);
        Gauge.builder("procura.indexer.lag", lag, AtomicLong::get).baseUnit("blocks")
                .description("Chain head minus the last indexed block").register(registry);
    }

    /** @return the registry (what {@code /metrics} scrapes) */
    public MeterRegistry registry() {
        return registry;
    }

    /** @return every metric in Prometheus' text exposition format */
    public String scrape() {
        return registry.scrape();
    }

    void slotOpened() {
        counter("procura.slots.opened", "Slots opened on the market").increment();
    }

    void slotDrawn() {
        counter("procura.slots.drawn", "Slots whose designate was drawn").increment();
    }

    void slotCancelled() {
        counter("procura.slots.cancelled", "Slots cancelled without a designate (escrow refunded)").increment();
    }

    /** @param designateDelivered whether the designate proved; {@code committeeDeliveries} how many members did */
    void slotSettled(boolean designateDelivered, int committeeDeliveries) {
        String outcome = designateDelivered ? "delivered" : committeeDeliveries > 0 ? "committee" : "no_proof";
        Counter.builder("procura.slots.settled").description("Slots settled, by outcome").tag("outcome", outcome)
                .register(registry).increment();
    }

    void delivery(boolean designate) {
        Counter.builder("procura.deliveries").description("Accepted proofs, by role")
                .tag("role", designate ? "designate" : "committee").register(registry).increment();
    }

    void indexerLag(long blocks) {
        lag.set(Math.max(0, blocks));
    }

    /** A poll of the indexer that failed (the node or the database down): the lag gauge keeps its last value. */
    void indexerPollFailed() {
        counter("procura.indexer.poll.failures", "Indexer polls that failed (node or database unreachable)").increment();
    }

    /** @param action draw, cancel, settle or credit; {@code ok} whether the transaction went through */
    void keeperAction(String action, boolean ok) {
        Counter.builder("procura.keeper.actions").description("Keeper transactions, by action and result")
                .tag("action", action).tag("result", ok ? "ok" : "failed").register(registry).increment();
    }

    /** @param status the HTTP status, or {@code aborted} when the client went away first */
    void apiRequest(String route, String method, String status, long nanos) {
        Timer.builder("procura.api.requests").description("API requests, by route template, method and status")
                .tag("route", route).tag("method", method).tag("status", status)
                .publishPercentileHistogram().register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    /** Leaves the global registry and closes. */
    @Override
    public void close() {
        Metrics.removeRegistry(registry);
        registry.close();
    }
}
