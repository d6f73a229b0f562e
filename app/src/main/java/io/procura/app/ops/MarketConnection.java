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
    @Option(names = "--deployment", required = true, description = "addresses written by `procura deploy`")
    public Path deploymentFile;
    /** the signing key */
    @Mixin
    public KeyOptions key;

    /**
     * @return the deployment read from {@link #deploymentFile}
     * @throws IllegalArgumentException if the file cannot be read
     */
    public Deployment deployment() {
        return DeploymentFile.read(deploymentFile);
    }
}
