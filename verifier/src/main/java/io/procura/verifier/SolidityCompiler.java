package io.procura.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.procura.contracts.FoundryTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Compiles one self-contained Solidity source (a gnark-exported Groth16 verifier) into creation bytecode with the
 * project's own tool chain: forge 1.7.1 from {@code contracts/node_modules} and solc 0.8.28 (solcjs behind
 * {@code contracts/tools/solc}), with the settings of {@code contracts/foundry.toml} (optimizer 200 runs, EVM
 * cancun, no metadata hash), in a throw-away Foundry project. Needs a source checkout whose
 * {@code contracts/node_modules} is installed (the Maven build installs it).
 */
public final class SolidityCompiler {
    private static final Pattern CONTRACT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final long TIMEOUT_MINUTES = 5;

    private final Path repoRoot;

    /**
     * @param repoRoot the repository root (the folder holding {@code contracts/})
     */
    public SolidityCompiler(Path repoRoot) {
        this.repoRoot = repoRoot.toAbsolutePath().normalize();
    }

    /**
     * Compiles {@code source} and returns the creation bytecode of contract {@code name}.
     *
     * @param name   the contract's name in the source (a Solidity identifier)
     * @param source the Solidity source: one file, no imports
     * @return the creation (init) code
     * @throws IllegalArgumentException for a name that is not an identifier, or a source that does not compile
     *                                  (the compiler's message included) or has no contract {@code name}
     * @throws IllegalStateException    when forge or solc is missing, or compiling takes over 5 minutes
     */
    public byte[] compile(String name, String source) {
        if (!CONTRACT_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid contract name '" + name + "'");
        }
        Path forge = FoundryTools.forgeBinary(repoRoot);
        Path solc = repoRoot.resolve("contracts/tools/solc");
        if (!Files.isRegularFile(repoRoot.resolve("contracts/node_modules/solc/package.json"))) {
            throw new IllegalStateException("solc is not installed under " + repoRoot.resolve("contracts/node_modules")
                    + " (run `npm ci` in contracts/, or the Maven build)");
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("procura-solc");
            Files.createDirectories(dir.resolve("src"));
            Files.writeString(dir.resolve("src").resolve(name + ".sol"), source);
            Files.writeString(dir.resolve("foundry.toml"), String.join("\n",
                    "[profile.default]",
                    "src = \"src\"",
                    "out = \"out\"",
                    "cache = false",
                    "solc = \"" + solc.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"",
                    "offline = true",
                    "auto_detect_solc = false",
                    "evm_version = \"cancun\"",
                    "optimizer = true",
                    "optimizer_runs = 200",
                    "bytecode_hash = \"none\"",
                    ""));
            ProcessBuilder pb = new ProcessBuilder(List.of(forge.toString(), "build", "--root", dir.toString()))
                    .redirectErrorStream(true);
            pb.environment().put("FOUNDRY_DISABLE_NIGHTLY_WARNING", "1");
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("forge build of " + name + " took over " + TIMEOUT_MINUTES + " minutes");
            }
            if (p.exitValue() != 0) {
                throw new IllegalArgumentException("compiling " + name + " failed (forge exit " + p.exitValue() + "):\n"
                        + new String(out, StandardCharsets.UTF_8).strip());
            }
            Path artifact = dir.resolve("out").resolve(name + ".sol").resolve(name + ".json");
            if (!Files.isRegularFile(artifact)) {
                throw new IllegalArgumentException("the source defines no contract " + name);
            }
            JsonNode json = new ObjectMapper().readTree(artifact.toFile());
            String hex = json.path("bytecode").path("object").asText("");
            if (hex.startsWith("0x")) hex = hex.substring(2);
            if (hex.isEmpty()) throw new IllegalArgumentException(name + " has no creation bytecode (abstract?)");
            return HexFormat.of().parseHex(hex);
        } catch (IOException e) {
            throw new IllegalStateException("compiling " + name + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while compiling " + name, e);
        } finally {
            if (dir != null) deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
