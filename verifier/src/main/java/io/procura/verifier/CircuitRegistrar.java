package io.procura.verifier;

import io.procura.chain.ChainClient;
import io.procura.chain.ChainException;
import io.procura.chain.Deployment;
import io.procura.chain.MarketContracts;
import io.procura.contracts.generated.ProcurementMarket;
import io.procura.runtime.Circuit;
import io.procura.runtime.ProvingKey;
import io.procura.runtime.ProvingRuntime;
import io.procura.runtime.VerifyingKey;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Registers a plug-in circuit in a deployed market ({@code ProcurementMarket.registerCircuit}, CIRCUIT_ADMIN_ROLE)
 * from the circuit's local keys, so that nobody relies on a verifier that is not the keys' own:
 * <ol>
 *   <li>the verifier: a given address, or the Solidity verifier gnark exports for the verifying key, compiled with
 *       the project's solc ({@link SolidityCompiler}) and deployed;</li>
 *   <li>{@link OnChainVerifierCheck}: the contract accepts a fresh proof made with the local proving key and
 *       refuses it with a changed output;</li>
 *   <li>the payload checker: a given address, none, or the family's own ({@link PayloadCheckers}, deployed and
 *       checked against the runtime's commitments);</li>
 *   <li>{@code registerCircuit} with the circuit's public-input counts and the given terms; the circuit takes
 *       slots a terms notice later (the registry's unbonding delay), so provers can opt in first.</li>
 * </ol>
 */
public final class CircuitRegistrar {
    private final ChainClient chain;
    private final Deployment deployment;
    private final Credentials admin;
    private final ProvingRuntime runtime;
    private final Path repoRoot;
    private final Consumer<String> progress;

    /**
     * Terms the circuit's provers accept (CircuitTerms).
     *
     * @param minProofPrice  least proof price, token base units, {@code > 0}
     * @param minProveWindow shortest prove window, seconds, {@code > 0}
     * @param maxProveWindow longest prove window, seconds, below the registry's unbonding delay
     */
    public record Terms(BigInteger minProofPrice, long minProveWindow, long maxProveWindow) {
        /** Validates the ranges the market checks too, so a mistake fails before any transaction. */
        public Terms {
            Objects.requireNonNull(minProofPrice, "minProofPrice");
            if (minProofPrice.signum() <= 0) throw new IllegalArgumentException("the minimum proof price must be > 0");
            if (minProveWindow <= 0 || maxProveWindow < minProveWindow || maxProveWindow > 0xffff_ffffL) {
                throw new IllegalArgumentException("prove windows must satisfy 0 < min <= max < 2^32 s, got "
                        + minProveWindow + " and " + maxProveWindow);
            }
        }
    }

    /**
     * A circuit registered in the market.
     *
     * @param circuitId   its id in the market
     * @param verifier    its verifier's address
     * @param checker     its payload checker's address (the zero address when none)
     * @param effectiveAt unix second from which it takes slots
     */
    public record Registered(BigInteger circuitId, String verifier, String checker, long effectiveAt) {}

    /**
     * @param chain      the chain
     * @param deployment the marketplace
     * @param admin      a key with the market's CIRCUIT_ADMIN_ROLE (pays for the deployments)
     * @param runtime    the proving runtime (proves the check proof, computes commitments, exports the verifier)
     * @param repoRoot   the repository root (for the Solidity tool chain)
     * @param progress   receives one line per step
     */
    public CircuitRegistrar(ChainClient chain, Deployment deployment, Credentials admin, ProvingRuntime runtime,
                            Path repoRoot, Consumer<String> progress) {
        this.chain = Objects.requireNonNull(chain, "chain");
        this.deployment = Objects.requireNonNull(deployment, "deployment");
        this.admin = Objects.requireNonNull(admin, "admin");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.repoRoot = Objects.requireNonNull(repoRoot, "repoRoot");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * Registers {@code circuit}.
     *
     * @param circuit  the circuit (its keys bundled or in its cache directory: {@code procura circuit setup})
     * @param verifier the verifier's address, or null to compile and deploy the one exported for the local keys
     * @param checker  the payload checker's address, {@code "none"} for none, or null for the family's own
     * @param terms    the terms its provers accept
     * @return the registration
     * @throws IllegalArgumentException when the circuit has no local keys, the verifier is not the keys' own, or
     *                                  no payload checker is known for it
     * @throws ChainException           when a transaction fails (for example a key without CIRCUIT_ADMIN_ROLE)
     */
    public Registered register(Circuit circuit, String verifier, String checker, Terms terms) {
        Objects.requireNonNull(circuit, "circuit");
        Objects.requireNonNull(terms, "terms");
        try (ProvingKey pk = ProvingKey.forCircuit(circuit).orElseThrow(() -> noKeys(circuit));
             VerifyingKey vk = VerifyingKey.forCircuit(circuit).orElseThrow(() -> noKeys(circuit))) {
            MarketContracts contracts = MarketContracts.load(chain, deployment, admin);
            ProcurementMarket market = contracts.market();
            checkAdmin(market);
            String verifierAddress = verifier;
            if (verifierAddress == null) {
                String name = verifierName(circuit.name());
                progress.accept("compiling " + name + " (the Solidity verifier of the local verifying key) ...");
                byte[] code = new SolidityCompiler(repoRoot).compile(name, runtime.exportSolidityVerifier(vk, name));
                verifierAddress = chain.deployContract(admin, code, name);
                progress.accept("deployed " + name + " at " + verifierAddress);
            }
            progress.accept("checking " + verifierAddress + " against a fresh " + circuit.name() + " proof ...");
            OnChainVerifierCheck.check(chain, verifierAddress, circuit, runtime, pk, vk);
            progress.accept("the verifier accepts the local keys' proof and refuses a changed output");
            String checkerAddress;
            if ("none".equals(checker)) {
                checkerAddress = "0x0000000000000000000000000000000000000000";
            } else if (checker != null) {
                checkerAddress = checker;
            } else {
                checkerAddress = PayloadCheckers.deploy(chain, admin, circuit, runtime);
                progress.accept("deployed the payload checker at " + checkerAddress
                        + " (it accepts the runtime's fixed inputs and refuses a changed one)");
            }
            TransactionReceipt r = market.registerCircuit(verifierAddress, BigInteger.valueOf(circuit.fixedInputs()),
                    BigInteger.valueOf(circuit.outputs()), checkerAddress, terms.minProofPrice(),
                    BigInteger.valueOf(terms.minProveWindow()), BigInteger.valueOf(terms.maxProveWindow())).send();
            ProcurementMarket.CircuitRegisteredEventResponse ev = ProcurementMarket.getCircuitRegisteredEvents(r).get(0);
            long effectiveAt = ProcurementMarket.getCircuitTermsSetEvents(r).get(0).terms.effectiveAt.longValueExact();
            return new Registered(ev.circuitId, verifierAddress, checkerAddress, effectiveAt);
        } catch (ChainException | IllegalArgumentException | IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new ChainException("registering " + circuit.name() + " failed: " + e.getMessage(), e);
        }
    }

    /** Refuses early (before any deployment) a key that cannot register circuits. */
    private void checkAdmin(ProcurementMarket market) throws Exception {
        byte[] role = market.CIRCUIT_ADMIN_ROLE().send();
        if (!market.hasRole(role, admin.getAddress()).send()) {
            throw new IllegalArgumentException(admin.getAddress() + " does not hold the market's CIRCUIT_ADMIN_ROLE: "
                    + "only the market's circuit admin can register circuits");
        }
    }

    private static IllegalArgumentException noKeys(Circuit c) {
        return new IllegalArgumentException(c.name() + " has no local keys: make them with `procura circuit setup "
                + "--circuit " + c.name() + "`");
    }

    /**
     * The Solidity contract name of a circuit's verifier.
     *
     * @param circuit a circuit name: {@code rollup-2^16} gives {@code Rollup2p16Verifier}, {@code digits-mlp}
     *                {@code DigitsMlpVerifier}
     * @return a Solidity identifier
     */
    public static String verifierName(String circuit) {
        StringBuilder b = new StringBuilder();
        for (String part : circuit.replace("^", "p").split("[^A-Za-z0-9]")) {
            if (!part.isEmpty()) b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return b.append("Verifier").toString();
    }
}
