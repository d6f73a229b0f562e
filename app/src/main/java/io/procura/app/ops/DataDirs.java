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
