package io.procura.chain;

import java.math.BigInteger;
import java.util.Objects;

/**
 * Where a Procura marketplace lives on one chain.
 *
 * @param chainId  EIP-155 chain id
 * @param token    the ERC-20 used for prizes and bonds
 * @param registry the ProverRegistry
 * @param market   the ProcurementMarket
 * @param digitsVerifier the Groth16 verifier of the digits circuit
 * @param digitsCircuitId the digits circuit's id in the market
 * @param deployBlock the block of the first deployment transaction (where indexers start)
 */
public record Deployment(long chainId, String token, String registry, String market, String digitsVerifier,
                         BigInteger digitsCircuitId, BigInteger deployBlock) {
    /** Validates the fields. */
    public Deployment {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(digitsCircuitId, "digitsCircuitId");
        Objects.requireNonNull(deployBlock, "deployBlock");
    }
}
