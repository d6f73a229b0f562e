package io.procura.chain;

import io.procura.contracts.generated.DemoToken;
import io.procura.contracts.generated.ProcurementMarket;
import io.procura.contracts.generated.ProverRegistry;
import org.web3j.crypto.Credentials;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractGasProvider;

/**
 * The three marketplace contracts, loaded for one signing key (web3j wrappers generated from the
 * Foundry ABIs in {@code contracts/}).
 *
 * @param token    the ERC-20
 * @param registry the ProverRegistry
 * @param market   the ProcurementMarket
 */
public record MarketContracts(DemoToken token, ProverRegistry registry, ProcurementMarket market) {

    /**
     * Loads the wrappers of a deployment for a key.
     *
     * @param chain       the chain connection
     * @param deployment  the contract addresses
     * @param credentials the key that signs transactions sent through these wrappers
     * @return the loaded wrappers
     */
    public static MarketContracts load(ChainClient chain, Deployment deployment, Credentials credentials) {
        TransactionManager tm = chain.transactionManager(credentials);
        ContractGasProvider gas = chain.liveGasProvider(ChainClient.GAS_LIMIT); // fees read per transaction
        return new MarketContracts(
                DemoToken.load(deployment.token(), chain.web3j(), tm, gas),
                ProverRegistry.load(deployment.registry(), chain.web3j(), tm, gas),
                ProcurementMarket.load(deployment.market(), chain.web3j(), tm, gas));
    }
}
