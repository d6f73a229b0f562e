package io.procura.app.mechanism;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.procura.mechanism.FailurePolicy;
import io.procura.mechanism.MechanismException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/**
 * Helpers shared by the {@code procura mechanism} subcommands: parsing of policies and lists, and
 * printing of results as JSON or as aligned {@code key value} lines.
 */
public final class MechanismOutput {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private MechanismOutput() {}

    /**
     * Parses a failure policy name.
     *
     * @param text {@code paper} or {@code compensate-committee} (case-insensitive, {@code _} or {@code -})
     * @return the policy
     * @throws MechanismException for any other text
     */
    public static FailurePolicy parsePolicy(String text) {
        String t = text == null ? "" : text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (FailurePolicy p : FailurePolicy.values()) {
            if (p.name().equals(t)) {
                return p;
            }
        }
        throw new MechanismException("unknown failure policy '" + text + "' (use paper or compensate-committee)");
    }

    /**
     * Parses a comma-separated list of numbers such as {@code 0.5,0.67,0.9}.
     *
     * @param text the list
     * @param what what the numbers are, for the error message
     * @return the numbers
     * @throws MechanismException if an element is not a number
     */
    public static double[] parseDoubles(String text, String what) {
        String[] parts = text.split(",");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException ex) {
                throw new MechanismException(what + " must be comma-separated numbers, got '" + text + "'");
            }
        }
        return out;
    }

    /**
     * Prints a map as one indented JSON object.
     *
     * @param out where to print
     * @param value the object
     */
    public static void printJson(PrintWriter out, Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot serialise " + value, ex);
        }
        out.flush();
    }

    /**
     * Prints a map as aligned {@code key value} lines.
     *
     * @param out where to print
     * @param values the entries, in order
     */
    public static void printLines(PrintWriter out, Map<String, ?> values) {
        values.forEach((k, v) -> out.printf("%-28s %s%n", k, v));
        out.flush();
    }

    /**
     * Formats a number with 6 significant digits (proof-cost units in tables).
     *
     * @param x the number
     * @return the text
     */
    public static String num(double x) {
        return String.format(Locale.ROOT, "%.6g", x);
    }
}
