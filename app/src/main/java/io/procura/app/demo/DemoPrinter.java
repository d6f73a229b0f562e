package io.procura.app.demo;

import io.procura.chain.Tokens;
import java.io.PrintStream;
import java.util.Map;
import java.util.stream.Collectors;

/** Prints a {@link DemoReport} as tables, amounts in whole tokens. */
public final class DemoPrinter {
    private final PrintStream out;

    /** @param out where to print */
    public DemoPrinter(PrintStream out) {
        this.out = out;
    }

    /**
     * Prints the per-slot table, the provers and the conservation check.
     *
     * @param r the report
     */
    public void print(DemoReport r) {
        Map<String, String> names = r.accounts();
        out.println();
        out.println("== Slots (tokens rounded down to 4 decimals; --json has exact base units) ==");
        String fmt = "%-4s %-11s %-5s %-5s %-9s %-9s %-27s %-8s %-8s %-8s %-22s %s%n";
        out.printf(fmt, "slot", "circuit", "image", "class", "designate", "delivered", "committee deliveries", "escrow",
                "slashed", "refunded", "submitProof gas", "prove ms");
        for (DemoReport.Slot s : r.slots()) {
            String committee = s.deliveries().stream().filter(a -> !a.equalsIgnoreCase(String.valueOf(s.designate())))
                    .map(a -> name(names, a)).collect(Collectors.joining(","));
            out.printf(fmt, s.slotId(), s.circuit(), s.imageIndex() < 0 ? "-" : "#" + s.imageIndex(),
                    s.predictedClass() < 0 ? "-" : s.predictedClass() + (s.predictedClass() == s.label() ? "" : "≠" + s.label()),
                    s.designateName(), s.cancelled() ? "cancelled" : s.designateDelivered() ? "yes" : "NO",
                    committee.isEmpty() ? "-" : committee,
                    Tokens.format(s.escrow(), 4), Tokens.format(s.slashed(), 4), Tokens.format(s.refunded(), 4),
                    s.submitProofGas().stream().map(String::valueOf).collect(Collectors.joining(",")),
                    s.proveMillis().stream().map(String::valueOf).collect(Collectors.joining(",")));
            out.println("     payouts: " + s.payouts().entrySet().stream()
                    .map(e -> name(names, e.getKey()) + " " + Tokens.format(e.getValue(), 4)).collect(Collectors.joining(", ")));
        }
        out.println();
        out.println("== Provers ==");
        for (DemoReport.Prover p : r.provers()) {
            out.printf("%-9s %s bond %s%s%s%n", p.name(), p.address(), Tokens.format(p.bondEnd()),
                    p.jailed() ? "  JAILED" : "", p.faulty() ? "  (faulty on purpose)" : "");
        }
        DemoReport.Conservation c = r.conservation();
        out.println();
        out.println("== Conservation (registry + market) ==");
        out.printf("in (bonds + escrows) %s - out (claims) %s = %s; held %s = bonds %s + unclaimed %s; every slot balanced: %s%n",
                Tokens.format(c.tokensIn()), Tokens.format(c.tokensOut()), Tokens.format(c.tokensIn().subtract(c.tokensOut())),
                Tokens.format(c.held()), Tokens.format(c.bonds()), Tokens.format(c.unclaimed()), c.slotsBalanced());
        out.println(c.ok() ? "OK: every token is accounted for, to the base unit." : "FAILED: tokens are not conserved!");
        out.printf("wall time %.1f s%n", r.wallSeconds());
    }

    private static String name(Map<String, String> names, String address) {
        String n = names.get(address.toLowerCase());
        return n != null ? n : address;
    }
}
