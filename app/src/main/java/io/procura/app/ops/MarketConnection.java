package io.procura.app.ops;

import io.procura.chain.Deployment;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What every command that acts on a deployed marketplace needs (a picocli mixin): the chain's
 * JSON-RPC endpoint, the deployment file written by {@code procura deploy}, and a signing key.
 */
public final class MarketConnection {
    /** JSON-RPC endpoint of the chain */
    @Option(names = "--rpc-url", required = true, description = "JSON-RPC endpoint of the chain")
    public String rpcUrl;
    /** the addresses written by {@code procura deploy} */
    @Option(names = "--deployment", description = "addresses written by `procura deploy` [default: the last deployment "
            + "`procura deploy` made on this chain: $XDG_DATA_HOME or ~/.local/share, then procura/deployments/<chain id>.json]")
    public Path deploymentFile;
    /** the signing key */
    @Mixin
    public KeyOptions key;

    /**
     * @return the deployment file: {@code --deployment}, else the one {@code procura deploy} wrote for the chain at
     *         {@code --rpc-url} ({@link DataDirs#deployment}; asks the node for its chain id)
     * @throws IllegalArgumentException when no file was given and none exists for the chain
     * @throws io.procura.chain.ChainException when the node cannot be reached
     */
    public Path deploymentPath() {
        if (deploymentFile == null) {
            long chainId;
            try (io.procura.chain.ChainClient chain = io.procura.chain.ChainClient.connect(rpcUrl)) {
                chainId = chain.chainId();
            }
            Path p = DataDirs.deployment(chainId);
            if (!java.nio.file.Files.isRegularFile(p)) {
                throw new IllegalArgumentException("no --deployment given and no deployment of chain " + chainId + " in " + p
                        + ": run `procura deploy` for this chain first, or pass --deployment FILE");
            }
            deploymentFile = p;
        }
        return deploymentFile;
    }

    /**
     * @return the deployment read from {@link #deploymentPath()}
     * @throws IllegalArgumentException if the file cannot be read, or none was given nor exists for the chain
     */
    public Deployment deployment() {
        return DeploymentFile.read(deploymentPath());
    }
}
