package io.procura.coordinator;

/** Names of the market's {@code PayoutKind} enum (ProcurementMarket.sol), by ordinal. */
final class PayoutKinds {
    private static final String[] NAMES = {"DESIGNATE", "COMMITTEE", "REFUND", "SLASH_REFUND", "SLASH_COMPENSATION", "DUST", "KEEPER_FEE"};

    private PayoutKinds() {}

    /**
     * @param kind the {@code uint8} kind of a {@code PayoutCredited} event
     * @return its name, or {@code KIND_<n>} for a kind this build does not know
     */
    static String name(int kind) {
        return kind >= 0 && kind < NAMES.length ? NAMES[kind] : "KIND_" + kind;
    }
}
