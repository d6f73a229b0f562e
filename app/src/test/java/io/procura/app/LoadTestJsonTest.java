package io.procura.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.procura.app.demo.MarketHarness;
import io.procura.app.load.ApiLoad;
import io.procura.app.load.LoadTestReport;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `procura loadtest --json FILE` writes the report with token amounts as exact decimal strings. */
class LoadTestJsonTest {
    @Test
    void shouldWriteTheReportWithExactAmounts(@TempDir Path dir) throws Exception {
        BigInteger big = new BigInteger("52055103916558200064601"); // above 2^53: a JSON number would lose the unit
        MarketHarness.Totals totals = new MarketHarness.Totals(big, BigInteger.ONE, big.subtract(BigInteger.ONE),
                big.subtract(BigInteger.ONE), BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, true, true);
        ApiLoad.Summary api = new ApiLoad.Summary(100, 50, 2, 1.5, 9.5, 12, 0, 0, 0, Map.of("200", 100L));
        LoadTestReport r = new LoadTestReport(true, List.of(), Map.of("slots", 3), 3, 3, 0, 1, 0, 5, 2, 3, 10, 8, 22.5,
                37.5, 266_000, 270_000, 290_000, api, 1L << 30, 2, 2, 2, 3, 1, 0, 1, totals);
        Path file = dir.resolve("report.json");
        DemoCommand.writeJson(r, file);
        JsonNode json = new ObjectMapper().readTree(Files.readString(file));
        assertThat(json.path("ok").asBoolean()).isTrue();
        assertThat(json.path("totals").path("tokensIn").isTextual()).isTrue();
        assertThat(json.path("totals").path("tokensIn").asText()).isEqualTo(big.toString());
        assertThat(json.path("api").path("p99Millis").asDouble()).isEqualTo(9.5);
        assertThat(json.path("slotsPerMinute").asDouble()).isEqualTo(22.5);
        assertThat(json.path("peakRssBytes").asLong()).isEqualTo(1L << 30);
    }
}
