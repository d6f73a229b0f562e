package io.procura.verifier;

import io.procura.chain.ChainClient;
import io.procura.chain.ChainException;
import io.procura.contracts.generated.DigitsPayloadChecker;
import io.procura.contracts.generated.RollupPayloadChecker;
import io.procura.runtime.Circuit;
import io.procura.runtime.ProvingRuntime;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.web3j.crypto.Credentials;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractGasProvider;

/**
 * The on-chain payload checker of each circuit family (what {@code openSlot} asks before a slot can bind a prover:
 * are the fixed inputs the payload's?), deployed and checked against the runtime's own commitments:
 * <ul>
 *   <li>rollup batches ({@code procura.rollup.d<depth>.n<transfers>.*}): {@code RollupPayloadChecker(depth,
 *       transfers)}, the MiMC payload commitment;</li>
 *   <li>the digits family ({@code procura.digits*}, e.g. {@code digits-mlp}): {@code DigitsPayloadChecker(model
 *       commitment)}, the model commitment being the circuit's first fixed input (the same for every payload) and
 *       the image commitment the second.</li>
 * </ul>
 */
public final class PayloadCheckers {
    private static final Pattern ROLLUP = Pattern.compile("procura\\.rollup\\.d(\\d{1,2})\\.n(\\d{1,4})\\..*");

    private PayloadCheckers() {
    }

    /**
     * @param circuit a circuit
     * @return whether this class knows the checker of its family
     */
    public static boolean known(Circuit circuit) {
        return ROLLUP.matcher(circuit.id()).matches() || circuit.id().startsWith("procura.digits");
    }

    /**
     * Deploys the circuit's payload checker and checks it: it must accept an all-zero payload with the fixed inputs
     * the runtime computes for it, and refuse the same payload with its first fixed input changed.
     *
     * @param chain   the chain
     * @param from    the paying key
     * @param circuit the circuit
     * @param runtime the runtime (computes the fixed inputs)
     * @return the checker's address
     * @throws IllegalArgumentException when the circuit's family has no known checker ({@link #known})
     * @throws IllegalStateException    when the deployed checker disagrees with the runtime
     * @throws ChainException           when a transaction fails
     */
    public static String deploy(ChainClient chain, Credentials from, Circuit circuit, ProvingRuntime runtime) {
        byte[] sample = new byte[circuit.payloadBytes()];
        List<BigInteger> fixed = Arrays.asList(runtime.fixedInputs(circuit, sample));
        TransactionManager tm = chain.transactionManager(from);
        ContractGasProvider gas = chain.gasProvider(ChainClient.DEPLOY_GAS_LIMIT);
        try {
            Matcher m = ROLLUP.matcher(circuit.id());
            if (m.matches()) {
                RollupPayloadChecker c = RollupPayloadChecker.deploy(chain.web3j(), tm, gas,
                        new BigInteger(m.group(1)), new BigInteger(m.group(2))).send();
                check(circuit, c.getContractAddress(), c.isProvable(fixed, sample).send(),
                        c.isProvable(changed(fixed), sample).send());
                return c.getContractAddress();
            }
            if (circuit.id().startsWith("procura.digits")) {
                DigitsPayloadChecker c = DigitsPayloadChecker.deploy(chain.web3j(), tm, gas, fixed.get(0)).send();
                check(circuit, c.getContractAddress(), c.isProvable(fixed, sample).send(),
                        c.isProvable(List.of(fixed.get(0), fixed.get(1).add(BigInteger.ONE)), sample).send());
                return c.getContractAddress();
            }
        } catch (ChainException e) {
            throw e;
        } catch (Exception e) {
            throw new ChainException("deploying the payload checker of " + circuit.name() + " failed: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("no payload checker is known for circuit " + circuit.name() + " ("
                + circuit.id() + "): deploy one and pass its address, or register without one");
    }

    private static List<BigInteger> changed(List<BigInteger> fixed) {
        BigInteger[] c = fixed.toArray(BigInteger[]::new);
        c[0] = c[0].add(BigInteger.ONE);
        return List.of(c);
    }

    private static void check(Circuit circuit, String address, boolean acceptsOwn, boolean acceptsChanged) {
        if (!acceptsOwn || acceptsChanged) {
            throw new IllegalStateException("the payload checker deployed at " + address + " disagrees with the runtime's "
                    + circuit.name() + " commitments (accepts the right fixed inputs: " + acceptsOwn
                    + ", a changed one: " + acceptsChanged + ")");
        }
    }
}
