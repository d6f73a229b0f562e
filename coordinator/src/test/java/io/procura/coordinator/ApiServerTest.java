package io.procura.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.procura.db.BondEventRow;
import io.procura.db.BondState;
import io.procura.db.ClaimRow;
import io.procura.db.Database;
import io.procura.db.DeliveryRow;
import io.procura.db.PayoutRow;
import io.procura.db.ProverRow;
import io.procura.db.SlotDrawnRow;
import io.procura.db.SlotOpenedRow;
import io.procura.db.Store;
import io.procura.mechanism.DesignatedMechanism;
import io.procura.mechanism.FailurePolicy;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's HTTP API over a real (embedded) PostgreSQL store: every answer, errors included, is checked
 * against the schema the served {@code /openapi.json} gives for that route and status; uint256 values are exact
 * decimal strings, payloads 0x hex; client mistakes (negative or oversized ids, malformed escapes, bad addresses,
 * unknown routes, a quote of an unknown circuit or with no eligible prover) get 400/404/409 JSON, never 500.
 */
class ApiServerTest {
    private static final String TX = "0x" + "ab".repeat(32);
    private static final String DESIGNATE = "0x" + "11".repeat(20);
    private static final String REQUESTER = "0x" + "22".repeat(20);
    private static final BigInteger HUGE = BigInteger.ONE.shiftLeft(255).add(BigInteger.valueOf(12345)); // > 2^53
    private static Database db;
    private static ApiServer api;
    private static Store store;
    private static Quoter quoter;
    private static ApiServer.ChainView chain;
    private static final HttpClient http = HttpClient.newHttpClient();
    private static final ObjectMapper json = new ObjectMapper();
    private static JsonNode openApi;

    @BeforeAll
    static void startApiOverAStoreWithTwoSlotsAndAProver() throws Exception {
        db = Database.embedded(null);
        store = new Store(db.dataSource());
        store.slots().insertSlotOpened(new SlotOpenedRow(TX, 0, 10, BigInteger.ONE, BigInteger.ZERO, REQUESTER, 5,
                new BigInteger("400000000000000000"), BigInteger.TEN, HUGE, BigInteger.valueOf(18),
                BigInteger.valueOf(200), 60, 12, new byte[] {1, 2, (byte) 0xff}, List.of(BigInteger.ONE, HUGE)));
        store.slots().markDrawn(new SlotDrawnRow(TX, 3, 13, BigInteger.ONE, DESIGNATE, "0x" + "33".repeat(32), 1_000L));
        // a second slot that waits for its draw
        store.slots().insertSlotOpened(new SlotOpenedRow("0x" + "cd".repeat(32), 0, 14, BigInteger.TWO, BigInteger.ZERO,
                REQUESTER, 5, BigInteger.ZERO, BigInteger.TEN, BigInteger.TEN, BigInteger.ZERO,
                BigInteger.valueOf(200), 60, 16, new byte[64], List.of(BigInteger.ONE, BigInteger.TWO)));
        store.slots().recordDelivery(new DeliveryRow(TX, 1, 10, BigInteger.ONE, DESIGNATE, true, List.of(BigInteger.valueOf(7)), 284_000));
        store.ledger().insertPayout(new PayoutRow(TX, 2, 11, BigInteger.ONE, DESIGNATE, BigInteger.valueOf(26), "DESIGNATE"));
        store.ledger().recordClaim(new ClaimRow(TX, 4, 15, DESIGNATE, BigInteger.valueOf(20)));
        store.provers().upsertProver(new ProverRow(DESIGNATE, "test://designate", "0x" + "00".repeat(32), 5));
        store.provers().recordBondEvent(new BondEventRow("0x" + "ee".repeat(32), 0, 6, DESIGNATE, "Bonded", null, BigInteger.valueOf(900)),
                new BondState(DESIGNATE, BigInteger.valueOf(900), BigInteger.valueOf(200), BigInteger.ZERO, false, 6));
        quoter = (circuit, c, price) -> {
            if (circuit.equals(BigInteger.valueOf(7))) throw new UnknownCircuitException(circuit);
            if (price.equals(BigInteger.ONE)) throw new PriceBelowMinimumException(circuit, price, BigInteger.TEN);
            if (circuit.equals(BigInteger.valueOf(8))) throw new NoEligibleProverException(circuit);
            var o = DesignatedMechanism.optimizeFullCommittee(5, 3, c, 20, FailurePolicy.COMPENSATE_COMMITTEE);
            return new Quote(circuit, 5, 3, c, 20, FailurePolicy.COMPENSATE_COMMITTEE, 4, o.mixingProbability(), BigInteger.ONE,
                    o.totalPrize(), o.committeePrize(), o.loss(), price, price, price, BigInteger.valueOf(200));
        };
        chain = new ApiServer.ChainView() {
            @Override
            public long head() {
                return 20;
            }

            @Override
            public ApiServer.RegistryTerms registryTerms() {
                return new ApiServer.RegistryTerms(BigInteger.valueOf(500), false);
            }

            @Override
            public boolean registryEligible(String prover) {
                throw new AssertionError("only asked under correlated slashing");
            }
        };
        api = ApiServer.start(store, quoter, chain, BigInteger.ZERO, 0);
        openApi = json.readTree(get("/openapi.json").body());
    }

