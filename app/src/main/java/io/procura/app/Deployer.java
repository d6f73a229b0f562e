package io.procura.app;

import io.procura.chain.ChainClient;
import io.procura.chain.ChainException;
import io.procura.chain.Deployment;
import io.procura.chain.MarketContracts;
import io.procura.contracts.generated.DemoToken;
import io.procura.contracts.generated.DigitsMlpVerifier;
import io.procura.contracts.generated.DigitsPayloadChecker;
import io.procura.contracts.generated.DigitsVerifier;
import io.procura.contracts.generated.ProcurementMarket;
import io.procura.contracts.generated.ProverRegistry;
import io.procura.contracts.generated.RollupPayloadChecker;
import io.procura.contracts.generated.RollupVerifier;
import java.math.BigInteger;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractGasProvider;
import org.web3j.crypto.ContractUtils;

/**
 * Deploys a complete marketplace: the demo ERC-20, the ProverRegistry, the ProcurementMarket and
 * the gnark-exported Groth16 verifier of the digits circuit, then wires them (the registry is built
 * bound to the market's address, which it predicts from the deploying key's nonce; the digits circuit is
 * registered in the market with 2 fixed inputs, 1 output, the digits payload
 * checker, which refuses a slot whose image commitment is not the MiMC commitment of its payload, and
 * the circuit's terms: least proof price and prove-window bounds), and the rollup-2^14 batch circuit
 * ({@link #ROLLUP_CIRCUIT}: 1 fixed input, the payload commitment, checked on chain by its
 * RollupPayloadChecker; 2 outputs, the old and new state roots) with the verifier of its bundled
 * development keys, and the zkML {@link #MLP_CIRCUIT} (a quantised MLP on the same images: the digits payload
 * checker with the MLP's model commitment, 1 output, the class), under the same terms.
 *
 * <p>A new circuit takes slots only after the terms notice ({@code market.termsNotice()}, the
 * registry's unbonding delay), so provers can see its terms and opt in first. On a local development
 * chain {@link #skipTermsNotice} moves the chain clock past it; on a real chain slots can be opened
 * from {@link #circuitActiveFrom}.
 */
public final class Deployer {
    private static final Logger LOG = LoggerFactory.getLogger(Deployer.class);

    /**
     * What provers of a circuit accept (the market's {@code CircuitTerms}).
     *
     * @param minProofPrice  least proof price of a slot, token base units, {@code > 0}
     * @param minProveWindow shortest prove window of a slot, seconds, {@code > 0}
     * @param maxProveWindow longest prove window of a slot, seconds, {@code >= minProveWindow} and below the
     *                       unbonding delay
     */
    public record CircuitTerms(BigInteger minProofPrice, long minProveWindow, long maxProveWindow) {
        /** Validates the terms on their own (the unbonding delay is checked by {@link Params}). */
        public CircuitTerms {
            Objects.requireNonNull(minProofPrice, "minProofPrice");
            if (minProofPrice.signum() <= 0) throw new IllegalArgumentException("minimum proof price must be > 0, got " + minProofPrice);
            if (minProveWindow <= 0 || minProveWindow > maxProveWindow || maxProveWindow > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("prove window bounds must satisfy 0 < min <= max < 2^32 s, got ["
                        + minProveWindow + ", " + maxProveWindow + "]");
            }
        }
    }

    /**
     * Market parameters.
     *
     * @param minBond        minimum bond for eligibility, token base units
     * @param unbondingDelay seconds between requesting an unbond and withdrawing it; also the notice (s) before a
     *                       circuit's terms take effect
     * @param slotBond       bond locked from the designate per slot (the stake at risk B), token base units
     * @param policy         failure policy: 0 = PAPER, 1 = COMPENSATE_COMMITTEE (docs/MECHANISM.md §3)
     * @param modelCommitment MiMC commitment of the digits model the provers hold (a BN254 scalar); the
     *                       circuit's payload checker refuses slots whose model commitment differs
     *                       ({@code ProvingRuntime.commitModel})
     * @param correlatedStake correlated slashing (docs/MECHANISM.md §6): committee-pool stake each slot locks and a
     *                       failed designate's slot loses, token base units; 0 = off. When on, the registry's
     *                       committee slice (what each prover must stake into the pool to be eligible) is the
     *                       same amount, so the pool covers as many open slots as there are provers
     * @param drawDelay      blocks from {@code openSlot} to the block whose hash draws the designate, in [1, 255]
     * @param jailCooldown   seconds a slashed prover stays jailed at least before it may {@code unjail}, {@code >= 0}
     * @param digitsTerms    the digits circuit's terms
     */
    public record Params(BigInteger minBond, long unbondingDelay, BigInteger slotBond, int policy,
                         BigInteger modelCommitment, BigInteger correlatedStake, int drawDelay, long jailCooldown,
                         CircuitTerms digitsTerms) {
        /** Validates what the contracts would otherwise reject with a less readable revert. */
        public Params {
            Objects.requireNonNull(minBond, "minBond");
            Objects.requireNonNull(slotBond, "slotBond");
            Objects.requireNonNull(modelCommitment, "modelCommitment");
            Objects.requireNonNull(correlatedStake, "correlatedStake");
            Objects.requireNonNull(digitsTerms, "digitsTerms");
            if (unbondingDelay <= 0) throw new IllegalArgumentException("unbonding delay must be > 0 s, got " + unbondingDelay);
            if (drawDelay < 1 || drawDelay > 255) throw new IllegalArgumentException("draw delay must be in [1, 255] blocks, got " + drawDelay);
            if (jailCooldown < 0) throw new IllegalArgumentException("jail cool-down must be >= 0 s, got " + jailCooldown);
            if (digitsTerms.maxProveWindow() >= unbondingDelay) {
                throw new IllegalArgumentException("the longest prove window (" + digitsTerms.maxProveWindow()
                        + " s) must be below the unbonding delay (" + unbondingDelay + " s)");
            }
        }

        /**
         * @param commitment MiMC commitment of the digits model the provers hold (a BN254 scalar)
         * @return these parameters with that model commitment
         */
        public Params withModelCommitment(BigInteger commitment) {
            return new Params(minBond, unbondingDelay, slotBond, policy, commitment, correlatedStake, drawDelay,
                    jailCooldown, digitsTerms);
        }
    }

