package io.procura.mechanism;

/**
 * Adversary names the strategies that {@link SlotSimulator} plays against the designated uniform
 * committee rule (docs/MECHANISM.md §3). The adversary controls at most {@code k = n - h} provers and
 * chooses them after it sees who is designated.
 */
public enum Adversary {

  /** Nobody deviates: the designate delivers, committee members follow their coins. Cost {@code T}. */
  HONEST,

  /**
   * The designate withholds; every committee member follows its coin. The stake {@code B} is
   * seized (needs {@code k >= 1}).
   */
  SILENT_DESIGNATE,

  /**
   * The designate and {@code k - 1} committee members withhold (capped at the committee size): the
   * attack that attains the right branch of {@code L_desig} (docs/MECHANISM.md §3; needs {@code k >= 1}).
   */
  SILENT_DESIGNATE_AND_COMMITTEE,

  /**
   * The designate delivers and {@code k} committee members (capped at the committee size) always
   * deliver, to dilute the committee prize; the protocol still pays exactly {@code T}.
   */
  OVER_DELIVERING_COMMITTEE;

  /**
   * The command-line name of this adversary, e.g. {@code silent-designate}.
   *
   * @return the lower-case, dash-separated name
   */
  public String cliName() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /**
   * Parses a command-line name ({@code honest}, {@code silent-designate},
   * {@code silent-designate-and-committee}, {@code over-delivering-committee}; case-insensitive,
   * {@code -} or {@code _}).
   *
   * @param text the name
   * @return the adversary
   * @throws MechanismException if {@code text} names no adversary
   */
  public static Adversary parse(String text) {
    if (text != null) {
      String key = text.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
      for (Adversary a : values()) {
        if (a.name().equals(key)) {
          return a;
        }
      }
    }
    throw new MechanismException("unknown adversary '" + text + "' (use honest, silent-designate, "
        + "silent-designate-and-committee or over-delivering-committee)");
  }
}
