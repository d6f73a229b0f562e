package io.procura.coordinator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.procura.chain.ChainException;
import io.procura.coordinator.api.ApiDtos;
import io.procura.db.BondState;
import io.procura.db.ProverView;
import io.procura.db.Store;
import io.procura.db.StoreException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's HTTP API (Vert.x Web), described by the OpenAPI 3.1 document it serves at {@code /openapi.json}.
 *
 * <ul>
 *   <li>{@code GET /v1/quote?livenessPenalty=C&proofPrice=WEI[&circuitId=ID]} — the terms of a slot of a circuit
 *       (default: the deployment's digits circuit) opened now ({@link Quote}); 409 when no prover is eligible</li>
 *   <li>{@code GET /v1/slots?limit=50&offset=0} — a page of slot summaries, newest first</li>
 *   <li>{@code GET /v1/slots/{id}} — one slot with its draw, settlement or cancellation, deliveries and payouts</li>
 *   <li>{@code GET /v1/provers?limit=50&offset=0}, {@code GET /v1/provers/{address}} — provers with stake, locked,
 *       jailed, eligible and their circuits</li>
 *   <li>{@code GET /v1/accounts/{address}} — credited, claimed and claimable amounts</li>
 *   <li>{@code GET /health} (liveness: the process answers) and {@code GET /health/ready} (the database and the node
 *       answer; 503 otherwise)</li>
 * </ul>
 *
 * <p>Every answer is JSON. uint256 values and token amounts are decimal strings, payloads 0x hex. Every error is
 * {@code {"error": {"status", "code", "parameter", "message"}}}: 400 {@code bad_parameter} naming the parameter, 404
 * {@code not_found} (unknown route or id), 405, 409, 503 {@code unavailable} (the node or the database does not
 * answer) or {@code overloaded} (a work queue is full), 500 {@code internal} (logged; no stack trace is sent).
 *
 * <p>Work never runs on the event loop: chain-bound requests (quotes, readiness) and database-bound ones run on two
 * separate bounded pools, so a hung node cannot starve the database endpoints, and a full queue answers 503 at once
 * instead of queueing without bound. Responses are serialised on those pools. Idle connections are closed after
 * {@link #IDLE_TIMEOUT_SECONDS} seconds.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    /** Seconds after which an idle (or half-sent) connection is closed. */
    public static final int IDLE_TIMEOUT_SECONDS = 30;
    private static final BigInteger UINT256_LIMIT = BigInteger.ONE.shiftLeft(256);
    /** The longest request line served (bytes); a longer one is answered 414. */
    public static final int MAX_REQUEST_LINE = 65_536;
    /** The largest liveness penalty {@code C} a quote takes, proof-cost units. */
    static final double MAX_LIVENESS_PENALTY = 1e300;
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new Jdk8Module())
            .registerModule(new SimpleModule().addSerializer(BigInteger.class, ToStringSerializer.instance))
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    /** What the API reads from the chain beyond the index (cached by the implementation). */
    public interface ChainView {
        /**
         * @return the node's latest block
         * @throws ChainException when the node does not answer
         */
        long head();

        /**
         * @return the registry's eligibility terms now (read at most once per block by the implementation)
         * @throws ChainException when the node does not answer
         */
        RegistryTerms registryTerms();

        /**
         * @param prover a prover address
         * @return the registry's own eligibility flag (asked only under correlated slashing, where eligibility also
         *         needs a committee-pool share the index does not hold)
         * @throws ChainException when the node does not answer
         */
        boolean registryEligible(String prover);
    }

    /**
     * The registry's eligibility terms.
     *
     * @param minBond            the minimum free stake for eligibility, token base units
     * @param correlatedSlashing whether eligibility also needs a committee-pool share (correlated slashing)
     */
    public record RegistryTerms(BigInteger minBond, boolean correlatedSlashing) {}

    private final Vertx vertx;
    private final HttpServer server;
    private final ThreadPoolExecutor chainPool;
    private final ThreadPoolExecutor dbPool;
    /** Metrics this server made for itself (started without the coordinator's), closed with it; else null. */
    private CoordinatorMetrics ownMetrics;
    /** Set once the warm-up requests are done: until then {@code /health/ready} answers 503. */
    private volatile boolean warmed;

    private ApiServer(Vertx vertx, HttpServer server, ThreadPoolExecutor chainPool, ThreadPoolExecutor dbPool) {
        this.vertx = vertx;
        this.server = server;
        this.chainPool = chainPool;
        this.dbPool = dbPool;
    }

    /** A client mistake or a state the client must know about: sent as its status with a JSON error. */
    static final class ApiError extends RuntimeException {
        final int status;
        final String code;
        final String parameter;

        ApiError(int status, String code, String parameter, String message) {
            super(message);
            this.status = status;
            this.code = code;
            this.parameter = parameter;
        }

        static ApiError badParameter(String parameter, String message) {
            return new ApiError(400, "bad_parameter", parameter, message);
        }

        static ApiError notFound(String message) {
            return new ApiError(404, "not_found", null, message);
        }
    }

    /**
     * Starts the API.
     *
     * @param store          the coordinator's store
     * @param quotes         the quote service
     * @param chain          what the API reads from the chain beyond the index
     * @param defaultCircuit the circuit {@code /v1/quote} quotes when the request names none
     * @param port           TCP port on 127.0.0.1, 0 for any free port
     * @return the running server
     * @throws IllegalStateException if the port cannot be bound
     */
    public static ApiServer start(Store store, Quoter quotes, ChainView chain, BigInteger defaultCircuit, int port) {
        CoordinatorMetrics own = new CoordinatorMetrics();
        try {
            ApiServer api = start(store, quotes, chain, defaultCircuit, port, own);
            api.ownMetrics = own;
            return api;
        } catch (RuntimeException e) {
            own.close();
            throw e;
        }
    }

    /**
     * Like {@link #start(Store, Quoter, ChainView, BigInteger, int)}, recording API latency into the coordinator's
     * metrics and serving them at {@code GET /metrics}.
     *
     * @param metrics the coordinator's metrics
     * @return the running server
     * @throws IllegalStateException if the port cannot be bound
     */
    public static ApiServer start(Store store, Quoter quotes, ChainView chain, BigInteger defaultCircuit, int port,
                                  CoordinatorMetrics metrics) {
        return start(store, quotes, chain, defaultCircuit, LOOPBACK, port, metrics);
    }

    /**
     * Like {@link #start(Store, Quoter, ChainView, BigInteger, int, CoordinatorMetrics)}, listening on {@code host}
     * ({@code 0.0.0.0} for every interface, as in a container; the default elsewhere is 127.0.0.1 only).
     *
     * @param host the address to listen on (an IP address or a host name of this machine)
     * @return the running server
     * @throws IllegalStateException if the address cannot be bound
     */
    public static ApiServer start(Store store, Quoter quotes, ChainView chain, BigInteger defaultCircuit, String host,
                                  int port, CoordinatorMetrics metrics) {
        Vertx vertx = Vertx.vertx();
        ThreadPoolExecutor chainPool = pool("api-chain", 4, 64);
        ThreadPoolExecutor dbPool = pool("api-db", 8, 256);
        io.vertx.core.buffer.Buffer openApi = io.vertx.core.buffer.Buffer.buffer(resource("openapi.json")); // read once
        // the server's own warm-up requests carry this (a client cannot guess it to hide from the latency metric)
        String warmUpToken = java.util.UUID.randomUUID().toString();
        Router router = Router.router(vertx);
        ApiServer[] self = new ApiServer[1];
        // latency of every request by its route template (not the raw path: ids would explode the label set)
        // (the method label is one of a fixed few: any client may send any method name; a request whose client went
        // away before the answer is "aborted", not the default 200)
        router.route().handler(ctx -> {
            long started = System.nanoTime();
            if (!warmUpToken.equals(ctx.request().getHeader(WARM_UP_HEADER))) {
                ctx.addEndHandler(ar -> metrics.apiRequest(
                        ctx.currentRoute() != null && ctx.currentRoute().getPath() != null ? ctx.currentRoute().getPath()
                                : "unmatched", boundedMethod(ctx.request().method().name()),
                        ctx.response().ended() ? Integer.toString(ctx.response().getStatusCode()) : "aborted",
                        System.nanoTime() - started));
            }
            ctx.next();
        });
        router.get("/health").handler(ctx -> send(ctx, 200, "{\"status\":\"ok\"}"));
        // the dashboard: a page over this API (slots, provers, slashes and refunds, the quote)
        var dashboard = dashboard();
        router.get("/dashboard").handler(ctx -> { // Vert.x matches "/dashboard/" here too
            if (ctx.request().path().endsWith("/")) {
                serve(ctx, dashboard.get("index.html"));
            } else {
                ctx.redirect("/dashboard/"); // so that the page's relative script paths resolve under /dashboard/
            }
        });
        router.get("/dashboard/:file").handler(ctx -> {
            var file = dashboard.get(ctx.pathParam("file"));
            if (file == null) {
                ctx.next(); // not one of the dashboard's files: 404 JSON
            } else {
                serve(ctx, file);
            }
        });
        router.get("/metrics").handler(ctx -> ctx.vertx().executeBlocking(metrics::scrape, false)
                .onSuccess(text -> ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                        .end(text))
                .onFailure(ctx::fail));
        router.get("/openapi.json").handler(ctx -> ctx.response().putHeader("content-type", "application/json")
                .end(openApi));
        router.get("/health/ready").handler(ctx -> self[0].run(ctx, chainPool, () -> {
            boolean database;
            Long indexed = null;
            try {
                indexed = store.cursors().maxCursorBlock().orElse(null);
                database = true;
            } catch (StoreException e) {
                database = false;
            }
            Long head = null;
            try {
                head = chain.head();
            } catch (RuntimeException e) {
                LOG.debug("readiness: the node does not answer: {}", e.getMessage());
            }
            boolean ready = database && head != null && self[0].warmed;
            ApiDtos.Readiness r = new ApiDtos.Readiness(ready ? "READY" : "NOT_READY", database, head != null, head, indexed,
                    self[0].warmed);
            if (!ready) throw new Unready(r);
            return r;
        }));
        router.get("/v1/quote").handler(ctx -> self[0].run(ctx, chainPool, () -> {
            double c = positiveNumber(param(ctx, "livenessPenalty", true), "livenessPenalty");
            BigInteger price = uint256(param(ctx, "proofPrice", true), "proofPrice");
            String circuit = param(ctx, "circuitId", false);
            BigInteger circuitId = circuit == null ? defaultCircuit : uint256(circuit, "circuitId");
            return quotes.quote(circuitId, c, price);
        }));
        router.get("/v1/slots").handler(ctx -> self[0].run(ctx, dbPool, () -> {
            int limit = intParam(ctx, "limit", 50, 1, 1000);
            int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
            return new ApiDtos.Page<>(store.slots().listSlots(limit, offset).stream().map(ApiDtos.SlotSummary::of).toList(), limit,
                    offset, store.slots().countSlots());
        }));
        router.get("/v1/slots/:id").handler(ctx -> self[0].run(ctx, dbPool, () -> {
            BigInteger id = uint256(ctx.pathParam("id"), "id");
            return ApiDtos.Slot.of(store.slots().findSlot(id).orElseThrow(() -> ApiError.notFound("no slot " + id)));
        }));
        // the prover routes read the registry's terms too: they run with the chain-bound work, so a hung node never
        // holds the database-only routes' threads
        router.get("/v1/provers").handler(ctx -> self[0].run(ctx, chainPool, () -> {
            int limit = intParam(ctx, "limit", 50, 1, 1000);
            int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
            List<ProverView> page = store.provers().listProverViews(limit, offset);
            RegistryTerms terms = chain.registryTerms();
            Map<String, List<BigInteger>> circuits = store.provers().optedInCircuitsOf(page.stream().map(v -> v.prover().address()).toList());
            return new ApiDtos.Page<>(page.stream().map(p -> prover(chain, terms, circuits.get(p.prover().address()), p)).toList(),
                    limit, offset, store.provers().countProvers());
        }));
        router.get("/v1/provers/:address").handler(ctx -> self[0].run(ctx, chainPool, () -> {
            String address = address(ctx.pathParam("address"), "address");
            ProverView p = store.provers().findProverView(address).orElseThrow(() -> ApiError.notFound("no prover " + address));
            return prover(chain, chain.registryTerms(), store.provers().optedInCircuits(address), p);
        }));
        router.get("/v1/accounts/:address").handler(ctx -> self[0].run(ctx, dbPool, () -> {
            String address = address(ctx.pathParam("address"), "address");
            BigInteger credited = store.ledger().credited(address);
            BigInteger claimed = store.ledger().claimed(address);
            return new ApiDtos.Account(address, credited, claimed, credited.subtract(claimed).max(BigInteger.ZERO));
        }));
        router.errorHandler(404, ctx -> error(ctx, new ApiError(404, "not_found", null,
                "no route " + ctx.request().method() + " " + ctx.request().path() + " (see /openapi.json)")));
        router.errorHandler(405, ctx -> {
            ctx.response().putHeader("Allow", "GET"); // every route of this API is read-only
            error(ctx, new ApiError(405, "method_not_allowed", null,
                    "method " + ctx.request().method() + " not allowed on " + ctx.request().path()));
        });
        router.errorHandler(400, ctx -> error(ctx, ApiError.badParameter(null, "malformed request"
                + (ctx.failure() == null ? "" : ": " + ctx.failure().getMessage()))));
        router.errorHandler(500, ctx -> {
            if (ctx.failure() instanceof IllegalArgumentException e) { // e.g. a malformed percent-escape in the query
                error(ctx, ApiError.badParameter(null, "malformed request: " + e.getMessage()));
            } else {
                LOG.warn("API {} failed", ctx.request().uri(), ctx.failure());
                error(ctx, new ApiError(500, "internal", null, "internal error"));
            }
        });
        try {
            HttpServerOptions options = new HttpServerOptions().setIdleTimeout(IDLE_TIMEOUT_SECONDS)
                    .setIdleTimeoutUnit(TimeUnit.SECONDS).setMaxInitialLineLength(MAX_REQUEST_LINE);
            HttpServer server = vertx.createHttpServer(options).requestHandler(router)
                    .invalidRequestHandler(ApiServer::invalidRequest).listen(port, host)
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            self[0] = new ApiServer(vertx, server, chainPool, dbPool);
            ApiServer started = self[0];
            Thread warm = new Thread(() -> {
                warmUp(selfHost(host), server.actualPort(), defaultCircuit, warmUpToken);
                started.warmed = true;
            }, "api-warm-up");
            warm.setDaemon(true);
            warm.start();
            LOG.info("coordinator API on http://{}:{}", host, server.actualPort());
            return self[0];
        } catch (Exception e) {
            vertx.close();
            chainPool.shutdownNow();
            dbPool.shutdownNow();
            throw new IllegalStateException("cannot start the coordinator API on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** Marks the server's own warm-up requests, which the API latency metric leaves out. */
    static final String WARM_UP_HEADER = "x-procura-warm-up";

    private static String boundedMethod(String method) {
        return switch (method) {
            case "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS" -> method;
            default -> "OTHER";
        };
    }

    private static void serve(io.vertx.ext.web.RoutingContext ctx, Map.Entry<String, io.vertx.core.buffer.Buffer> file) {
        ctx.response().putHeader("content-type", file.getKey()).putHeader("cache-control", "no-cache").end(file.getValue());
    }

    /** Requests of each route the server sends itself before its first client, per route. */
    static final int WARM_UP_REQUESTS = 200;

    /** The address the API listens on unless told otherwise: loopback only. */
    public static final String LOOPBACK = "127.0.0.1";

    /** The address the server's own warm-up calls: loopback when it listens on every interface. */
    private static String selfHost(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.isBlank() ? LOOPBACK : host;
    }

    /**
     * Sends every route a few dozen requests over loopback before the first client does, so that the JIT has compiled
     * the request path, the database pool holds its connections and the quote has read the market: without it the
     * first seconds of a load of 500 requests a second had a p99 near a second (docs/BENCHMARKS.md). It runs in the
     * background after the server starts (a few seconds); {@code /health/ready} says READY only once it is done.
     * Failures are ignored (a quote with no eligible prover still warms its path).
     */
    private static void warmUp(String host, int port, BigInteger circuit, String token) {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .connectTimeout(java.time.Duration.ofSeconds(2)).build();
        String base = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        List<String> paths = List.of("/health", "/v1/slots", "/v1/slots/0", "/v1/provers", "/v1/provers/0x" + "0".repeat(40),
                "/v1/accounts/0x" + "0".repeat(40), "/v1/quote?livenessPenalty=100&proofPrice=1&circuitId=" + circuit);
        long started = System.nanoTime();
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> pending = new java.util.ArrayList<>();
            for (int i = 0; i < WARM_UP_REQUESTS; i++) {
                for (String path : paths) {
                    pending.add(callers.submit(() -> {
                        try {
                            client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path))
                                    .header(WARM_UP_HEADER, token).timeout(java.time.Duration.ofSeconds(5)).build(),
                                    java.net.http.HttpResponse.BodyHandlers.discarding());
                        } catch (Exception ignored) {
                            // warming only
                        }
                        return null;
                    }));
                }
            }
            for (var f : pending) f.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("API warm-up: {}", e.getMessage());
        } finally {
            callers.shutdownNow();
        }
        LOG.info("API warmed up in {} ms", (System.nanoTime() - started) / 1_000_000);
    }

    /** A request the HTTP decoder refused (a request line or headers too long, bad syntax): a JSON error too. */
    private static void invalidRequest(io.vertx.core.http.HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        int status = cause instanceof io.netty.handler.codec.http.TooLongHttpLineException ? 414
                : cause instanceof io.netty.handler.codec.http.TooLongHttpHeaderException ? 431 : 400;
        String code = status == 400 ? "bad_parameter" : "too_long";
        String body = errorJson(new ApiError(status, code, null, status == 414 ? "request line too long"
                : status == 431 ? "request headers too large" : "malformed HTTP request"));
        request.response().setStatusCode(status).putHeader("content-type", "application/json").putHeader("connection", "close")
                .end(body).onComplete(v -> request.connection().close());
    }

    private static ApiDtos.Prover prover(ChainView chain, RegistryTerms terms, List<BigInteger> circuits, ProverView v) {
        BondState b = v.bond();
        String a = v.prover().address();
        BigInteger free = b == null ? null : b.bond().subtract(b.locked()).max(BigInteger.ZERO);
        boolean eligible = terms.correlatedSlashing() ? chain.registryEligible(a)
                : b != null && !b.jailed() && free.compareTo(terms.minBond()) >= 0;
        return new ApiDtos.Prover(a, v.prover().endpoint(), v.prover().registeredBlock(), b == null ? null : b.bond(),
                b == null ? null : b.locked(), free, b == null ? null : b.pendingUnbond(), b == null ? null : b.jailed(),
                eligible, circuits == null ? List.of() : circuits, b == null ? null : b.updatedBlock());
    }

    private static ThreadPoolExecutor pool(String name, int threads, int queue) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    }

    private static byte[] resource(String name) {
        try (InputStream in = ApiServer.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException(name + " is missing from the coordinator jar");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    /** The dashboard's files (read once; served from memory, no file cache on disk) with their content types. */
    private static Map<String, Map.Entry<String, io.vertx.core.buffer.Buffer>> dashboard() {
        Map<String, Map.Entry<String, io.vertx.core.buffer.Buffer>> files = new java.util.HashMap<>();
        for (String[] f : new String[][] {{"index.html", "text/html; charset=utf-8"},
                {"dashboard.js", "text/javascript; charset=utf-8"}, {"chart.umd.min.js", "text/javascript; charset=utf-8"}}) {
            files.put(f[0], Map.entry(f[1], io.vertx.core.buffer.Buffer.buffer(resource("dashboard/" + f[0]))));
        }
        return files;
    }

    /** @return the bound TCP port */
    public int port() {
        return server.actualPort();
    }

    /** The readiness answer when something is down: sent as 503 with the readiness body. */
    private static final class Unready extends RuntimeException {
        final ApiDtos.Readiness readiness;

        Unready(ApiDtos.Readiness readiness) {
            super("not ready", null, false, false);
            this.readiness = readiness;
        }
    }

    /**
     * Runs {@code work} on {@code pool}, serialises its answer there, and sends it from the request's context; a
     * full pool answers 503 {@code overloaded} at once.
     */
    private void run(RoutingContext ctx, ThreadPoolExecutor pool, Callable<Object> work) {
        Context context = vertx.getOrCreateContext();
        try {
            pool.execute(() -> {
                int status;
                String body;
                try {
                    body = JSON.writeValueAsString(work.call());
                    status = 200;
                } catch (Throwable t) {
                    ApiError e = classify(ctx, t);
                    status = e.status;
                    body = t instanceof Unready u ? safeJson(u.readiness) : errorJson(e);
                }
                int s = status;
                String b = body;
                context.runOnContext(v -> send(ctx, s, b));
            });
        } catch (RejectedExecutionException full) {
            error(ctx, new ApiError(503, "overloaded", null, "the coordinator is busy: try again shortly"));
        }
    }

    private static ApiError classify(RoutingContext ctx, Throwable t) {
        if (t instanceof ApiError e) return e;
        if (t instanceof Unready) return new ApiError(503, "unavailable", null, "not ready");
        if (t instanceof UnknownCircuitException e) return new ApiError(404, "not_found", "circuitId", e.getMessage());
        if (t instanceof PriceBelowMinimumException e) return new ApiError(409, "price_below_minimum", "proofPrice", e.getMessage());
        if (t instanceof BadParameterException e) return ApiError.badParameter(e.parameter(), e.getMessage());
        if (t instanceof NoEligibleProverException e) return new ApiError(409, "no_eligible_prover", "circuitId", e.getMessage());
        if (t instanceof io.procura.mechanism.MechanismException e) return ApiError.badParameter(null, e.getMessage());
        if (t instanceof ChainException e) {
            LOG.warn("API {}: the node: {}", ctx.request().uri(), e.getMessage());
            return new ApiError(503, "unavailable", null, "the chain node does not answer: try again shortly");
        }
        if (t instanceof StoreException e) {
            LOG.warn("API {}: the database: {}", ctx.request().uri(), e.getMessage());
            return new ApiError(503, "unavailable", null, "the database does not answer: try again shortly");
        }
        LOG.warn("API {} failed", ctx.request().uri(), t);
        return new ApiError(500, "internal", null, "internal error");
    }

    private static String errorJson(ApiError e) {
        return safeJson(Map.of("error", new ApiDtos.Error(e.status, e.code, e.parameter, e.getMessage())));
    }

    private static String safeJson(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (Exception e) {
            return "{\"error\":{\"status\":500,\"code\":\"internal\",\"parameter\":null,\"message\":\"serialisation failed\"}}";
        }
    }

    private static void error(RoutingContext ctx, ApiError e) {
        send(ctx, e.status, errorJson(e));
    }

    private static void send(RoutingContext ctx, int status, String body) {
        if (ctx.response().ended() || ctx.response().closed()) return;
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body);
    }

    /** A query parameter (decoded); a malformed escape is a 400 naming it. */
    private static String param(RoutingContext ctx, String name, boolean required) {
        List<String> all;
        try {
            all = ctx.queryParams().getAll(name);
        } catch (RuntimeException e) { // Vert.x: HttpException(400) caused by the decoder's IllegalArgumentException
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw ApiError.badParameter(null, "malformed query string: " + cause.getMessage());
        }
        if (all.size() > 1) throw ApiError.badParameter(name, name + " given " + all.size() + " times; give it once");
        if (all.isEmpty()) {
            if (required) throw ApiError.badParameter(name, "missing query parameter " + name);
            return null;
        }
        String v = all.get(0);
        if (v.isEmpty()) throw ApiError.badParameter(name, name + " is empty: give a value or leave it out");
        return v;
    }

    static BigInteger uint256(String raw, String name) {
        if (raw == null || !raw.matches("[0-9]{1,78}")) {
            throw ApiError.badParameter(name, name + " must be a decimal integer in [0, 2^256), got '" + abbreviate(raw) + "'");
        }
        BigInteger v = new BigInteger(raw);
        if (v.compareTo(UINT256_LIMIT) >= 0) throw ApiError.badParameter(name, name + " must be below 2^256");
        return v;
    }

    static String address(String raw, String name) {
        if (raw == null || !raw.matches("0x[0-9a-fA-F]{40}")) {
            throw ApiError.badParameter(name, name + " must be a 0x-prefixed 20-byte hex address, got '" + abbreviate(raw) + "'");
        }
        return raw.toLowerCase(java.util.Locale.ROOT);
    }

    static double positiveNumber(String raw, String name) {
        double v;
        try {
            v = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            throw ApiError.badParameter(name, name + " must be a number, got '" + abbreviate(raw) + "'");
        }
        if (!raw.matches("[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?") || !Double.isFinite(v) || v < 1 || v > MAX_LIVENESS_PENALTY) {
            throw ApiError.badParameter(name, name + " must be a decimal number in [1, 1e300], got '" + abbreviate(raw) + "'");
        }
        return v;
    }

    private static int intParam(RoutingContext ctx, String name, int dflt, int min, int max) {
        String v = param(ctx, name, false);
        if (v == null) return dflt;
        int x;
        try {
            if (!v.matches("0|[1-9][0-9]{0,9}")) throw new NumberFormatException(v);
            x = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw ApiError.badParameter(name, name + " must be an integer in [" + min + ", " + max + "], got '" + abbreviate(v) + "'");
        }
        if (x < min || x > max) throw ApiError.badParameter(name, name + " must be in [" + min + ", " + max + "], got " + x);
        return x;
    }

    private static String abbreviate(String s) {
        if (s == null) return "";
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /** Stops the server, its pools and its Vert.x instance. Idempotent. */
    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("closing Vert.x: {}", e.getMessage());
        }
        chainPool.shutdownNow();
        dbPool.shutdownNow();
        if (ownMetrics != null) ownMetrics.close();
    }
}
