package io.procura.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.procura.db.Database;
import io.procura.db.DeliveryRow;
import io.procura.db.PayoutRow;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The coordinator's HTTP API over a real (embedded) PostgreSQL store. */
class ApiServerTest {
    private static final String TX = "0x" + "ab".repeat(32);
    private static final String DESIGNATE = "0x" + "11".repeat(20);
    private static Database db;
    private static ApiServer api;
    private static final HttpClient http = HttpClient.newHttpClient();
    private static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void startApiOverAStoreWithOneSlot() {
        db = Database.embedded(null);
        Store store = new Store(db.dataSource());
        store.insertSlotOpened(new SlotOpenedRow(TX, 0, 10, BigInteger.ONE, BigInteger.ZERO, "0x" + "22".repeat(20), 5,
                new BigInteger("400000000000000000"), BigInteger.TEN, BigInteger.valueOf(26), BigInteger.valueOf(18),
                BigInteger.valueOf(200), 60, 12, new byte[64], List.of(BigInteger.ONE, BigInteger.TWO)));
        store.markDrawn(new SlotDrawnRow(TX, 3, 13, BigInteger.ONE, DESIGNATE, "0x" + "33".repeat(32), 1_000L));
        // a second slot that waits for its draw
        store.insertSlotOpened(new SlotOpenedRow("0x" + "cd".repeat(32), 0, 14, BigInteger.TWO, BigInteger.ZERO,
                "0x" + "22".repeat(20), 5, BigInteger.ZERO, BigInteger.TEN, BigInteger.TEN, BigInteger.ZERO,
                BigInteger.valueOf(200), 60, 16, new byte[64], List.of(BigInteger.ONE, BigInteger.TWO)));
        store.recordDelivery(new DeliveryRow(TX, 1, 10, BigInteger.ONE, DESIGNATE, true, List.of(BigInteger.valueOf(7)), 284_000));
        store.insertPayout(new PayoutRow(TX, 2, 11, BigInteger.ONE, DESIGNATE, BigInteger.valueOf(26), "DESIGNATE"));
        Quoter quoter = (circuit, c, price) -> {
            if (circuit.signum() != 0) throw new IllegalArgumentException("unknown circuit " + circuit);
            var o = DesignatedMechanism.optimizeFullCommittee(5, 3, c, 20, FailurePolicy.COMPENSATE_COMMITTEE);
            return new Quote(circuit, 5, 3, c, 20, FailurePolicy.COMPENSATE_COMMITTEE, 4, o.mixingProbability(), BigInteger.ONE,
                    o.totalPrize(), o.committeePrize(), o.loss(), price, price, price, BigInteger.valueOf(200));
        };
        api = ApiServer.start(store, quoter, BigInteger.ZERO, 0);
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

    @Test
    void shouldListSlotsWithTheirDeliveriesAndPayouts() throws Exception {
        HttpResponse<String> r = get("/v1/slots");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode slots = json.readTree(r.body());
        assertThat(slots).hasSize(2);
        JsonNode undrawn = slots.get(0); // newest first
        assertThat(undrawn.path("state").asText()).isEqualTo("OPEN");
        assertThat(undrawn.path("drawn").isNull()).as("no designate before the draw").isTrue();
        assertThat(undrawn.path("opened").path("drawBlock").asLong()).isEqualTo(16);
        JsonNode drawn = slots.get(1);
        assertThat(drawn.path("state").asText()).isEqualTo("DRAWN");
        assertThat(drawn.path("drawn").path("designate").asText()).isEqualTo(DESIGNATE);
        assertThat(drawn.path("drawn").path("deadline").asLong()).isEqualTo(1_000L);
        assertThat(drawn.path("opened").path("proveWindow").asLong()).isEqualTo(60);
        assertThat(drawn.path("deliveries").get(0).path("gasUsed").asLong()).isEqualTo(284_000);
        assertThat(drawn.path("payouts").get(0).path("amount").asInt()).isEqualTo(26);
    }

    @Test
    void shouldReturnOneSlotOr404() throws Exception {
        assertThat(json.readTree(get("/v1/slots/1").body()).path("state").asText()).isEqualTo("DRAWN");
        assertThat(json.readTree(get("/v1/slots/2").body()).path("state").asText()).isEqualTo("OPEN");
        HttpResponse<String> missing = get("/v1/slots/99");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json.readTree(missing.body()).path("error").asText()).contains("99");
    }

    @Test
    void shouldQuoteTheOptimalMixingProbability() throws Exception {
        HttpResponse<String> r = get("/v1/quote?livenessPenalty=100&proofPrice=10");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode q = json.readTree(r.body());
        assertThat(q.path("circuitId").asInt()).as("the default circuit").isZero();
        assertThat(q.path("mixingProbability").asDouble()).isBetween(0.01, 0.99);
        assertThat(q.path("worstCaseLoss").asDouble()).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void shouldAnswerBadParametersWith400() throws Exception {
        assertThat(get("/v1/quote?proofPrice=10").statusCode()).isEqualTo(400);
        assertThat(get("/v1/quote?livenessPenalty=0.5&proofPrice=10").statusCode()).isEqualTo(400);
        assertThat(get("/v1/slots?limit=0").statusCode()).isEqualTo(400);
        assertThat(get("/v1/slots/notanumber").statusCode()).isEqualTo(400);
        assertThat(get("/v1/quote?livenessPenalty=100&proofPrice=10&circuitId=7").statusCode()).isEqualTo(400);
    }
}
