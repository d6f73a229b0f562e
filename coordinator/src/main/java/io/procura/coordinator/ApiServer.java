package io.procura.coordinator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.procura.db.Store;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.math.BigInteger;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's HTTP API (Vert.x Web). All handlers run their blocking work (JDBC, JSON-RPC,
 * the optimiser) on Vert.x worker threads, never on the event loop.
 *
 * <ul>
 *   <li>{@code GET /v1/quote?livenessPenalty=C&proofPrice=WEI[&circuitId=ID]} — the terms of a slot of a circuit
 *       (default: the deployment's digits circuit) opened now ({@link Quote})</li>
 *   <li>{@code GET /v1/slots?limit=50&offset=0} — slots, newest first</li>
 *   <li>{@code GET /v1/slots/{id}} — one slot with its state ({@code OPEN}, {@code DRAWN}, {@code SETTLED},
 *       {@code CANCELLED}), draw (designate, seed, deadline), deliveries and payouts; 404 if unknown</li>
 *   <li>{@code GET /v1/provers} — registered provers</li>
 *   <li>{@code GET /health} — {@code {"status":"ok"}}</li>
 * </ul>
 * Bad parameters get 400 with {@code {"error": "..."}}.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private final Vertx vertx;
    private final HttpServer server;
    private final ObjectMapper json = new ObjectMapper().registerModule(new Jdk8Module())
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private ApiServer(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    /**
     * Starts the API.
     *
     * @param store          the coordinator's store
     * @param quotes         the quote service
     * @param defaultCircuit the circuit {@code /v1/quote} quotes when the request names none
     * @param port           TCP port on 127.0.0.1, 0 for any free port
     * @return the running server
     * @throws IllegalStateException if the port cannot be bound
     */
    public static ApiServer start(Store store, Quoter quotes, BigInteger defaultCircuit, int port) {
        Vertx vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        ApiServer[] self = new ApiServer[1];
        router.get("/health").handler(ctx -> ctx.json(Map.of("status", "ok")));
        router.get("/v1/quote").handler(ctx -> self[0].blocking(ctx, () -> {
            double c = Double.parseDouble(required(ctx, "livenessPenalty"));
            BigInteger price = new BigInteger(required(ctx, "proofPrice"));
            String circuit = ctx.queryParams().get("circuitId");
            return quotes.quote(circuit == null || circuit.isBlank() ? defaultCircuit : new BigInteger(circuit), c, price);
        }));
        router.get("/v1/slots").handler(ctx -> self[0].blocking(ctx, () -> {
            int limit = intParam(ctx, "limit", 50, 1, 1000);
            int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
            return store.listSlots(limit, offset);
        }));
        router.get("/v1/slots/:id").handler(ctx -> self[0].blocking(ctx, () -> {
            BigInteger id = new BigInteger(ctx.pathParam("id"));
            return store.findSlot(id).orElseThrow(() -> new NotFound("no slot " + id));
        }));
        router.get("/v1/provers").handler(ctx -> self[0].blocking(ctx, store::listProvers));
        try {
            HttpServer server = vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            self[0] = new ApiServer(vertx, server);
            LOG.info("coordinator API on http://127.0.0.1:{}", server.actualPort());
            return self[0];
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("cannot start the coordinator API on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** @return the bound TCP port */
    public int port() {
        return server.actualPort();
    }

    private void blocking(RoutingContext ctx, Callable<Object> work) {
        vertx.executeBlocking(work::call, false).onComplete(ar -> {
            if (ar.succeeded()) {
                send(ctx, 200, ar.result());
            } else {
                Throwable t = ar.cause();
                int status = t instanceof NotFound ? 404
                        : t instanceof IllegalArgumentException || t instanceof io.procura.mechanism.MechanismException ? 400 : 500;
                if (status == 500) LOG.warn("API {} failed", ctx.request().uri(), t);
                send(ctx, status, Map.of("error", String.valueOf(t.getMessage())));
            }
        });
    }

    private void send(RoutingContext ctx, int status, Object body) {
        try {
            ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
                    .end(json.writeValueAsString(body));
        } catch (Exception e) {
            ctx.response().setStatusCode(500).end("{\"error\":\"serialisation failed\"}");
        }
    }

    private static String required(RoutingContext ctx, String name) {
        String v = ctx.queryParams().get(name);
        if (v == null || v.isBlank()) throw new IllegalArgumentException("missing query parameter " + name);
        return v;
    }

    private static int intParam(RoutingContext ctx, String name, int dflt, int min, int max) {
        String v = ctx.queryParams().get(name);
        if (v == null) return dflt;
        int x = Integer.parseInt(v);
        if (x < min || x > max) throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + x);
        return x;
    }

    /** A 404. */
    static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message);
        }
    }

    /** Stops the server and its Vert.x instance. Idempotent. */
    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("closing Vert.x: {}", e.getMessage());
        }
    }
}
