package io.procura.coordinator;

import io.procura.chain.ChainClient;
import io.procura.chain.ChainException;
import io.procura.chain.Deployment;
import io.procura.contracts.generated.ProverRegistry;
import java.math.BigInteger;
import org.web3j.crypto.Credentials;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * The API's view of the chain beyond the index: the node's head, and the registry's minimum bond and committee slice
 * read at most once per block (one {@code eth_blockNumber} per request, the registry only when the block moved).
 */
final class RegistryView implements ApiServer.ChainView {
    private final ChainClient chain;
    private final ProverRegistry registry;
    private volatile Params params;

    /** The registry's parameters at one block. */
    private record Params(long block, BigInteger minBond, BigInteger committeeSlice) {}

    RegistryView(ChainClient chain, Deployment deployment) {
        this.chain = chain;
        this.registry = ProverRegistry.load(deployment.registry(), chain.web3j(),
                new ReadonlyTransactionManager(chain.web3j(), Credentials.create("0x1").getAddress()), new DefaultGasProvider());
    }

    @Override
    public long head() {
        return chain.blockNumber().longValueExact();
    }

    private Params params() {
        long head = head();
        Params p = params;
        if (p != null && p.block() == head) return p;
        try {
            p = new Params(head, registry.minBond().send(), registry.committeeSlice().send());
        } catch (Exception e) {
            throw new ChainException("reading the registry's parameters failed: " + e.getMessage(), e);
        }
        params = p;
        return p;
    }

    @Override
    public ApiServer.RegistryTerms registryTerms() {
        Params p = params();
        return new ApiServer.RegistryTerms(p.minBond(), p.committeeSlice().signum() > 0);
    }

    @Override
    public boolean registryEligible(String prover) {
        try {
            return registry.getProver(prover).send().eligible;
        } catch (Exception e) {
            throw new ChainException("reading prover " + prover + " failed: " + e.getMessage(), e);
        }
    }
}
