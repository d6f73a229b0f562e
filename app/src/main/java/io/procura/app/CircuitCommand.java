package io.procura.app;

import io.procura.runtime.CircuitKeys;
import io.procura.runtime.DigitsModel;
import io.procura.runtime.ProvingKey;
import io.procura.runtime.ProvingRuntime;
import io.procura.runtime.VerifyingKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code procura circuit}: the digits circuit's keys and verifier. */
@Command(name = "circuit", mixinStandardHelpOptions = true, description = "The Groth16 circuits: list, keys, verifier, commitments.",
        subcommands = {CircuitCommand.ListCircuits.class, CircuitCommand.Info.class, CircuitCommand.Setup.class,
                CircuitCommand.ExportVerifier.class, CircuitCommand.Register.class})
public final class CircuitCommand implements Runnable {
    static final String UNSAFE = "WARNING: single-party Groth16 setup: whoever ran it can forge proofs. "
            + "UNSAFE for production; use an MPC ceremony.";

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /**
     * The Procura home directory: the {@code procura.home} system property (set by the {@code ./procura}
     * launcher to the repository root), else the working directory.
     *
     * @return the absolute, normalised home path
     */
    public static Path home() {
        return Path.of(System.getProperty("procura.home", ".")).toAbsolutePath().normalize();
    }

