package io.procura.coordinator;

import java.math.BigInteger;

/** No prover is eligible for a circuit now, so no slot of it can be quoted or opened (the API answers 409). */
public final class NoEligibleProverException extends IllegalStateException {
    /** @param circuitId the circuit */
    public NoEligibleProverException(BigInteger circuitId) {
        super("no prover is eligible for circuit " + circuitId + ": cannot quote a slot");
    }
}
