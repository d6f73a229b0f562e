package io.procura.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.procura.app.ops.DeploymentFile;
import io.procura.chain.Tokens;
import io.procura.contracts.generated.ProcurementMarket;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.utils.Numeric;

/**
 * `procura agent` as an operator runs it, in its own JVM, SIGKILLed and restarted on anvil (one prover: it is every
 * slot's designate). Killed the moment it takes a duty (mid-proof), the restart delivers the slot; killed after
 * delivering (mid-slot) while another slot is drawn, the restart proves the new slot and, reading from the deployment
 * block, finds the first one already done: exactly one proof per slot, none missed. SIGTERM stops it cleanly.
 */
class AgentKillTest {
    private static LocalMarket m;
    private static Credentials key;
    private static Path deployment;

    @BeforeAll
    static void market(@TempDir Path dir) throws Exception {
        m = new LocalMarket(0);
        key = m.fundedKey(Tokens.parse("1000"));
        deployment = dir.resolve("deployment.json");
        DeploymentFile.write(m.d, deployment);
    }

    @AfterAll
    static void stop() {
        if (m != null) m.close();
    }

    /** A running `procura agent` and every line it printed. */
    private record Agent(Process process, List<String> lines, List<Thread> readers) {
        /** Waits until both streams are read to their end (the process exited). */
        void drained() throws InterruptedException {
            for (Thread t : readers) t.join(10_000);
        }

        /** Waits until a line matches; fails with the output when it does not come within the time or the agent exits. */
        String await(String what, Predicate<String> match, long seconds) throws InterruptedException {
            long until = System.currentTimeMillis() + seconds * 1000;
            while (System.currentTimeMillis() < until) {
                for (String l : lines) if (match.test(l)) return l;
                if (!process.isAlive()) break;
                Thread.sleep(10);
            }
            throw new AssertionError("no line with " + what + " from the agent; it printed:\n" + String.join("\n", lines));
        }
    }

    private static Agent start(Path dataDir, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dprocura.home=" + LocalMarket.HOME, "-cp", System.getProperty("java.class.path"), ProcuraCli.class.getName(),
                "agent", "--rpc-url", m.chain.rpcUrl(), "--deployment", deployment.toString(), "--private-key-env",
                "PROCURA_KILL_TEST_KEY", "--bond", "1000", "--data-dir", dataDir.toString(), "--poll-ms", "200",
                "--name", "killme"));
        cmd.addAll(List.of(extra));
        // stdout (the agent's outcome lines) and stderr (its log) are read apart: merged, a line of one could be cut
        // by a line of the other
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("PROCURA_KILL_TEST_KEY", Numeric.toHexStringWithPrefixZeroPadded(key.getEcKeyPair().getPrivateKey(), 64));
        Process p = pb.start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Agent a = new Agent(p, lines, List.of(lineReader(p.getInputStream(), lines), lineReader(p.getErrorStream(), lines)));
        a.await("watching", l -> l.contains("watching market"), 120);
        return a;
    }

    private static Thread lineReader(java.io.InputStream in, List<String> lines) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) lines.add(l);
            } catch (java.io.IOException ignored) {
                // the process died
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static long proofsOf(BigInteger slot) {
        EthFilter f = new EthFilter(DefaultBlockParameter.valueOf(m.d.deployBlock()), DefaultBlockParameterName.LATEST, m.d.market());
        f.addSingleTopic(EventEncoder.encode(ProcurementMarket.PROOFSUBMITTED_EVENT));
        return m.chain.logs(f, "proofs").stream().map(ProcurementMarket::getProofSubmittedEventFromLog)
                .filter(e -> e.slotId.equals(slot) && e.prover.equalsIgnoreCase(key.getAddress())).count();
    }

    private static void kill(Agent a) throws InterruptedException {
        a.process().destroyForcibly(); // SIGKILL: no shutdown hook, no saved state beyond what is on disk
        assertThat(a.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void shouldDeliverEveryDutyOnceAcrossSigkills(@TempDir Path dataDir) throws Exception {
        // 1. killed mid-proof: the moment it logs the duty
        Agent first = start(dataDir);
        BigInteger one = m.openSlot(m.fixedInputs());
        first.await("the duty", l -> l.contains("DUTY designate of slot " + one), 60);
        kill(first);
        boolean midProof = first.lines().stream().noneMatch(l -> l.contains("submitted slot " + one));
        assertThat(proofsOf(one)).isEqualTo(midProof ? 0 : 1);

        // 2. the restart delivers it
        Agent second = start(dataDir);
        second.await("slot " + one + " delivered", l -> l.contains("slot " + one + ": DESIGNATE SUBMITTED")
                || l.contains("slot " + one + ": DESIGNATE ALREADY_DONE"), 120);
        assertThat(proofsOf(one)).isEqualTo(1);

        // 3. killed mid-slot (delivered, not settled); a new duty is drawn while it is down
        kill(second);
        BigInteger two = m.openSlot(m.fixedInputs());

        // 4. the restart, reading from the deployment block: the new duty is proven, the old slot is already done
        Agent third = start(dataDir, "--from-block", m.d.deployBlock().toString(), "--metrics-port", "0");
        third.await("slot " + two + " delivered", l -> l.contains("slot " + two + ": DESIGNATE SUBMITTED"), 120);
        third.await("slot " + one + " already done", l -> l.contains("slot " + one + ": DESIGNATE ALREADY_DONE"), 30);
        assertThat(proofsOf(one)).isEqualTo(1);
        assertThat(proofsOf(two)).isEqualTo(1);
        // its Prometheus endpoint (--metrics-port 0: a free port, printed) counts what this run did
        String url = third.lines().stream().filter(l -> l.contains("metrics on http://")).findFirst().orElseThrow()
                .replaceAll(".*metrics on ", "").strip();
        String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(url)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        String agent = "agent=\"" + key.getAddress().toLowerCase() + "\"";
        assertThat(metrics).containsPattern("procura_agent_slots_total\\{action=\"submitted\"," + agent
                + ",role=\"designate\"\\} 1\\.0");
        assertThat(metrics).containsPattern("procura_agent_slots_total\\{action=\"already_done\"," + agent
                + ",role=\"designate\"\\} 1\\.0");
        assertThat(metrics).containsPattern("procura_agent_prove_seconds_count\\{" + agent
                + ",backend=\"cpu\",circuit=\"digits\"\\} 1");
        assertThat(metrics).containsPattern("procura_agent_submit_gas_count\\{" + agent + ",circuit=\"digits\"\\} 1");
        assertThat(metrics).contains("procura_rpc_requests_seconds_count{method=\"eth_getLogs\"}");

        // 5. SIGTERM: a clean stop that releases the lock
        third.process().toHandle().destroy(); // Process.destroy() would also close the pipes the test reads
        assertThat(third.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        third.drained(); // every line it printed before it exited
        assertThat(third.lines()).anyMatch(l -> l.contains("agent killme: stopping"));
        // the prover backend, as an operator reads it: no GPU here, so the CPU, and each proof says so
        assertThat(third.lines()).anyMatch(l -> l.contains("agent killme: proving on cpu (no usable GPU"));
        assertThat(third.lines()).anyMatch(l -> l.contains("submitted slot " + two) && l.contains(", on the CPU"));
        io.procura.agent.AgentState.open(dataDir).close();
        System.out.println("AgentKillTest: first kill was " + (midProof ? "mid-proof" : "after the submission"));
    }
}
