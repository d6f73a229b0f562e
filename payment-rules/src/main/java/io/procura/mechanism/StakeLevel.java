package io.procura.mechanism;

/**
 * StakeLevel is one stake curve of a {@link LossSweep}: either a fixed stake {@code B} in
 * proof-cost units, or a stake proportional to the liveness penalty, {@code B = f * C} (the
 * regime of paper Lem. 3.12, where the loss stays bounded).
 *
 * @param value {@code B} in proof-cost units, or the fraction {@code f}; finite and {@code >= 0}
 * @param fractionOfPenalty true if {@code value} is a fraction of {@code C}
 */
public record StakeLevel(double value, boolean fractionOfPenalty) {

  /** No stake, {@code B = 0}. */
  public static final StakeLevel NONE = new StakeLevel(0.0, false);

  /**
   * Checks the value.
   *
   * @throws MechanismException if {@code value} is negative, NaN or infinite
   */
  public StakeLevel {
    if (!Double.isFinite(value) || value < 0.0) {
      throw new MechanismException("stake level must be finite and non-negative, got " + value);
    }
  }

  /**
   * Parses {@code 500} (a fixed stake of 500 proof-cost units) or {@code 0.1C} (a tenth of the
   * liveness penalty).
   *
   * @param text the stake level
   * @return the level
   * @throws MechanismException if {@code text} is not a non-negative number, optionally followed
   *     by {@code C}
   */
  public static StakeLevel parse(String text) {
    if (text == null || text.isBlank()) {
      throw new MechanismException("stake level must not be empty");
    }
    String t = text.trim();
    boolean fraction = t.endsWith("C") || t.endsWith("c");
    String number = fraction ? t.substring(0, t.length() - 1) : t;
    try {
      return new StakeLevel(Double.parseDouble(number), fraction);
    } catch (NumberFormatException ex) {
      throw new MechanismException(
          "stake level must be a number of proof-cost units (500) or a fraction of C (0.1C), got '"
              + text + "'");
    }
  }

  /**
   * The stake {@code B} at a given liveness penalty.
   *
   * @param livenessPenalty {@code C}, proof-cost units
   * @return {@code B}, proof-cost units
   */
  public double at(double livenessPenalty) {
    return fractionOfPenalty ? value * livenessPenalty : value;
  }

  /**
   * A short label: {@code B=500} or {@code B=0.1C}.
   *
   * @return the label
   */
  public String label() {
    String v = value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value) : Double.toString(value);
    return "B=" + v + (fractionOfPenalty ? "C" : "");
  }
}
