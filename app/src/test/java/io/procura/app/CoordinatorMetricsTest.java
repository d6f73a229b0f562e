package io.procura.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.procura.coordinator.Coordinator;
import io.procura.db.Database;
import io.procura.db.Store;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's {@code GET /metrics} after real slots on anvil: one proven by its designate, one whose designate
 * stays silent; both pass their deadline and the keeper settles them. Every count is exact (this coordinator's
 * registry starts at zero), the names follow Prometheus' conventions, and the values come from the real indexer,
 * keeper, API and chain client.
 */
class CoordinatorMetricsTest {

    @Test
    void metricsCountWhatTheCoordinatorSawAndDid() throws Exception {
        try (LocalMarket m = new LocalMarket(2); Database db = Database.embedded(null)) {
            Coordinator coordinator = new Coordinator(m.chain, m.d, new Store(db.dataSource()), m.owner,
                    new Coordinator.Settings(1.0, 0, Duration.ofMillis(200), 0));
            try {
                coordinator.start();
                BigInteger proven = m.provenAndSilent(coordinator).proven();

                HttpClient http = HttpClient.newHttpClient();
                String base = "http://127.0.0.1:" + coordinator.apiPort();
                for (int i = 0; i < 3; i++) {
                    http.send(HttpRequest.newBuilder(URI.create(base + "/v1/slots/" + proven)).build(),
                            HttpResponse.BodyHandlers.discarding());
                }
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain; version=0.0.4");
                String text = r.body();

                assertThat(value(text, "procura_slots_opened_total")).isEqualTo(2);
                assertThat(value(text, "procura_slots_drawn_total")).isEqualTo(2);
                assertThat(value(text, "procura_slots_settled_total{outcome=\"delivered\"}")).isEqualTo(1);
                assertThat(value(text, "procura_slots_settled_total{outcome=\"no_proof\"}")).isEqualTo(1);
                assertThat(value(text, "procura_deliveries_total{role=\"designate\"}")).isEqualTo(1);
                assertThat(value(text, "procura_keeper_actions_total{action=\"settle\",result=\"ok\"}")).isEqualTo(2);
                assertThat(text).contains("procura_indexer_lag_blocks ");
                assertThat(value(text, "procura_indexer_lag_blocks")).isBetween(0.0, 2.0);
                assertThat(value(text, "procura_api_requests_seconds_count{method=\"GET\",route=\"/v1/slots/:id\",status=\"200\"}"))
                        .isEqualTo(3);
                assertThat(value(text, "procura_rpc_requests_seconds_count{method=\"eth_blockNumber\"}")).isPositive();
                assertThat(text).doesNotContain("route=\"/v1/slots/" + proven + "\""); // templates, not raw paths
            } finally {
                coordinator.close();
            }
        }
    }

    /** The value of one sample line {@code name{labels} value} of Prometheus' text format. */
    private static double value(String text, String sample) {
        Matcher mt = Pattern.compile("(?m)^" + Pattern.quote(sample) + " ([0-9.eE+-]+)$").matcher(text);
        assertThat(mt.find()).as("sample %s in:%n%s", sample, text.lines().filter(l -> l.startsWith("procura_"))
                .reduce("", (a, b) -> a + "\n" + b)).isTrue();
        return Double.parseDouble(mt.group(1));
    }
}
