package io.procura.verifier;

import io.procura.chain.ChainClient;
import io.procura.chain.ChainException;
import io.procura.runtime.Circuit;
import io.procura.runtime.CircuitProof;
import io.procura.runtime.ProvingKey;
import io.procura.runtime.ProvingRuntime;
import io.procura.runtime.VerifyingKey;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.StaticArray8;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;

/**
 * Checks that a contract on chain is the Groth16 verifier of a circuit's keys before anything relies on it: a fresh
 * proof made with the local proving key (of an all-zero payload, which every Procura circuit accepts: they are
 * total over their payload encoding) must pass the contract's {@code verifyProof(uint256[8],uint256[N])} and the
 * local verifying key, and the same proof with one output changed must be refused by both. A verifier exported for
 * other keys (or another circuit, or a contract that accepts anything) fails the check.
 */
public final class OnChainVerifierCheck {
    /** The binding the check proves for (any value in [0, r) does). */
    static final BigInteger CHECK_BINDING = BigInteger.valueOf(0x5eed);

    private OnChainVerifierCheck() {
    }

    /**
     * Runs the check (one proof: milliseconds for the small circuits, about a minute at 2^22 constraints).
     *
     * @param chain        the chain
     * @param verifier     the contract's address
     * @param circuit      the circuit
     * @param runtime      the proving runtime
     * @param provingKey   the circuit's proving key
     * @param verifyingKey the circuit's verifying key
     * @throws IllegalArgumentException when the contract is not the verifier of these keys (the reason said)
     * @throws ChainException           when the chain cannot be read
     */
    public static void check(ChainClient chain, String verifier, Circuit circuit, ProvingRuntime runtime,
                             ProvingKey provingKey, VerifyingKey verifyingKey) {
        CircuitProof proof = runtime.prove(circuit, provingKey, new byte[circuit.payloadBytes()], CHECK_BINDING);
        BigInteger[] inputs = proof.publicInputs();
        if (!runtime.verify(verifyingKey, proof.proof(), inputs)) {
            throw new IllegalArgumentException("the proving and verifying keys of " + circuit.name()
                    + " do not belong together: a fresh proof fails the verifying key");
        }
        String failure = call(chain, verifier, proof.proof(), inputs);
        if (failure != null) {
            throw new IllegalArgumentException(verifier + " refuses a valid " + circuit.name() + " proof made with the "
                    + "local proving key (" + failure + "): it is not the verifier of these keys");
        }
        BigInteger[] forged = inputs.clone();
        int output = circuit.fixedInputs(); // the first output
        forged[output] = forged[output].add(BigInteger.ONE).mod(runtime.scalarFieldModulus());
        if (call(chain, verifier, proof.proof(), forged) == null) {
            throw new IllegalArgumentException(verifier + " accepts a " + circuit.name() + " proof with a changed "
                    + "output: it is not a sound verifier of these keys");
        }
        if (runtime.verify(verifyingKey, proof.proof(), forged)) {
            throw new IllegalStateException("the local verifying key accepts a changed output"); // never: gnark
        }
    }

    /** eth_call of verifyProof: null when it returned normally, else the revert reason or error. */
    static String call(ChainClient chain, String verifier, BigInteger[] words, BigInteger[] inputs) {
        List<Type> args = new ArrayList<>();
        List<Uint256> w = new ArrayList<>();
        for (BigInteger x : words) w.add(new Uint256(x));
        args.add(new StaticArray8<>(Uint256.class, w));
        List<Uint256> in = new ArrayList<>();
        for (BigInteger x : inputs) in.add(new Uint256(x));
        args.add(new org.web3j.abi.datatypes.StaticArray<>(Uint256.class, in) {
            @Override
            public String getTypeAsString() {
                return "uint256[" + in.size() + "]";
            }
        });
        String data = FunctionEncoder.encode(new Function("verifyProof", args, List.of()));
        try {
            EthCall r = chain.web3j().ethCall(Transaction.createEthCallTransaction(null, verifier, data),
                    DefaultBlockParameterName.LATEST).send();
            if (r.hasError()) return r.getError().getMessage();
            if (r.isReverted()) return "reverted: " + r.getRevertReason();
            return null;
        } catch (java.io.IOException e) {
            throw new ChainException("calling " + verifier + " failed: " + e.getMessage(), e);
        }
    }
}
