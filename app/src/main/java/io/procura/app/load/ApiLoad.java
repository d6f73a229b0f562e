package io.procura.app.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * An open-loop HTTP load on the coordinator's API at a fixed rate: each tick sends one GET (in turn
 * {@code /v1/quote}, {@code /v1/slots}, {@code /v1/slots/{id}} of a slot already indexed, {@code /v1/provers}) without
 * waiting for earlier answers, so a slow server shows as latency, not as a lower rate. At most
 * {@link #MAX_IN_FLIGHT} requests wait at once; a tick beyond that is counted as {@code skipped}.
 * Latency is measured from the send to the full body, in the client (java.net.http).
 */
public final class ApiLoad implements AutoCloseable {
    /** Requests outstanding at most; further ticks are skipped (and counted). */
    public static final int MAX_IN_FLIGHT = 512;
    /** A request not answered within this is an error (timeout). */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final String base;
    private final String quotePath;
    private final LongSupplier lastSlot;
    private final HttpClient http;
    private final java.util.concurrent.ExecutorService clientThreads;
    private final ScheduledExecutorService ticker;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger tick = new AtomicInteger();
    private final Object lock = new Object();
    private long[] latencies = new long[1 << 16];
    private int count;
    private long errors;
    private long unavailable;
    private long skipped;
    private final Map<String, Long> statuses = new TreeMap<>();
    private long startedNanos;
    private long stoppedNanos;

    /**
     * Starts the load at once.
     *
     * @param port      the coordinator API's port on 127.0.0.1
     * @param rate      requests per second, {@code > 0}
     * @param circuitId the circuit quoted
     * @param proofPrice the proof price quoted, token base units per proof-cost unit (at least the circuit's minimum, or
     *                   every quote is a 409)
     * @param lastSlot  the highest slot id known to exist (0: none yet; {@code /v1/slots/{id}} then asks for slot 1 and
     *                  may get a 404, counted as an error)
     * @throws IllegalArgumentException if {@code rate <= 0}
     */
    public ApiLoad(int port, double rate, java.math.BigInteger circuitId, java.math.BigInteger proofPrice, LongSupplier lastSlot) {
        if (!(rate > 0)) throw new IllegalArgumentException("--api-rate must be > 0 to start an API load, got " + rate);
        this.base = "http://127.0.0.1:" + port;
        this.quotePath = "/v1/quote?livenessPenalty=100&proofPrice=" + proofPrice + "&circuitId=" + circuitId;
        this.lastSlot = lastSlot;
        this.clientThreads = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "api-load-client");
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).executor(clientThreads).build();
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "api-load");
            t.setDaemon(true);
            return t;
        });
        this.startedNanos = System.nanoTime();
        ticker.scheduleAtFixedRate(this::send, 0, Math.max(1, Math.round(1e9 / rate)), TimeUnit.NANOSECONDS);
    }

    private void send() {
        if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
            inFlight.decrementAndGet();
            synchronized (lock) {
                skipped++;
            }
            return;
        }
        int k = tick.getAndIncrement();
        String path = switch (k % 4) {
            case 0 -> quotePath;
            case 1 -> "/v1/slots?limit=20";
            // a slot already opened (slot ids start at 1); before the first one, the list again
            case 2 -> lastSlot.getAsLong() < 1 ? "/v1/slots?limit=20" : "/v1/slots/" + (1 + Math.floorMod(k * 7919L, lastSlot.getAsLong()));
            default -> "/v1/provers?limit=50";
        };
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT).GET().build();
        long t0 = System.nanoTime();
        http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
            long nanos = System.nanoTime() - t0;
            inFlight.decrementAndGet();
            synchronized (lock) {
                if (count == latencies.length) latencies = Arrays.copyOf(latencies, count * 2);
                latencies[count++] = nanos;
                String key = e != null ? (e.getCause() instanceof IOException || e instanceof IOException ? "io-error" : "error")
                        : String.valueOf(r.statusCode());
                statuses.merge(key, 1L, Long::sum);
                if (e != null || r.statusCode() >= 400) errors++;
                if (r != null && r.statusCode() == 503) unavailable++;
            }
        });
    }

    /**
     * What the load saw so far (or in all, once closed).
     *
     * @param requests     answered or failed requests
     * @param rate         requests per second asked for
     * @param seconds      wall seconds the load ran
     * @param p50Millis    median latency, milliseconds
     * @param p99Millis    99th percentile latency, milliseconds
     * @param maxMillis    highest latency, milliseconds
     * @param errors       requests that failed or answered 4xx/5xx (503 included)
     * @param unavailable  of which 503 (overloaded or a dependency down)
     * @param skipped      ticks not sent because {@link #MAX_IN_FLIGHT} requests were outstanding
     * @param statuses     HTTP status (or {@code io-error}, {@code error}) → count
     */
    public record Summary(long requests, double rate, double seconds, double p50Millis, double p99Millis, double maxMillis,
                          long errors, long unavailable, long skipped, Map<String, Long> statuses) {}

    /**
     * @param rate the rate asked for, requests per second (for the record)
     * @return the figures so far
     */
    public Summary summary(double rate) {
        synchronized (lock) {
            long[] sorted = Arrays.copyOf(latencies, count);
            Arrays.sort(sorted);
            double secs = ((stoppedNanos == 0 ? System.nanoTime() : stoppedNanos) - startedNanos) / 1e9;
            return new Summary(count, rate, secs, percentile(sorted, 0.50), percentile(sorted, 0.99),
                    count == 0 ? 0 : sorted[count - 1] / 1e6, errors, unavailable, skipped, new TreeMap<>(statuses));
        }
    }

    /** Nearest-rank percentile of sorted nanoseconds, in milliseconds (0 when empty). */
    static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) return 0;
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    /** Stops sending and waits up to {@link #REQUEST_TIMEOUT} for the answers outstanding. */
    @Override
    public void close() {
        ticker.shutdownNow();
        long limit = System.nanoTime() + REQUEST_TIMEOUT.toNanos() + 1_000_000_000L;
        while (inFlight.get() > 0 && System.nanoTime() < limit) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        synchronized (lock) {
            if (stoppedNanos == 0) stoppedNanos = System.nanoTime();
        }
        http.shutdownNow(); // the client's own selector thread (answers are in, or timed out); its executor is ours
        clientThreads.shutdownNow();
    }
}
