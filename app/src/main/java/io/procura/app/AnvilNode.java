package io.procura.app;

import io.procura.chain.ChainException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local anvil node (Foundry's development EVM, from the npm package {@code @foundry-rs/anvil})
 * run as a child process on a free loopback port. Stopped on {@link #close()} and on JVM exit.
 */
public final class AnvilNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AnvilNode.class);
    /**
     * Private key of anvil's first development account (the well-known default mnemonic
     * "test test … junk"); it holds 10,000 ether on a fresh anvil. Never use it on a real chain.
     */
    public static final String DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    private final Process process;
    private final int port;

    private AnvilNode(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts anvil and waits until it listens.
     *
     * @param binary the anvil executable
     * @param chainId the chain id to run with
     * @return the running node
     * @throws ChainException if anvil is missing or does not start within 30 s
     */
    public static AnvilNode start(Path binary, long chainId) {
        if (!Files.isExecutable(binary)) {
            throw new ChainException("anvil not found at " + binary + " (run ./procura or ./mvnw install to install the npm tools)");
        }
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--chain-id", Long.toString(chainId), "--accounts", "2", "--balance", "100000"));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            CountDownLatch ready = new CountDownLatch(1);
            List<String> head = new ArrayList<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (head.size() < 200) head.add(line);
                        if (line.contains("Listening on")) ready.countDown();
                    }
                } catch (IOException ignored) {
                    // process ended
                }
            }, "anvil-out");
            reader.setDaemon(true);
            reader.start();
            AnvilNode node = new AnvilNode(p, port);
            Runtime.getRuntime().addShutdownHook(new Thread(node::close));
            if (!ready.await(30, TimeUnit.SECONDS)) {
                node.close();
                throw new ChainException("anvil did not start within 30 s: " + String.join("\n", head));
            }
            LOG.info("anvil listening on {}", node.rpcUrl());
            return node;
        } catch (IOException e) {
            throw new ChainException("cannot start anvil (" + binary + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainException("interrupted while starting anvil", e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new ChainException("no free loopback port for anvil: " + e.getMessage(), e);
        }
    }

    /** @return the HTTP JSON-RPC endpoint */
    public String rpcUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Stops the node. Idempotent. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** @return how long to wait between chain polls on a local node */
    public static Duration pollInterval() {
        return Duration.ofMillis(200);
    }
}
