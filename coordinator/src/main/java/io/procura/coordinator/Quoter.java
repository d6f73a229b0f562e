package io.procura.coordinator;

import java.math.BigInteger;

/** Something that quotes slot terms ({@link QuoteService} against a chain; a stub in API tests). */
@FunctionalInterface
public interface Quoter {
    /**
     * @param circuitId       the circuit the slot proves (its eligible set gives {@code n})
     * @param livenessPenalty {@code C} in proof-cost units, {@code >= 1}
     * @param proofPrice      tokens per proof-cost unit, base units, {@code > 0}
     * @return the terms of a slot of that circuit opened now
     * @throws IllegalArgumentException if an argument is out of range (an unknown circuit, a price below its minimum)
     */
    Quote quote(BigInteger circuitId, double livenessPenalty, BigInteger proofPrice);
}
