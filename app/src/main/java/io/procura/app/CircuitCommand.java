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
                CircuitCommand.ExportVerifier.class})
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
            System.out.printf("%-12s %-26s %-6d %-7d %-9s %s%n", "digits", "procura.digits.v1", 2, 1, "64 bytes", "bundled");
            for (io.procura.runtime.Circuit c : io.procura.runtime.Circuit.all()) {
                java.nio.file.Path cached = c.cacheDir().resolve(c.keyName() + ".pk");
                String keys = CircuitCommand.class.getResource("/io/procura/runtime/keys/" + c.keyName() + ".pk") != null
                        ? "bundled" : Files.isRegularFile(cached) ? cached.toString()
                        : "none: go run ./cmd/circuit setup -circuit " + c.name() + " (gpu-runtime/go)";
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
    @Command(name = "setup", mixinStandardHelpOptions = true, description = "Fresh Groth16 setup of the digits circuit (UNSAFE for production).")
    static final class Setup implements Callable<Integer> {
        @Option(names = "--out", required = true, description = "directory for digits.pk, digits.vk, DigitsVerifier.sol")
        Path out;

        @Override
        public Integer call() throws Exception {
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
    }

    /** Prints the Solidity verifier of the bundled verifying key. */
    @Command(name = "export-verifier", mixinStandardHelpOptions = true, description = "Solidity verifier of the bundled verifying key.")
    static final class ExportVerifier implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            try (VerifyingKey vk = VerifyingKey.loadBundled("digits")) {
                System.out.print(ProvingRuntime.nativeRuntime().exportSolidityVerifier(vk));
            }
            return 0;
        }
    }
}
