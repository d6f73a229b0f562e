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
        return d.stripTrailingZeros().toPlainString();
    }

    /**
     * @param baseUnits an amount in base units
     * @param decimals  decimals to keep (rounded down)
     * @return the amount in whole tokens with at most {@code decimals} decimals, e.g. {@code "7.668"};
     *     a non-zero amount that rounds to zero prints as {@code "<0.0001"} (for 4 decimals)
     */
    public static String format(BigInteger baseUnits, int decimals) {
        BigDecimal d = new BigDecimal(baseUnits).divide(new BigDecimal(ONE)).setScale(decimals, RoundingMode.DOWN);
        if (d.signum() == 0 && baseUnits.signum() != 0) return "<" + BigDecimal.ONE.movePointLeft(decimals).toPlainString();
        return d.stripTrailingZeros().toPlainString();
    }
}