    /** Lists the circuits this runtime can prove: digits and the plug-in circuits. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "The circuits this runtime proves.")
    static final class ListCircuits implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.printf("%-12s %-26s %-6s %-7s %-9s %s%n", "name", "id", "fixed", "outputs", "payload", "keys");
            for (io.procura.runtime.Circuit c : io.procura.runtime.Circuit.all()) {
                java.nio.file.Path cached = c.cacheDir().resolve(c.keyName() + ".pk");
                String keys = CircuitCommand.class.getResource("/io/procura/runtime/keys/" + c.keyName() + ".pk") != null
                        ? "bundled" : Files.isRegularFile(cached) ? cached.toString()
                        : "none: procura circuit setup --circuit " + c.name();
                System.out.printf("%-12s %-26s %-6d %-7d %-9s %s%n", c.name(), c.id(), c.fixedInputs(), c.outputs(),
                        c.payloadBytes() + " bytes", keys);
            }
            System.out.println(UNSAFE);
            return 0;
        }
    }

    /** Prints the circuit's public inputs and the commitment of the bundled model. */
    @Command(name = "info", mixinStandardHelpOptions = true, description = "Public inputs, key sizes, model commitment.")
    static final class Info implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            ProvingRuntime runtime = ProvingRuntime.nativeRuntime();
            DigitsModel model = DigitsModel.load(home().resolve("data/digits-model.json"));
            try (ProvingKey pk = ProvingKey.loadBundled("digits"); VerifyingKey vk = VerifyingKey.loadBundled("digits")) {
                System.out.println("circuit          digits: predictedClass = argmax(W·image + b), Groth16 on BN254 (gnark)");
                System.out.println("public inputs    modelCommitment, imageCommitment ‖ predictedClass ‖ binding");
                System.out.println("binding          keccak256(chainid, market, slotId, prover) mod r");
                System.out.println("proving key      " + pk.bytes().length + " bytes (bundled)");
                System.out.println("verifying key    " + vk.bytes().length + " bytes (bundled)");
                System.out.println("model commitment " + runtime.commitModel(model));
                System.out.println(UNSAFE);
            }
            return 0;
        }
    }

    /** Runs a fresh single-party setup and writes the keys and the Solidity verifier. */
    @Command(name = "setup", mixinStandardHelpOptions = true,
            description = "Fresh Groth16 setup of a circuit (UNSAFE for production): keys, verifying-key hash, Solidity verifier.")
    static final class Setup implements Callable<Integer> {
        @Option(names = "--circuit", defaultValue = "digits",
                description = "digits, or a plug-in circuit (`procura circuit list`) [default: ${DEFAULT-VALUE}]")
        String circuit;
        @Option(names = "--out", description = "directory for the keys and the verifier (digits: required; a plug-in "
                + "circuit: default its cache directory, where agents look for keys)")
        Path out;
        @Option(names = "--contract", description = "Solidity contract name of the verifier [default: from the circuit's name]")
        String contract;

        @Override
        public Integer call() throws Exception {
            if (!circuit.equals("digits")) {
                return setupPlugin();
            }
            if (out == null) throw new IllegalArgumentException("--out is required for the digits circuit");
            io.procura.app.ops.DataDirs.checkWritable(out.resolve("digits.pk"), "the keys into"); // before the setup
            System.out.println(UNSAFE);
            System.out.println("running setup (a few seconds) ...");
            ProvingRuntime runtime = ProvingRuntime.nativeRuntime();
            Files.createDirectories(out);
            try (CircuitKeys keys = runtime.setupDigits()) {
                Files.write(out.resolve("digits.pk"), keys.provingKey().bytes());
                Files.write(out.resolve("digits.vk"), keys.verifyingKey().bytes());
                Files.writeString(out.resolve("DigitsVerifier.sol"), runtime.exportSolidityVerifier(keys.verifyingKey()));
            }
            System.out.println("wrote " + out.resolve("digits.pk") + ", digits.vk, DigitsVerifier.sol");
            return 0;
        }

        private int setupPlugin() throws Exception {
            io.procura.runtime.Circuit c = io.procura.runtime.Circuit.find(circuit).orElseThrow(
                    () -> new IllegalArgumentException("unknown circuit " + circuit + " (see `procura circuit list`)"));
            Path dir = out != null ? out : c.cacheDir();
            String name = contract != null ? contract : io.procura.verifier.CircuitRegistrar.verifierName(c.name());
            System.out.println(UNSAFE);
            System.out.printf("%s (%s): compiling and running the Groth16 setup (seconds for 2^16 constraints, "
                    + "minutes for 2^22) ...%n", c.name(), c.id());
            long t0 = System.nanoTime();
            ProvingRuntime runtime = ProvingRuntime.nativeRuntime();
            Files.createDirectories(dir);
            try (CircuitKeys keys = runtime.setup(c)) {
                System.out.printf("%s: setup done in %.1f s; writing the keys ...%n", c.name(), (System.nanoTime() - t0) / 1e9);
                byte[] pk = keys.provingKey().rawBytes();
                byte[] vk = keys.verifyingKey().bytes();
                Files.write(dir.resolve(c.keyName() + ".pk"), pk);
                Files.write(dir.resolve(c.keyName() + ".vk"), vk);
                Files.writeString(dir.resolve(name + ".sol"), runtime.exportSolidityVerifier(keys.verifyingKey(), name));
                String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(vk));
                System.out.printf("%s: proving key %s (%d bytes, raw encoding), verifying key %s%n", c.name(),
                        dir.resolve(c.keyName() + ".pk"), pk.length, dir.resolve(c.keyName() + ".vk"));
                System.out.printf("%s: verifying key SHA-256 %s%n", c.name(), sha);
                System.out.printf("%s: Solidity verifier %s in %s; `procura circuit register --circuit %s` deploys it, "
                        + "checks it against these keys and registers the circuit in a market%n",
                        c.name(), name, dir.resolve(name + ".sol"), c.name());
            }
            return 0;
        }
    }

    /** Prints the Solidity verifier of a circuit's verifying key (bundled, or made by `procura circuit setup`). */
    @Command(name = "export-verifier", mixinStandardHelpOptions = true,
            description = "Solidity verifier of a circuit's verifying key (bundled or from `procura circuit setup`).")
    static final class ExportVerifier implements Callable<Integer> {
        @Option(names = "--circuit", defaultValue = "digits",
                description = "digits, or a plug-in circuit (`procura circuit list`) [default: ${DEFAULT-VALUE}]")
        String circuit;
        @Option(names = "--contract", description = "Solidity contract name [default: Verifier for digits, else from the "
                + "circuit's name, e.g. Rollup2p16Verifier]")
        String contract;

        @Override
        public Integer call() throws Exception {
            ProvingRuntime runtime = ProvingRuntime.nativeRuntime();
            if (circuit.equals("digits") && contract == null) {
                try (VerifyingKey vk = VerifyingKey.loadBundled("digits")) {
                    System.out.print(runtime.exportSolidityVerifier(vk));
                }
                return 0;
            }
            io.procura.runtime.Circuit c = io.procura.runtime.Circuit.find(circuit).orElseThrow(
                    () -> new IllegalArgumentException("unknown circuit " + circuit + " (see `procura circuit list`)"));
            String name = contract != null ? contract : io.procura.verifier.CircuitRegistrar.verifierName(c.name());
            try (VerifyingKey vk = VerifyingKey.forCircuit(c).orElseThrow(() -> new IllegalArgumentException(c.name()
                    + " has no verifying key here: make one with `procura circuit setup --circuit " + c.name() + "`"))) {
                System.out.print(runtime.exportSolidityVerifier(vk, name));
            }
            return 0;
        }
    }

    /** Registers a plug-in circuit in a deployed market from its local keys (verifier checked against them). */
    @Command(name = "register", mixinStandardHelpOptions = true,
            description = "Register a circuit in a deployed market: deploy (or take) its verifier, check it against the "
                    + "local keys, deploy its payload checker, registerCircuit; needs the market's CIRCUIT_ADMIN_ROLE.")
    static final class Register implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        io.procura.app.ops.MarketConnection market;
        @Option(names = "--circuit", required = true, description = "a plug-in circuit (`procura circuit list`) with local keys")
        String circuit;
        @Option(names = "--verifier", description = "address of an already deployed verifier [default: compile and deploy "
                + "the one exported for the local verifying key]")
        String verifier;
        @Option(names = "--checker", description = "address of a payload checker, or `none` [default: deploy the circuit "
                + "family's own]")
        String checker;
        @Option(names = "--min-price", description = "least proof price, tokens [default: the digits circuit's]")
        String minPrice;
        @Option(names = "--min-window", description = "shortest prove window, seconds [default: the digits circuit's]")
        Long minWindow;
        @Option(names = "--max-window", description = "longest prove window, seconds [default: the digits circuit's]")
        Long maxWindow;

        @Override
        public Integer call() throws Exception {
            io.procura.runtime.Circuit c = io.procura.runtime.Circuit.find(circuit).orElseThrow(
                    () -> new IllegalArgumentException("unknown circuit " + circuit + " (see `procura circuit list`)"));
            for (String a : new String[] {verifier, "none".equals(checker) ? null : checker}) {
                if (a != null && !org.web3j.crypto.WalletUtils.isValidAddress(a)) {
                    throw new IllegalArgumentException("not an address: " + a);
                }
            }
            io.procura.chain.Deployment d = market.deployment();
            try (io.procura.chain.ChainClient chain = io.procura.chain.ChainClient.connect(market.rpcUrl)) {
                var creds = market.key.credentials();
                var digitsTerms = io.procura.chain.MarketContracts.load(chain, d, creds).market()
                        .circuitTerms(d.digitsCircuitId()).send();
                var terms = new io.procura.verifier.CircuitRegistrar.Terms(
                        minPrice != null ? io.procura.chain.Tokens.parse(minPrice) : digitsTerms.minProofPrice,
                        minWindow != null ? minWindow : digitsTerms.minProveWindow.longValueExact(),
                        maxWindow != null ? maxWindow : digitsTerms.maxProveWindow.longValueExact());
                var registrar = new io.procura.verifier.CircuitRegistrar(chain, d, creds, ProvingRuntime.nativeRuntime(),
                        home(), line -> System.out.println(c.name() + ": " + line));
                var r = registrar.register(c, verifier, checker, terms);
                java.util.Map<String, java.math.BigInteger> circuits = new java.util.TreeMap<>(d.circuits());
                circuits.put(c.name(), r.circuitId());
                io.procura.app.ops.DeploymentFile.write(new io.procura.chain.Deployment(d.chainId(), d.token(), d.registry(),
                        d.market(), d.digitsVerifier(), d.digitsCircuitId(), d.deployBlock(), circuits), market.deploymentPath());
                System.out.printf("%s: registered as circuit %s (verifier %s, payload checker %s); it takes slots from %s "
                                + "(unix %d), after the terms notice; provers opt in with `procura agent --circuits ...`%n",
                        c.name(), r.circuitId(), r.verifier(), r.checker(), java.time.Instant.ofEpochSecond(r.effectiveAt()),
                        r.effectiveAt());
                System.out.printf("%s: %s now maps %s to %s%n", c.name(), market.deploymentPath(), c.name(), r.circuitId());
                System.out.println(UNSAFE);
            }
            return 0;
        }
    }
}
