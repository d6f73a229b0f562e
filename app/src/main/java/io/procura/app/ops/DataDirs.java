package io.procura.app.ops;

import io.procura.chain.Deployment;
import java.nio.file.Path;

/**
 * Where the CLI keeps state by default: under the user's data directory ({@code $XDG_DATA_HOME}, else
 * {@code ~/.local/share}), in {@code procura/<kind>/<chain id>-<market>[-<address>]}, one folder per deployment (and
 * per key where a key owns the state), never inside the checkout.
 */
final class DataDirs {
    private DataDirs() {
    }

    /**
     * @param kind       {@code agents}, {@code coordinator}, …
     * @param deployment the marketplace the state belongs to
     * @param address    the key's address when the state is a key's, else null
     * @return the directory (not created)
     */
    static Path of(String kind, Deployment deployment, String address) {
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        String name = deployment.chainId() + "-" + deployment.market().toLowerCase()
                + (address == null ? "" : "-" + address.toLowerCase());
        return base.resolve("procura").resolve(kind).resolve(name);
    }
}
