package io.procura.contracts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Locates the Foundry executables (forge, anvil 1.7.1) that the npm packages {@code @foundry-rs/forge} and
 * {@code @foundry-rs/anvil} install under {@code contracts/node_modules} (docs/DESIGN.md §7). The real binaries live in
 * the platform packages {@code @foundry-rs/<tool>-<os>-<arch>/bin/<tool>}; the {@code node_modules/.bin} entries
 * are Node launchers and are not used.
 */
public final class FoundryTools {

    private FoundryTools() {
    }

    /**
     * Path of the anvil executable.
     *
     * @param repoRoot the repository root (the folder holding {@code contracts/})
     * @return absolute path of an existing, executable file
     * @throws IllegalStateException when the executable is missing (node_modules not installed) or the
     *                               platform has no Foundry build
     */
    public static Path anvilBinary(Path repoRoot) {
        return binary(repoRoot, "anvil");
    }

    /**
     * Path of the forge executable.
     *
     * @param repoRoot the repository root (the folder holding {@code contracts/})
     * @return absolute path of an existing, executable file
     * @throws IllegalStateException when the executable is missing (node_modules not installed) or the
     *                               platform has no Foundry build
     */
    public static Path forgeBinary(Path repoRoot) {
        return binary(repoRoot, "forge");
    }

    /**
     * The npm platform suffix of this JVM's operating system and architecture, e.g. {@code linux-amd64}.
     *
     * @return {@code <os>-<arch>} as used in the {@code @foundry-rs/<tool>-<os>-<arch>} package names
     * @throws IllegalStateException on a platform that Foundry does not ship binaries for
     */
    static String platform() {
        String osName = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String archName = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String os;
        if (osName.contains("linux")) {
            os = "linux";
        } else if (osName.contains("mac") || osName.contains("darwin")) {
            os = "darwin";
        } else if (osName.contains("windows")) {
            os = "win32";
        } else {
            throw new IllegalStateException("Foundry ships no binaries for operating system " + osName);
        }
        String arch = switch (archName) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> throw new IllegalStateException("Foundry ships no binaries for architecture " + archName);
        };
        return os + "-" + arch;
    }

    private static Path binary(Path repoRoot, String tool) {
        String platform = platform();
        String exe = platform.startsWith("win32") ? tool + ".exe" : tool;
        Path file = repoRoot.toAbsolutePath().normalize()
                .resolve("contracts").resolve("node_modules").resolve("@foundry-rs")
                .resolve(tool + "-" + platform).resolve("bin").resolve(exe);
        if (!Files.isRegularFile(file) || !Files.isExecutable(file)) {
            throw new IllegalStateException(tool + " not found at " + file + ": run ./procura or ./mvnw install first");
        }
        return file;
    }
}
