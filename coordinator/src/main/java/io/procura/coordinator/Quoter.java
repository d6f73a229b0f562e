package io.procura.coordinator;

import java.math.BigInteger;

/** Something that quotes slot terms ({@link QuoteService} against a chain; a stub in API tests). */
@FunctionalInterface
public interface Quoter {
    /**
     * @param livenessPenalty {@code C} in proof-cost units, {@code >= 1}
     * @param proofPrice      tokens per proof-cost unit, base units, {@code > 0}
     * @return the terms of a slot opened now
     * @throws IllegalArgumentException if an argument is out of range
     */
    Quote quote(double livenessPenalty, BigInteger proofPrice);
}
