package io.procura.coordinator;

import java.math.BigInteger;

/** A proof price below the circuit's current minimum (its terms): the market would refuse the slot (the API answers 409). */
public final class PriceBelowMinimumException extends BadParameterException {
    /**
     * @param circuitId the circuit
     * @param price     the price asked for, token base units per proof-cost unit
     * @param minimum   the circuit's minimum, same units
     */
    public PriceBelowMinimumException(BigInteger circuitId, BigInteger price, BigInteger minimum) {
        super("proofPrice", "proof price " + price + " is below circuit " + circuitId + "'s minimum of " + minimum + " base units");
    }
}
