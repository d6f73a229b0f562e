package io.procura.db;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Validation and normalisation of the values the store accepts. Package-private. */
final class Values {

    /** 2^256 - 1, the largest uint256. */
    static final BigInteger UINT256_MAX = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
    /** 1e18, the scale of the mixing probability (1e18 means p = 1). */
    static final BigInteger ONE_E18 = BigInteger.TEN.pow(18);

    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-f]{40}");
    private static final Pattern HASH32 = Pattern.compile("0x[0-9a-f]{64}");

    private Values() {
    }

    /** Lowercases and checks a 20-byte 0x hex address; throws {@link StoreException} if malformed. */
    static String address(String field, String value) {
        if (value == null) {
            throw new StoreException(field + " must not be null");
        }
        String v = value.toLowerCase(Locale.ROOT);
        if (!ADDRESS.matcher(v).matches()) {
            throw new StoreException(field + " must be a 0x-prefixed 20-byte hex address, got '" + value + "'");
        }
        return v;
    }

    /** Like {@link #address} but lets null through. */
    static String addressOrNull(String field, String value) {
        return value == null ? null : address(field, value);
    }

    /** Lowercases and checks a 32-byte 0x hex hash; throws {@link StoreException} if malformed. */
    static String hash32(String field, String value) {
        if (value == null) {
            throw new StoreException(field + " must not be null");
        }
        String v = value.toLowerCase(Locale.ROOT);
        if (!HASH32.matcher(v).matches()) {
            throw new StoreException(field + " must be a 0x-prefixed 32-byte hex hash, got '" + value + "'");
        }
        return v;
    }

    /** Like {@link #hash32} but lets null through. */
    static String hash32OrNull(String field, String value) {
        return value == null ? null : hash32(field, value);
    }

    /** Checks 0 &lt;= value &lt;= 2^256-1. */
    static BigInteger uint256(String field, BigInteger value) {
        if (value == null) {
            throw new StoreException(field + " must not be null");
        }
        if (value.signum() < 0 || value.compareTo(UINT256_MAX) > 0) {
            throw new StoreException(field + " must be a uint256 (0 <= v < 2^256), got " + value);
        }
        return value;
    }

    /** Checks every element with {@link #uint256} and returns an immutable copy. */
    static List<BigInteger> uint256List(String field, List<BigInteger> values) {
        if (values == null) {
            throw new StoreException(field + " must not be null");
        }
        for (int i = 0; i < values.size(); i++) {
            uint256(field + "[" + i + "]", values.get(i));
        }
        return List.copyOf(values);
    }

    /** Checks value &gt;= 0 (block numbers, log indexes, seconds, gas). */
    static long nonNegative(String field, long value) {
        if (value < 0) {
            throw new StoreException(field + " must be >= 0, got " + value);
        }
        return value;
    }

    /** Checks a 1e18-scaled probability: 0 &lt;= value &lt;= 1e18. */
    static BigInteger probability(String field, BigInteger value) {
        if (value == null) {
            throw new StoreException(field + " must not be null");
        }
        if (value.signum() < 0 || value.compareTo(ONE_E18) > 0) {
            throw new StoreException(field + " must be a 1e18-scaled probability in [0, 1e18], got " + value);
        }
        return value;
    }

    /** Checks a non-blank string. */
    static String nonBlank(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new StoreException(field + " must not be blank");
        }
        return value;
    }
}
