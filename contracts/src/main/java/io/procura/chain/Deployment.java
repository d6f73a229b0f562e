package io.procura.chain;

import java.math.BigInteger;
import java.util.Map;
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
 * @param circuits the plug-in circuits registered in the market: circuit name (e.g. {@code rollup-2^14}) to
 *     its id in the market; empty when none (a deployment file without the field reads as empty)
 */
public record Deployment(long chainId, String token, String registry, String market, String digitsVerifier,
                         BigInteger digitsCircuitId, BigInteger deployBlock, Map<String, BigInteger> circuits) {
    /** Validates the fields. */
    public Deployment {
        circuits = circuits == null ? Map.of() : Map.copyOf(circuits);
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(digitsCircuitId, "digitsCircuitId");
        Objects.requireNonNull(deployBlock, "deployBlock");
    }
}
