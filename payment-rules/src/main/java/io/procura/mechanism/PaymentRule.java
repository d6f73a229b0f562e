package io.procura.mechanism;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * PaymentRule is the designated uniform committee payment rule (docs/MECHANISM.md §3) in token
 * units, exactly as the market contract computes and settles it (docs/MECHANISM.md §6; docs/DESIGN.md §3).
 * Token amounts are in ERC-20 base units (the token's "wei"); the mixing probability {@code p}
 * travels as a 1e18-scaled fixed-point integer {@code p_wad} ("wad", {@link #WAD}).
 *
 * <h2>Integer recipe (the contract implements the same, operation for operation)</h2>
 *
 * All divisions are integer divisions that round down ({@code /} below, Solidity's
 * {@code uint256} division); every value is a non-negative integer below {@code 2^256}.
 *
 * <pre>{@code
 * WAD      = 1e18
 * p_wad    = floor(p * 1e18)                       // toWad, done off chain; 0 <= p_wad <= WAD
 * T_wad    = WAD + m * p_wad                       // totalPrizeWad
 * pow      = (WAD - p_wad)^m in wad, right-to-left binary exponentiation, rounding down at
 *            every multiply:                       // oneMinusPToTheMWad
 *              r = WAD; b = WAD - p_wad; e = m;
 *              while (e > 0) {
 *                if (e & 1 == 1) r = r * b / WAD;
 *                e = e >> 1;
 *                if (e > 0)      b = b * b / WAD;
 *              }
 *              pow = r
 * Q_wad    = WAD                                   if p_wad == 0 or m == 0
 *          = m * p_wad * WAD / (WAD - pow)         otherwise (WAD - pow >= 1 then)
 * escrow   = T_wad * proofPrice / WAD              // tokens taken from the requester
 * Q_tokens = min(Q_wad * proofPrice / WAD, escrow) // committee prize
 * }</pre>
 *
 * <p>(The DSMath-style loop {@code r = m odd ? b : WAD; for (e = m/2; e != 0; e /= 2) { b = b*b/WAD;
 * if (e odd) r = r*b/WAD; }} performs the same multiplications and gives the same result, since
 * {@code WAD * b / WAD == b} exactly.) Rounding always favours the escrow: payouts round down and
 * the dust returns to the requester, so tokens in equal tokens out to the unit. Products are
 * checked against {@code 2^256}: where the contract's {@code uint256} arithmetic would overflow
 * (and revert), these methods raise {@link MechanismException}.
 *
 * <p>Stateless and thread-safe; all methods are static.
 */
public final class PaymentRule {

  /** The fixed-point scale 1e18 ("wad") of {@code p}, {@code T} and {@code Q}. */
  public static final BigInteger WAD = BigInteger.TEN.pow(18);

  /** The exclusive upper bound {@code 2^256} of Solidity's {@code uint256}. */
  private static final BigInteger UINT256_BOUND = BigInteger.ONE.shiftLeft(256);

  private static final BigDecimal WAD_DECIMAL = new BigDecimal(WAD);

  private PaymentRule() {}

  /**
   * Converts a mixing probability to 1e18-scaled fixed point, rounding down:
   * {@code floor(p * 1e18)} computed exactly from the binary value of the double.
   *
   * @param p mixing probability in {@code [0, 1]}
   * @return {@code p_wad} in {@code [0, 1e18]}
   * @throws MechanismException if {@code p} is NaN or outside {@code [0, 1]}
   */
  public static BigInteger toWad(double p) {
    if (!(p >= 0.0 && p <= 1.0)) {
      throw new MechanismException("mixing probability p must lie in [0, 1], got p = " + p);
    }
    return new BigDecimal(p).multiply(WAD_DECIMAL).setScale(0, RoundingMode.FLOOR).toBigInteger();
  }

  /**
   * The total prize in wad, {@code T_wad = 1e18 + m * p_wad} (docs/MECHANISM.md §3, {@code T = 1 + m*p}).
   *
   * @param m committee size, {@code m >= 0}
   * @param mixingProbabilityWad {@code p_wad} in {@code [0, 1e18]}
   * @return {@code T_wad}, at least 1e18
   * @throws MechanismException if {@code m < 0} or {@code p_wad} is null or outside {@code [0, 1e18]}
   */
  public static BigInteger totalPrizeWad(int m, BigInteger mixingProbabilityWad) {
    requireCommitteeSize(m);
    requireProbabilityWad(mixingProbabilityWad);
    return WAD.add(uint256(BigInteger.valueOf(m).multiply(mixingProbabilityWad), "m * p_wad"));
  }

  /**
   * The probability that no committee member delivers, {@code (1-p)^m}, in wad, by right-to-left
   * binary exponentiation of {@code WAD - p_wad} rounding down at every multiply (the loop in the
   * class documentation). The result never exceeds the exact value and is below its floor by at
   * most {@code m + 2 * bitLength(m)} units (an error in a square is amplified by later powers).
   *
   * @param m committee size, {@code m >= 0} (the result is 1e18 for {@code m = 0})
   * @param mixingProbabilityWad {@code p_wad} in {@code [0, 1e18]}
   * @return {@code (1-p)^m} in wad, in {@code [0, 1e18]}
   * @throws MechanismException if {@code m < 0} or {@code p_wad} is null or outside {@code [0, 1e18]}
   */
  public static BigInteger oneMinusPToTheMWad(int m, BigInteger mixingProbabilityWad) {
    requireCommitteeSize(m);
    requireProbabilityWad(mixingProbabilityWad);
    BigInteger result = WAD;
    BigInteger base = WAD.subtract(mixingProbabilityWad);
    int exponent = m;
    while (exponent > 0) {
      if ((exponent & 1) == 1) {
        result = result.multiply(base).divide(WAD);
      }
      exponent >>>= 1;
      if (exponent > 0) {
        base = base.multiply(base).divide(WAD);
      }
    }
    return result;
  }

  /**
   * The committee prize in wad (docs/MECHANISM.md §3, {@code Q = m*p / (1 - (1-p)^m)}):
   * {@code Q_wad = m * p_wad * 1e18 / (1e18 - oneMinusPToTheMWad(m, p_wad))}, rounded down, and
   * {@code Q_wad = 1e18} when {@code p_wad == 0} or {@code m == 0} (the {@code p -> 0} limit).
   *
   * @param m committee size, {@code m >= 0}
   * @param mixingProbabilityWad {@code p_wad} in {@code [0, 1e18]}
   * @return {@code Q_wad}, at least about 1e18 and at most about {@code T_wad}
   * @throws MechanismException if {@code m < 0}, {@code p_wad} is null or outside
   *     {@code [0, 1e18]}, or {@code m * p_wad * 1e18} exceeds {@code uint256}
   */
  public static BigInteger committeePrizeWad(int m, BigInteger mixingProbabilityWad) {
    requireCommitteeSize(m);
    requireProbabilityWad(mixingProbabilityWad);
    if (m == 0 || mixingProbabilityWad.signum() == 0) {
      return WAD;
    }
    BigInteger numerator =
        uint256(
            BigInteger.valueOf(m).multiply(mixingProbabilityWad).multiply(WAD),
            "m * p_wad * 1e18");
    BigInteger anyDelivers = WAD.subtract(oneMinusPToTheMWad(m, mixingProbabilityWad));
    return numerator.divide(anyDelivers);
  }

  /**
   * The escrow of a slot, {@code T_wad * proofPrice / 1e18} rounded down, in token base units:
   * what the market takes from the requester when the slot opens (docs/MECHANISM.md §6).
   *
   * @param m committee size, {@code m >= 0}
   * @param mixingProbabilityWad {@code p_wad} in {@code [0, 1e18]}
   * @param proofPrice the price of one proof, token base units, {@code >= 0}
   * @return the escrow, token base units
   * @throws MechanismException on invalid arguments or a product above {@code uint256}
   */
  public static BigInteger escrow(int m, BigInteger mixingProbabilityWad, BigInteger proofPrice) {
    return prizes(m, mixingProbabilityWad, proofPrice).escrow();
  }

  /**
   * The committee prize of a slot in token base units,
   * {@code min(Q_wad * proofPrice / 1e18, escrow)} rounded down (docs/MECHANISM.md §6).
   *
   * @param m committee size, {@code m >= 0}
   * @param mixingProbabilityWad {@code p_wad} in {@code [0, 1e18]}
   * @param proofPrice the price of one proof, token base units, {@code >= 0}
   * @return the committee prize, token base units, never above the escrow
   * @throws MechanismException on invalid arguments or a product above {@code uint256}
   */
  public static BigInteger committeePrizeTokens(
      int m, BigInteger mixingProbabilityWad, BigInteger proofPrice) {
    return prizes(m, mixingProbabilityWad, proofPrice).committeePrize();
  }

  /**
   * All token amounts of a slot at once: {@code T_wad}, {@code Q_wad}, escrow and committee prize,
   * by the recipe in the class documentation (docs/MECHANISM.md §6).
   *
   * @param m committee size, {@code m >= 0} ({@code n - 1} on chain)
   * @param mixingProbabilityWad {@code p_wad} in {@code [0, 1e18]}
   * @param proofPrice the price of one proof, token base units, {@code >= 0}
   * @return the slot's prizes
   * @throws MechanismException on invalid arguments or a product above {@code uint256}
   */
  public static SlotPrizes prizes(int m, BigInteger mixingProbabilityWad, BigInteger proofPrice) {
    requireTokens(proofPrice, "proof price");
    BigInteger totalWad = totalPrizeWad(m, mixingProbabilityWad);
    BigInteger committeeWad = committeePrizeWad(m, mixingProbabilityWad);
    BigInteger escrow = uint256(totalWad.multiply(proofPrice), "T_wad * proofPrice").divide(WAD);
    BigInteger committee =
        uint256(committeeWad.multiply(proofPrice), "Q_wad * proofPrice").divide(WAD).min(escrow);
    return new SlotPrizes(
        m, mixingProbabilityWad, proofPrice, totalWad, committeeWad, escrow, committee);
  }

  /**
   * Settles a slot (docs/MECHANISM.md §3 payment rule and failure policy, §6 rounding):
   *
   * <ul>
   *   <li>designate delivered, {@code j >= 1} committee deliveries: each committee deliverer gets
   *       {@code floor(Q_tokens / j)}, the designate {@code escrow - Q_tokens}, the dust
   *       {@code Q_tokens - j * floor(Q_tokens / j)} returns to the requester; nothing is slashed;
   *   <li>designate delivered, {@code j = 0}: the designate gets the whole escrow;
   *   <li>designate failed: the escrow is refunded and {@code bondAtRisk} is slashed;
   *       {@link FailurePolicy#PAPER}: all of it goes to the requester;
   *       {@link FailurePolicy#COMPENSATE_COMMITTEE}: the {@code j} committee deliverers split
   *       {@code min(Q_tokens, slashed)} (each {@code floor(min / j)}), the rest (dust included)
   *       goes to the requester.
   * </ul>
   *
   * @param escrow the slot's escrow, token base units, {@code >= 0}
   * @param committeePrize the slot's committee prize {@code Q_tokens}, token base units, in
   *     {@code [0, escrow]}
   * @param designateDelivered whether the designate's valid proof arrived before the deadline
   * @param committeeDeliveries committee members whose valid proof arrived, {@code j >= 0}
   * @param bondAtRisk the stake the market seizes if the designate failed, token base units,
   *     {@code >= 0} (ignored, and nothing is slashed, when the designate delivered)
   * @param policy where the seized stake goes when the designate fails
   * @return the settlement; it always satisfies {@link Settlement#isConserved()}
   * @throws MechanismException if an amount is null, negative, or {@code committeePrize > escrow},
   *     if {@code committeeDeliveries < 0}, or if {@code policy} is null
   */
  public static Settlement settle(
      BigInteger escrow,
      BigInteger committeePrize,
      boolean designateDelivered,
      int committeeDeliveries,
      BigInteger bondAtRisk,
      FailurePolicy policy) {
    requireTokens(escrow, "escrow");
    requireTokens(committeePrize, "committee prize");
    requireTokens(bondAtRisk, "bond at risk");
    if (committeePrize.compareTo(escrow) > 0) {
      throw new MechanismException(
          "committee prize must not exceed the escrow " + escrow + ", got " + committeePrize);
    }
    if (committeeDeliveries < 0) {
      throw new MechanismException(
          "committee deliveries must be non-negative, got " + committeeDeliveries);
    }
    if (policy == null) {
      throw new MechanismException("failure policy must not be null");
    }
    BigInteger j = BigInteger.valueOf(committeeDeliveries);
    Settlement result;
    if (designateDelivered) {
      if (committeeDeliveries == 0) {
        result =
            new Settlement(
                escrow, BigInteger.ZERO, escrow, 0, BigInteger.ZERO, BigInteger.ZERO,
                BigInteger.ZERO);
      } else {
        BigInteger perMember = committeePrize.divide(j);
        BigInteger dust = committeePrize.subtract(perMember.multiply(j));
        result =
            new Settlement(
                escrow, BigInteger.ZERO, escrow.subtract(committeePrize), committeeDeliveries,
                perMember, dust, dust);
      }
    } else {
      BigInteger slashed = bondAtRisk;
      BigInteger perMember = BigInteger.ZERO;
      BigInteger dust = BigInteger.ZERO;
      if (policy == FailurePolicy.COMPENSATE_COMMITTEE && committeeDeliveries > 0) {
        BigInteger pot = committeePrize.min(slashed);
        perMember = pot.divide(j);
        dust = pot.subtract(perMember.multiply(j));
      }
      BigInteger refund = escrow.add(slashed).subtract(perMember.multiply(j));
      result =
          new Settlement(
              escrow, slashed, BigInteger.ZERO, committeeDeliveries, perMember, refund, dust);
    }
    return result.requireConserved();
  }

  // ---------------------------------------------------------------------------------------------

  private static BigInteger uint256(BigInteger value, String what) {
    if (value.compareTo(UINT256_BOUND) >= 0) {
      throw new MechanismException(
          what + " = " + value + " exceeds uint256; the contract would revert");
    }
    return value;
  }

  private static void requireCommitteeSize(int m) {
    if (m < 0) {
      throw new MechanismException("committee size m must be non-negative, got m = " + m);
    }
  }

  private static void requireProbabilityWad(BigInteger pWad) {
    if (pWad == null || pWad.signum() < 0 || pWad.compareTo(WAD) > 0) {
      throw new MechanismException(
          "mixing probability p_wad must lie in [0, 1e18], got p_wad = " + pWad);
    }
  }

  private static void requireTokens(BigInteger amount, String what) {
    if (amount == null || amount.signum() < 0) {
      throw new MechanismException(what + " must be a non-negative token amount, got " + amount);
    }
    uint256(amount, what);
  }
}
