package io.procura.coordinator;

import java.math.BigInteger;

/** The market has no circuit with this id (the API answers 404). */
public final class UnknownCircuitException extends BadParameterException {
    /** @param circuitId the id asked for */
    public UnknownCircuitException(BigInteger circuitId) {
        super("circuitId", "unknown circuit " + circuitId);
    }
}
