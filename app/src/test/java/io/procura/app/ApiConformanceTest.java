package io.procura.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.procura.coordinator.Coordinator;
import io.procura.db.Database;
import io.procura.db.Store;
import io.procura.runtime.DigitsProof;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

/**
 * The coordinator's API against its own OpenAPI document, fuzzed by schemathesis (PyPI; installed once into the user's
 * cache by {@code scripts/schemathesis.sh}) on a live coordinator over anvil and PostgreSQL with a settled slot, a
 * drawn one and an undrawn one: every generated request, valid or not, must answer a documented status with a body
 * that matches the schema, and never 5xx.
 */
class ApiConformanceTest {
    private static LocalMarket m;
    private static Database db;
    private static Coordinator coordinator;

    @BeforeAll
    static void coordinatorWithSlots() throws Exception {
        m = new LocalMarket(2);
        db = Database.embedded(null);
        coordinator = new Coordinator(m.chain, m.d, new Store(db.dataSource()), m.owner,
                new Coordinator.Settings(1.0, 0, Duration.ofMillis(200), 0));
        coordinator.start();
        BigInteger settled = m.openSlot(m.fixedInputs());
        String designate = m.terms(settled).designate;
        Credentials prover = m.provers.stream().filter(c -> c.getAddress().equalsIgnoreCase(designate)).findFirst().orElseThrow();
        DigitsProof proof = m.proveFor(settled, prover);
        m.submit(prover, settled, BigInteger.valueOf(proof.predictedClass()), proof);
        m.chain.increaseTime(601);
        m.as(m.requester).market().settle(settled, m.terms(settled)).send();
        m.openSlot(m.fixedInputs());
        m.openUndrawn(m.fixedInputs());
        coordinator.syncNow();
    }

    @AfterAll
    static void stop() {
        if (coordinator != null) coordinator.close();
        if (db != null) db.close();
        if (m != null) m.close();
    }

    @Test
    void schemathesisShouldFindNoServerErrorAndNoSchemaViolation() throws Exception {
        Process install = new ProcessBuilder(LocalMarket.HOME.resolve("scripts/schemathesis.sh").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String st = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(install.waitFor()).as("scripts/schemathesis.sh installs schemathesis").isZero();
        String base = "http://127.0.0.1:" + coordinator.apiPort();
        // as a load balancer would: the API is fuzzed once it says it is ready (indexed, warmed up)
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        long until = System.currentTimeMillis() + 60_000;
        while (http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/health/ready")).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
            assertThat(System.currentTimeMillis()).as("the coordinator became ready").isLessThan(until);
            Thread.sleep(200);
        }
        Path reports = Path.of("target", "schemathesis").toAbsolutePath();
        java.nio.file.Files.createDirectories(reports);
        // run inside target/: schemathesis keeps its example cache (.schemathesis/) in its working directory
        ProcessBuilder pb = new ProcessBuilder(st, "run", base + "/openapi.json", "--url", base, "--checks", "all",
                "--max-examples", "40", "--seed", "1", "--workers", "2", "--report", "junit", "--report-dir",
                reports.toString(), "--no-color").directory(reports.toFile()).redirectErrorStream(true);
        Process run = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        run.getInputStream().transferTo(out);
        assertThat(run.waitFor(300, TimeUnit.SECONDS)).isTrue();
        String report = out.toString(StandardCharsets.UTF_8);
        System.out.println(report);
        assertThat(run.exitValue()).as("schemathesis found problems:\n" + report).isZero();
        assertThat(report).doesNotContain("Server error");
        assertThat(report).as("every operation of the document tested").contains("Selected: 9/9").contains("Tested: 9");
        assertThat(report).as("every generated case passed").containsPattern("(\\d+) generated, \\1 passed");
    }
}