    @AfterAll
    static void stop() {
        if (api != null) api.close();
        if (db != null) db.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** GETs {@code path} (an OpenAPI path template for {@code route}), checks status and schema, returns the body. */
    private static JsonNode call(String route, String path, int status) throws Exception {
        HttpResponse<String> r = get(path);
        assertThat(r.headers().firstValue("content-type")).contains("application/json");
        return check(route, path, status, r.statusCode(), r.body());
    }

    /** Sends a request line as is (java.net.URI refuses a malformed escape a hostile client may send). */
    private static JsonNode raw(String route, String pathAndQuery, int status) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", api.port())) {
            s.getOutputStream().write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int code = Integer.parseInt(answer.substring(9, 12));
            assertThat(answer.toLowerCase()).contains("content-type: application/json");
            return check(route, pathAndQuery, status, code, answer.substring(answer.indexOf("\r\n\r\n") + 4));
        }
    }

    private static JsonNode check(String route, String path, int status, int actual, String text) throws Exception {
        assertThat(actual).as(path + " -> " + text).isEqualTo(status);
        JsonNode body = json.readTree(text);
        JsonNode response = openApi.path("paths").path(route).path("get").path("responses").path(String.valueOf(status));
        assertThat(response.isMissingNode()).as("the document lists status " + status + " for " + route).isFalse();
        if (response.has("$ref")) response = resolve(response.get("$ref").asText());
        JsonNode schema = response.path("content").path("application/json").path("schema");
        ObjectNode root = ((ObjectNode) openApi.deepCopy());
        root.remove(List.of("paths", "openapi", "info", "servers"));
        root.setAll((ObjectNode) schema);
        JsonSchema validator = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(root);
        Set<ValidationMessage> problems = validator.validate(body);
        assertThat(problems).as(path + " answer against the schema: " + body).isEmpty();
        return body;
    }

    private static JsonNode resolve(String ref) {
        JsonNode n = openApi;
        for (String part : ref.substring(2).split("/")) n = n.path(part);
        return n;
    }

    @Test
    void shouldPageSlotSummariesNewestFirstWithExactAmounts() throws Exception {
        JsonNode page = call("/v1/slots", "/v1/slots", 200);
        assertThat(page.path("total").asLong()).isEqualTo(2);
        assertThat(page.path("limit").asInt()).isEqualTo(50);
        JsonNode undrawn = page.path("items").get(0); // newest first
        assertThat(undrawn.path("state").asText()).isEqualTo("OPEN");
        assertThat(undrawn.path("designate").isNull()).as("no designate before the draw").isTrue();
        JsonNode drawn = page.path("items").get(1);
        assertThat(drawn.path("designate").asText()).isEqualTo(DESIGNATE);
        assertThat(drawn.path("escrow").isTextual()).isTrue();
        assertThat(drawn.path("escrow").asText()).as("a uint256 above 2^53, exact").isEqualTo(HUGE.toString());
        JsonNode second = call("/v1/slots", "/v1/slots?limit=1&offset=1", 200);
        assertThat(second.path("items")).hasSize(1);
        assertThat(second.path("items").get(0).path("slotId").asText()).isEqualTo("1");
    }

    @Test
    void shouldReturnOneSlotWithItsDrawDeliveriesAndPayouts() throws Exception {
        JsonNode slot = call("/v1/slots/{id}", "/v1/slots/1", 200);
        assertThat(slot.path("state").asText()).isEqualTo("DRAWN");
        assertThat(slot.path("draw").path("designate").asText()).isEqualTo(DESIGNATE);
        assertThat(slot.path("draw").path("deadline").asLong()).isEqualTo(1_000L);
        assertThat(slot.path("payload").asText()).as("0x hex, as on chain").isEqualTo("0x0102ff");
        assertThat(slot.path("fixedInputs").get(1).asText()).isEqualTo(HUGE.toString());
        assertThat(slot.path("deliveries").get(0).path("gasUsed").asLong()).isEqualTo(284_000);
        assertThat(slot.path("payouts").get(0).path("amount").asText()).isEqualTo("26");
        assertThat(call("/v1/slots/{id}", "/v1/slots/2", 200).path("draw").isNull()).isTrue();
        JsonNode missing = call("/v1/slots/{id}", "/v1/slots/99", 404);
        assertThat(missing.path("error").path("code").asText()).isEqualTo("not_found");
        assertThat(missing.path("error").path("message").asText()).contains("99");
    }

    @Test
    void shouldShowProversWithTheirBondAndEligibility() throws Exception {
        JsonNode page = call("/v1/provers", "/v1/provers", 200);
        assertThat(page.path("total").asLong()).isEqualTo(1);
        JsonNode p = page.path("items").get(0);
        assertThat(p.path("stake").asText()).isEqualTo("900");
        assertThat(p.path("locked").asText()).isEqualTo("200");
        assertThat(p.path("free").asText()).isEqualTo("700");
        assertThat(p.path("jailed").asBoolean()).isFalse();
        assertThat(p.path("eligible").asBoolean()).as("free 700 >= min bond 500, not jailed").isTrue();
        assertThat(call("/v1/provers/{address}", "/v1/provers/" + DESIGNATE.toUpperCase().replace("0X", "0x"), 200)
                .path("address").asText()).isEqualTo(DESIGNATE);
        call("/v1/provers/{address}", "/v1/provers/0x" + "99".repeat(20), 404);
        assertThat(call("/v1/provers/{address}", "/v1/provers/0x12", 400).path("error").path("parameter").asText())
                .isEqualTo("address");
    }

    @Test
    void shouldShowWhatAnAccountCanClaim() throws Exception {
        JsonNode a = call("/v1/accounts/{address}", "/v1/accounts/" + DESIGNATE, 200);
        assertThat(a.path("credited").asText()).isEqualTo("26");
        assertThat(a.path("claimed").asText()).isEqualTo("20");
        assertThat(a.path("claimable").asText()).isEqualTo("6");
        assertThat(call("/v1/accounts/{address}", "/v1/accounts/0x" + "77".repeat(20), 200).path("claimable").asText())
                .isEqualTo("0");
    }

    @Test
    void shouldQuoteTheOptimalMixingProbability() throws Exception {
        JsonNode q = call("/v1/quote", "/v1/quote?livenessPenalty=100&proofPrice=10", 200);
        assertThat(q.path("circuitId").asText()).as("the default circuit").isEqualTo("0");
        assertThat(q.path("mixingProbability").asDouble()).isBetween(0.01, 0.99);
        assertThat(q.path("worstCaseLoss").asDouble()).isGreaterThanOrEqualTo(1.0);
        assertThat(call("/v1/quote", "/v1/quote?livenessPenalty=100&proofPrice=10&circuitId=8", 409)
                .path("error").path("code").asText()).isEqualTo("no_eligible_prover");
    }

    @Test
    void shouldAnswerEveryClientMistakeWithA4xxNamingTheParameter() throws Exception {
        assertThat(call("/v1/quote", "/v1/quote?proofPrice=10", 400).path("error").path("parameter").asText())
                .isEqualTo("livenessPenalty");
        assertThat(call("/v1/quote", "/v1/quote?livenessPenalty=abc&proofPrice=10", 400).path("error").path("parameter")
                .asText()).isEqualTo("livenessPenalty");
        call("/v1/quote", "/v1/quote?livenessPenalty=0.5&proofPrice=10", 400);
        call("/v1/quote", "/v1/quote?livenessPenalty=NaN&proofPrice=10", 400);
        assertThat(call("/v1/quote", "/v1/quote?livenessPenalty=100&proofPrice=-1", 400).path("error").path("parameter")
                .asText()).isEqualTo("proofPrice");
        assertThat(call("/v1/quote", "/v1/quote?livenessPenalty=100&proofPrice=10&circuitId=7", 404).path("error")
                .path("parameter").asText()).isEqualTo("circuitId");
        assertThat(call("/v1/quote", "/v1/quote?livenessPenalty=100&proofPrice=1", 409).path("error").path("code").asText())
                .isEqualTo("price_below_minimum");
        call("/v1/quote", "/v1/quote?livenessPenalty=1e301&proofPrice=10", 400);
        call("/v1/slots", "/v1/slots?limit=5&limit=6", 400);
        call("/v1/slots", "/v1/slots?limit=+5", 400);
        assertThat(call("/v1/slots", "/v1/slots?limit=", 400).path("error").path("parameter").asText()).isEqualTo("limit");
        raw("/v1/quote", "/v1/quote?livenessPenalty=%ZZ&proofPrice=10", 400);
        assertThat(call("/v1/slots", "/v1/slots?limit=0", 400).path("error").path("parameter").asText()).isEqualTo("limit");
        call("/v1/slots", "/v1/slots?offset=x", 400);
        assertThat(call("/v1/slots/{id}", "/v1/slots/-1", 400).path("error").path("parameter").asText()).isEqualTo("id");
        call("/v1/slots/{id}", "/v1/slots/" + BigInteger.ONE.shiftLeft(256), 400);
        call("/v1/slots/{id}", "/v1/slots/notanumber", 400);
        HttpResponse<String> unknown = get("/v1/nothing-here");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json.readTree(unknown.body()).path("error").path("code").asText()).isEqualTo("not_found");
        assertThat(unknown.body()).doesNotContain("<html");
        JsonNode tooLong = raw("/v1/slots", "/v1/slots?offset=" + "1".repeat(ApiServer.MAX_REQUEST_LINE), 414);
        assertThat(tooLong.path("error").path("code").asText()).isEqualTo("too_long");
    }

    @Test
    void shouldServeTheDashboardAndItsScriptsAndMetrics() throws Exception {
        HttpResponse<String> redirect = get("/dashboard");
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(redirect.headers().firstValue("location")).hasValue("/dashboard/");
        HttpResponse<String> page = get("/dashboard/");
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("<title>Procura").contains("dashboard.js").contains("chart.umd.min.js");
        for (String script : java.util.List.of("dashboard.js", "chart.umd.min.js")) {
            HttpResponse<String> js = get("/dashboard/" + script);
            assertThat(js.statusCode()).isEqualTo(200);
            assertThat(js.headers().firstValue("content-type").orElse("")).startsWith("text/javascript");
        }
        assertThat(get("/dashboard/../openapi.json").statusCode()).isIn(200, 404); // normalised by the router, never a file
        HttpResponse<String> none = get("/dashboard/secrets.txt");
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(none.body()).contains("\"error\"");
        // any method name a client sends lands in one bounded label value
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/v1/slots"))
                .method("BREW", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        HttpResponse<String> metrics = get("/metrics");
        assertThat(metrics.body()).contains("method=\"OTHER\"").doesNotContain("BREW");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("procura_api_requests_seconds_count{method=\"GET\",route=\"/dashboard/:file\"");
    }

    /**
     * The API listens on 127.0.0.1 only unless told another address (the coordinator's {@code --api-host}, 0.0.0.0 in a
     * container): the default server is refused on this machine's other address, one on 0.0.0.0 answers there and
     * still warms itself up (over loopback) until ready.
     */
    @Test
    void shouldListenOnLoopbackOnlyUnlessToldOtherwise() throws Exception {
        java.net.InetAddress other = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                .filter(i -> { try { return i.isUp() && !i.isLoopback(); } catch (java.net.SocketException e) { return false; } })
                .flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof java.net.Inet4Address).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(other != null, "skipped: this machine has no non-loopback IPv4 address");
        try (java.net.Socket s = new java.net.Socket()) {
            assertThatThrownBy(() -> s.connect(new java.net.InetSocketAddress(other, api.port()), 2000))
                    .as("the default API on %s", other).isInstanceOf(java.io.IOException.class);
        }
        CoordinatorMetrics metrics = new CoordinatorMetrics();
        ApiServer everywhere = ApiServer.start(store, quoter, chain, BigInteger.ZERO, "0.0.0.0", 0, metrics);
        try {
            String base = "http://" + other.getHostAddress() + ":" + everywhere.port();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            long until = System.currentTimeMillis() + 30_000;
            int ready;
            do {
                ready = http.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (ready != 200) Thread.sleep(100);
            } while (ready != 200 && System.currentTimeMillis() < until);
            assertThat(ready).as("warmed up while listening on 0.0.0.0").isEqualTo(200);
        } finally {
            everywhere.close();
            metrics.close();
        }
    }

    @Test
    void shouldTellLivenessFromReadiness() throws Exception {
        assertThat(call("/health", "/health", 200).path("status").asText()).isEqualTo("ok");
        long until = System.currentTimeMillis() + 30_000;
        while (get("/health/ready").statusCode() != 200 && System.currentTimeMillis() < until) Thread.sleep(100);
        JsonNode ready = call("/health/ready", "/health/ready", 200);
        assertThat(ready.path("warmedUp").asBoolean()).isTrue();
        assertThat(ready.path("status").asText()).isEqualTo("READY");
        assertThat(ready.path("head").asLong()).isEqualTo(20);
    }
}