    /** The plug-in circuit every deployment registers next to the digits circuit (bundled development keys). */
    public static final String ROLLUP_CIRCUIT = "rollup-2^14";
    /** Its tree depth (4 accounts) and transfers per batch; the payload is 4 * 8 + 16 = 48 bytes. */
    static final int ROLLUP_DEPTH = 2;
    static final int ROLLUP_TRANSFERS = 1;

    /** The zkML plug-in circuit every deployment registers too: a quantised MLP (bundled development keys). */
    public static final String MLP_CIRCUIT = "digits-mlp";

    private Deployer() {}

    /** The model commitment the digits-mlp circuit fixes (its first fixed input, the same for every image). */
    private static BigInteger mlpModelCommitment() {
        io.procura.runtime.Circuit mlp = io.procura.runtime.Circuit.find(MLP_CIRCUIT).orElseThrow(
                () -> new ChainException("the native runtime has no " + MLP_CIRCUIT + " circuit"));
        return io.procura.runtime.ProvingRuntime.nativeRuntime().fixedInputs(mlp, new byte[mlp.payloadBytes()])[0];
    }

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
        ContractGasProvider gas = chain.gasProvider(ChainClient.DEPLOY_GAS_LIMIT);
        try {
            BigInteger startBlock = chain.blockNumber();
            DemoToken token = DemoToken.deploy(chain.web3j(), tm, gas, "Procura Demo Token", "PRC", owner.getAddress()).send();
            // The registry is bound to its market at construction: the market is the deployer's next contract
            // (CREATE address from the deployer's address and the nonce after the registry's).
            BigInteger nonce = chain.web3j().ethGetTransactionCount(owner.getAddress(), DefaultBlockParameterName.PENDING)
                    .send().getTransactionCount();
            String marketAddress = ContractUtils.generateContractAddress(owner.getAddress(), nonce.add(BigInteger.ONE));
            ProverRegistry registry = ProverRegistry.deploy(chain.web3j(), tm, gas, token.getContractAddress(),
                    params.minBond(), BigInteger.valueOf(params.unbondingDelay()), params.correlatedStake(),
                    BigInteger.valueOf(params.jailCooldown()), marketAddress, owner.getAddress()).send();
            ProcurementMarket market = ProcurementMarket.deploy(chain.web3j(), tm, gas, token.getContractAddress(),
                    registry.getContractAddress(), BigInteger.valueOf(params.policy()), params.slotBond(),
                    params.correlatedStake(), BigInteger.valueOf(params.drawDelay()), owner.getAddress()).send();
            if (!market.getContractAddress().equalsIgnoreCase(marketAddress)) {
                throw new ChainException("the market landed at " + market.getContractAddress() + ", not at " + marketAddress
                        + " where the registry expects it (was the deploying key used elsewhere meanwhile?)");
            }
            DigitsVerifier verifier = DigitsVerifier.deploy(chain.web3j(), tm, gas).send();
            DigitsPayloadChecker checker = DigitsPayloadChecker.deploy(chain.web3j(), tm, gas, params.modelCommitment()).send();
            CircuitTerms t = params.digitsTerms();
            TransactionReceipt r = market.registerCircuit(verifier.getContractAddress(), BigInteger.TWO, BigInteger.ONE,
                    checker.getContractAddress(), t.minProofPrice(), BigInteger.valueOf(t.minProveWindow()),
                    BigInteger.valueOf(t.maxProveWindow())).send();
            BigInteger circuitId = ProcurementMarket.getCircuitRegisteredEvents(r).get(0).circuitId;
            // the rollup-2^14 batch circuit (4 accounts, one transfer) with its development keys' verifier
            RollupVerifier rollupVerifier = RollupVerifier.deploy(chain.web3j(), tm, gas).send();
            RollupPayloadChecker rollupChecker = RollupPayloadChecker.deploy(chain.web3j(), tm, gas,
                    BigInteger.valueOf(ROLLUP_DEPTH), BigInteger.valueOf(ROLLUP_TRANSFERS)).send();
            TransactionReceipt rr = market.registerCircuit(rollupVerifier.getContractAddress(), BigInteger.ONE,
                    BigInteger.TWO, rollupChecker.getContractAddress(), t.minProofPrice(),
                    BigInteger.valueOf(t.minProveWindow()), BigInteger.valueOf(t.maxProveWindow())).send();
            BigInteger rollupId = ProcurementMarket.getCircuitRegisteredEvents(rr).get(0).circuitId;
            // the zkML digits-mlp circuit: the digits payload checker with the MLP's model commitment
            BigInteger mlpModel = mlpModelCommitment();
            DigitsMlpVerifier mlpVerifier = DigitsMlpVerifier.deploy(chain.web3j(), tm, gas).send();
            DigitsPayloadChecker mlpChecker = DigitsPayloadChecker.deploy(chain.web3j(), tm, gas, mlpModel).send();
            TransactionReceipt mr = market.registerCircuit(mlpVerifier.getContractAddress(), BigInteger.TWO,
                    BigInteger.ONE, mlpChecker.getContractAddress(), t.minProofPrice(),
                    BigInteger.valueOf(t.minProveWindow()), BigInteger.valueOf(t.maxProveWindow())).send();
            BigInteger mlpId = ProcurementMarket.getCircuitRegisteredEvents(mr).get(0).circuitId;
            LOG.info("registered circuit {} ({}) with verifier {} and payload checker {}", rollupId, ROLLUP_CIRCUIT,
                    rollupVerifier.getContractAddress(), rollupChecker.getContractAddress());
            LOG.info("registered circuit {} ({}) with verifier {} and payload checker {} (model commitment {})", mlpId,
                    MLP_CIRCUIT, mlpVerifier.getContractAddress(), mlpChecker.getContractAddress(), mlpModel);
            LOG.info("deployed token {} registry {} market {} verifier {} (circuit {}, taking slots from {})",
                    token.getContractAddress(), registry.getContractAddress(), market.getContractAddress(),
                    verifier.getContractAddress(), circuitId, ProcurementMarket.getCircuitTermsSetEvents(r).get(0).terms.effectiveAt);
            return new Deployment(chain.chainId(), token.getContractAddress(), registry.getContractAddress(),
                    market.getContractAddress(), verifier.getContractAddress(), circuitId, startBlock,
                    Map.of(ROLLUP_CIRCUIT, rollupId, MLP_CIRCUIT, mlpId));
        } catch (ChainException e) {
            throw e;
        } catch (Exception e) {
            throw new ChainException("deploying the marketplace failed: " + e.getMessage(), e);
        }
    }

    /**
     * @param chain the chain
     * @param d     the deployment
     * @return the unix time (s) from which the terms of every circuit of the deployment (digits and the plug-in
     *     circuits, registered a few blocks apart) are in force, i.e. from which they all take slots
     * @throws ChainException if the market cannot be read
     */
    public static long circuitActiveFrom(ChainClient chain, Deployment d) {
        ProcurementMarket market = MarketContracts.load(chain, d, Credentials.create("0x1")).market();
        long latest = 0;
        java.util.List<BigInteger> ids = new java.util.ArrayList<>(d.circuits().values());
        ids.add(d.digitsCircuitId());
        for (BigInteger id : ids) {
            try {
                latest = Math.max(latest, market.circuitTerms(id).send().effectiveAt.longValueExact());
            } catch (Exception e) {
                throw new ChainException("reading the terms of circuit " + id + " failed: " + e.getMessage(), e);
            }
        }
        return latest;
    }

    /**
     * On a local development chain (anvil, Hardhat), advances the chain clock past the terms notice of every
     * circuit of the deployment and mines a block, so that they all take slots at once.
     *
     * @param chain a development chain ({@link ChainClient#isDevNode()})
     * @param d     the deployment
     * @return the seconds the clock was advanced (0 when the circuit was active already)
     * @throws ChainException if the node cannot advance its clock
     */
    public static long skipTermsNotice(ChainClient chain, Deployment d) {
        long gap = circuitActiveFrom(chain, d) - chain.latestTimestamp();
        if (gap <= 0) return 0;
        chain.increaseTime(gap);
        return gap;
    }
}
