package io.procura.app.ops;

import io.procura.chain.Deployment;
import java.nio.file.Path;

/**
 * Where the CLI keeps state by default: under the user's data directory ({@code $XDG_DATA_HOME}, else
 * {@code ~/.local/share}), in {@code procura/<kind>/<chain id>-<market>[-<address>]}, one folder per deployment (and
 * per key where a key owns the state), never inside the checkout.
 */
public final class DataDirs {
    private DataDirs() {
    }

    /** @return {@code $XDG_DATA_HOME/procura}, else {@code ~/.local/share/procura} (not created) */
    public static Path root() {
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("procura");
    }

    /**
     * @param chainId a chain id (EIP-155)
     * @return where {@code procura deploy} writes, and every market command reads by default, the deployment on that
     *         chain: {@code <root>/deployments/<chain id>.json}
     */
    public static Path deployment(long chainId) {
        return root().resolve("deployments").resolve(chainId + ".json");
    }

    /**
     * @param name a file or folder name for a report ({@code demo}, {@code sweep}, …)
     * @param ext  its extension with the dot ({@code .json}), or empty for a folder
     * @return a new path for a report written without an explicit path: {@code <root>/reports/<name>-<UTC time><ext>}
     */
    public static Path report(String name, String ext) {
        String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(java.time.ZoneOffset.UTC)
                .format(java.time.Instant.now());
        return root().resolve("reports").resolve(name + "-" + stamp + ext);
    }

    /**
     * Checks that a file can be written (its folder created and writable, the file itself not a folder and writable
     * if it exists), so that a command finds out before it does its work, not after.
     *
     * @param file the file to write
     * @param what what it is, for the message ("the deployment file")
     * @throws IllegalArgumentException naming the file when it cannot be written
     */
    public static void checkWritable(Path file, String what) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            java.nio.file.Files.createDirectories(parent);
            if (!java.nio.file.Files.isWritable(parent) || java.nio.file.Files.isDirectory(file)
                    || (java.nio.file.Files.exists(file) && !java.nio.file.Files.isWritable(file))) {
                throw new java.io.IOException("not writable");
            }
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot write " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    /** @return where {@code procura keystore new} writes keystores by default: {@code <root>/keys} */
    public static Path keys() {
        return root().resolve("keys");
    }

    /**
     * @param kind       {@code agents}, {@code coordinator}, …
     * @param deployment the marketplace the state belongs to
     * @param address    the key's address when the state is a key's, else null
     * @return the directory (not created)
     */
    static Path of(String kind, Deployment deployment, String address) {
        String name = deployment.chainId() + "-" + deployment.market().toLowerCase()
                + (address == null ? "" : "-" + address.toLowerCase());
        return root().resolve(kind).resolve(name);
    }
}
