package io.procura.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.procura.db.containers.ProcuraImages;
import io.procura.db.containers.RequiresDocker;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.DockerComposeContainer;

/**
 * The compose stack of {@code docker/docker-compose.yml}, as an operator runs it, through Testcontainers with the
 * local {@code docker-compose}: the images are built from {@code docker/} (the procura image packs the jar this
 * Maven build just made — hence an integration test, run by failsafe after {@code package}), then PostgreSQL, anvil,
 * the deployment job, the coordinator, three agents and the requester start; the test waits until a requester's slot
 * is drawn, proven by its designate and settled by the coordinator's keeper, and checks the coordinator's API and the
 * agents' metrics. Host ports are free ones, so a stack the developer runs is not disturbed. Skipped, saying why,
 * where no Docker engine answers.
 */
@RequiresDocker
class DockerStackIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void composeStackSettlesARequestersSlot() throws Exception {
        ProcuraImages.build("all");
        Path compose = ProcuraImages.root().resolve("docker/docker-compose.yml");
        int api = freePort();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PROCURA_API_PORT", Integer.toString(api));
        env.put("PROCURA_ANVIL_PORT", Integer.toString(freePort()));
        int[] metrics = {freePort(), freePort(), freePort()};
        for (int i = 0; i < 3; i++) env.put("PROCURA_AGENT" + (i + 1) + "_METRICS_PORT", Integer.toString(metrics[i]));

        String project = "procurait" + Long.toHexString(System.nanoTime());
        env.put("COMPOSE_PROJECT_NAME", project);
        try (DockerComposeContainer<?> stack = new DockerComposeContainer<>(project, compose.toFile())
                .withLocalCompose(true).withPull(false).withBuild(false).withRemoveVolumes(true).withEnv(env)) {
            stack.start();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            String base = "http://127.0.0.1:" + api;
            JsonNode settled = null;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
            while (settled == null && System.nanoTime() < deadline) {
                JsonNode page = get(http, base + "/v1/slots");
                if (page != null) {
                    for (JsonNode s : page.path("items")) {
                        if ("SETTLED".equals(s.path("state").asText()) && "delivered".equals(s.path("outcome").asText())) {
                            settled = s;
                        }
                    }
                }
                if (settled == null) Thread.sleep(2000);
            }
            assertThat(settled).as("a settled, delivered slot within 8 minutes; the stack's logs:%n%s", logs(project, compose))
                    .isNotNull();

            JsonNode slot = get(http, base + "/v1/slots/" + settled.path("slotId").asText());
            assertThat(slot.path("requester").asText()).isEqualToIgnoringCase("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
            String designate = slot.path("draw").path("designate").asText();
            assertThat(slot.path("deliveries").findValuesAsText("prover")).contains(designate.toLowerCase());
            JsonNode provers = get(http, base + "/v1/provers");
            assertThat(provers.path("items").size()).as("the three agents registered").isEqualTo(3);
            assertThat(provers.path("items").findValuesAsText("address")).contains(designate.toLowerCase());

            String agentMetrics = "";
            for (int port : metrics) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                agentMetrics += r.body();
            }
            assertThat(agentMetrics).contains("procura_agent_slots_total{action=\"submitted\"");
            HttpResponse<String> coordinatorMetrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(coordinatorMetrics.body()).containsPattern("(?m)^procura_slots_settled_total\\{outcome=\"delivered\"} [1-9]");
        }
    }

    private static JsonNode get(HttpClient http, String url) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException e) {
            return null; // not up yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The last lines of every service's log, for a failure message; also kept in target/docker-stack.log. */
    private static String logs(String project, Path compose) {
        try {
            Path out = Path.of("target", "docker-stack.log").toAbsolutePath();
            Process p = new ProcessBuilder(List.of("docker-compose", "-p", project, "-f", compose.toString(), "logs",
                    "--no-color", "--tail", "40")).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            p.waitFor(60, TimeUnit.SECONDS);
            return Files.readString(out);
        } catch (IOException e) {
            return "(no logs: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

}
