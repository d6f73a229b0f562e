package io.procura.app;

import io.procura.chain.ChainClient;
import io.procura.chain.ChainException;
import io.procura.chain.Deployment;
import io.procura.contracts.generated.DemoToken;
import io.procura.contracts.generated.DigitsPayloadChecker;
import io.procura.contracts.generated.DigitsVerifier;
import io.procura.contracts.generated.ProcurementMarket;
import io.procura.contracts.generated.ProverRegistry;
import java.math.BigInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractGasProvider;

/**
 * Deploys a complete marketplace: the demo ERC-20, the ProverRegistry, the ProcurementMarket and
 * the gnark-exported Groth16 verifier of the digits circuit, then wires them (market set in the
 * registry, circuit registered in the market with 2 fixed inputs, 1 output and the digits payload
 * checker, which refuses a slot whose image commitment is not the MiMC commitment of its payload).
 */
public final class Deployer {
    private static final Logger LOG = LoggerFactory.getLogger(Deployer.class);

    /**
     * Market parameters.
     *
     * @param minBond        minimum bond for eligibility, token base units
     * @param unbondingDelay seconds between requesting an unbond and withdrawing it
     * @param slotBond       bond locked from the designate per slot (the stake at risk B), token base units
     * @param policy         failure policy: 0 = PAPER, 1 = COMPENSATE_COMMITTEE (MECHANISM.md §3)
     * @param modelCommitment MiMC commitment of the digits model the provers hold (a BN254 scalar); the
     *                       circuit's payload checker refuses slots whose model commitment differs
     *                       ({@code ProvingRuntime.commitModel})
     * @param correlatedStake correlated slashing (MECHANISM.md §6): committee-pool stake each slot locks and a
     *                       failed designate's slot loses, token base units; 0 = off. When on, the registry's
     *                       committee slice (what each prover must stake into the pool to be eligible) is the
     *                       same amount, so the pool covers as many open slots as there are provers
     */
    public record Params(BigInteger minBond, long unbondingDelay, BigInteger slotBond, int policy,
                         BigInteger modelCommitment, BigInteger correlatedStake) {
        /** Params without correlated slashing. */
        public Params(BigInteger minBond, long unbondingDelay, BigInteger slotBond, int policy, BigInteger modelCommitment) {
            this(minBond, unbondingDelay, slotBond, policy, modelCommitment, BigInteger.ZERO);
        }
    }

    private Deployer() {}

    /**
     * Deploys and wires everything from one key (which becomes the owner of every contract).
     *
     * @param chain  the chain
     * @param owner  the deploying key
     * @param params market parameters
     * @return the addresses
     * @throws ChainException if a deployment or a wiring transaction fails
     */
    public static Deployment deploy(ChainClient chain, Credentials owner, Params params) {
        TransactionManager tm = chain.transactionManager(owner);
        ContractGasProvider gas = chain.gasProvider();
        try {
            BigInteger startBlock = chain.blockNumber();
            DemoToken token = DemoToken.deploy(chain.web3j(), tm, gas, "Procura Demo Token", "PRC", owner.getAddress()).send();
            ProverRegistry registry = ProverRegistry.deploy(chain.web3j(), tm, gas, token.getContractAddress(),
                    params.minBond(), BigInteger.valueOf(params.unbondingDelay()), params.correlatedStake(),
                    owner.getAddress()).send();
            ProcurementMarket market = ProcurementMarket.deploy(chain.web3j(), tm, gas, token.getContractAddress(),
                    registry.getContractAddress(), BigInteger.valueOf(params.policy()), params.slotBond(),
                    params.correlatedStake(), owner.getAddress()).send();
            DigitsVerifier verifier = DigitsVerifier.deploy(chain.web3j(), tm, gas).send();
            DigitsPayloadChecker checker = DigitsPayloadChecker.deploy(chain.web3j(), tm, gas, params.modelCommitment()).send();
            registry.setMarket(market.getContractAddress()).send();
            TransactionReceipt r = market.registerCircuit(verifier.getContractAddress(), BigInteger.TWO, BigInteger.ONE,
                    checker.getContractAddress()).send();
            BigInteger circuitId = ProcurementMarket.getCircuitRegisteredEvents(r).get(0).circuitId;
            LOG.info("deployed token {} registry {} market {} verifier {} (circuit {})", token.getContractAddress(),
                    registry.getContractAddress(), market.getContractAddress(), verifier.getContractAddress(), circuitId);
            return new Deployment(chain.chainId(), token.getContractAddress(), registry.getContractAddress(),
                    market.getContractAddress(), verifier.getContractAddress(), circuitId, startBlock);
        } catch (ChainException e) {
            throw e;
        } catch (Exception e) {
            throw new ChainException("deploying the marketplace failed: " + e.getMessage(), e);
        }
    }
}
