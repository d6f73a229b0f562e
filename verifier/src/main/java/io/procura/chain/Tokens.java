package io.procura.chain;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/** Formatting and parsing of ERC-20 amounts with 18 decimals (token base units ↔ whole tokens). */
public final class Tokens {
    /** 10^18: base units per whole token. */
    public static final BigInteger ONE = BigInteger.TEN.pow(18);

    private Tokens() {}

    /**
     * @param tokens an amount in whole tokens, e.g. {@code "12.5"}
     * @return the amount in base units (rounded down to a unit)
     * @throws NumberFormatException if the text is not a decimal number
     */
    public static BigInteger parse(String tokens) {
        return new BigDecimal(tokens).multiply(new BigDecimal(ONE)).setScale(0, RoundingMode.DOWN).toBigIntegerExact();
    }

    /**
     * @param baseUnits an amount in base units
     * @return the amount in whole tokens, trailing zeros stripped, e.g. {@code "12.5"}
     */
    public static String format(BigInteger baseUnits) {
        BigDecimal d = new BigDecimal(baseUnits).divide(new BigDecimal(ONE));
        String s = d.stripTrailingZeros().toPlainString();
        return s;
    }
}
