package io.procura.chain;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * The binding public input of every Procura circuit (docs/DESIGN.md §3):
 * {@code binding = keccak256(abi.encode(chainid, market, slotId, prover)) mod r}, with {@code r} the
 * BN254 scalar field modulus. It ties a proof to one prover on one slot of one market on one chain,
 * so a proof cannot be copied, replayed on another slot, or resubmitted by someone else. The
 * contract computes the same value in {@code ProcurementMarket.bindingOf}.
 */
public final class Binding {
    /** The BN254 scalar field modulus r (EIP-196/197). */
    public static final BigInteger BN254_SCALAR_FIELD = new BigInteger(
            "21888242871839275222246405745257275088548364400416034343698204186575808495617");

    private Binding() {}

    /**
     * Computes the binding of a slot to a prover.
     *
     * @param chainId the EIP-155 chain id
     * @param market  the ProcurementMarket address (0x hex)
     * @param slotId  the slot id
     * @param prover  the submitting prover's address (0x hex)
     * @return the binding, in {@code [0, r)}
     */
    public static BigInteger of(long chainId, String market, BigInteger slotId, String prover) {
        ByteBuffer buf = ByteBuffer.allocate(4 * 32);
        buf.put(Numeric.toBytesPadded(BigInteger.valueOf(chainId), 32));
        buf.put(Numeric.toBytesPadded(Numeric.toBigInt(market), 32));
        buf.put(Numeric.toBytesPadded(slotId, 32));
        buf.put(Numeric.toBytesPadded(Numeric.toBigInt(prover), 32));
        return new BigInteger(1, Hash.sha3(buf.array())).mod(BN254_SCALAR_FIELD);
    }
}
