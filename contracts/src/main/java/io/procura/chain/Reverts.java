package io.procura.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Hash;

/**
 * Decodes Solidity custom errors (EIP-838 style revert data: a 4-byte selector, then the ABI-encoded arguments) into
 * their names and arguments, from the ABIs of Procura's contracts (bundled in this jar under
 * {@code io/procura/contracts/abi/}: the market's, the registry's, their OpenZeppelin errors), so that nobody reads
 * {@code custom error 0x1cd6bd4f: 00…05…} where {@code Market_NoCommitteeShare(slotId=5, prover=0xdf66…)} is meant.
 * Also {@code Error(string)} and {@code Panic(uint256)} (Solidity's built-in reverts).
 */
public final class Reverts {
    /** anvil / geth text: {@code custom error 0x<selector>: <hex arguments>} (the arguments may be absent). */
    private static final Pattern CUSTOM_ERROR = Pattern.compile("custom error (0x[0-9a-fA-F]{8})(?::\\s*([0-9a-fA-F]*))?");
    private static final String[] CONTRACTS = {"ProcurementMarket", "ProverRegistry", "CommitteeDesk", "DemoToken",
            "BatchRollup", "RollupPayloadChecker", "DigitsPayloadChecker"};

    /** An error of an ABI: its name and its inputs' names and types. */
    private record ErrorAbi(String name, List<String> names, List<String> types) {}

    private static final Map<String, ErrorAbi> BY_SELECTOR = load();

    private Reverts() {
    }

    private static Map<String, ErrorAbi> load() {
        Map<String, ErrorAbi> out = new HashMap<>();
        out.put("0x08c379a0", new ErrorAbi("Error", List.of("message"), List.of("string")));
        out.put("0x4e487b71", new ErrorAbi("Panic", List.of("code"), List.of("uint256")));
        ObjectMapper json = new ObjectMapper();
        for (String contract : CONTRACTS) {
            try (InputStream in = Reverts.class.getResourceAsStream("/io/procura/contracts/abi/" + contract + ".abi")) {
                if (in == null) continue;
                for (JsonNode item : json.readTree(in)) {
                    if (!"error".equals(item.path("type").asText())) continue;
                    List<String> names = new ArrayList<>();
                    List<String> types = new ArrayList<>();
                    for (JsonNode input : item.path("inputs")) {
                        names.add(input.path("name").asText());
                        types.add(input.path("type").asText());
                    }
                    String signature = item.path("name").asText() + "(" + String.join(",", types) + ")";
                    out.putIfAbsent(Hash.sha3String(signature).substring(0, 10),
                            new ErrorAbi(item.path("name").asText(), names, types));
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the ABI of " + contract, e);
            }
        }
        return Map.copyOf(out);
    }

    /**
     * Decodes revert data.
     *
     * @param selector   the 4-byte selector, {@code 0x}-prefixed hex
     * @param argumentsHex the ABI-encoded arguments, hex without {@code 0x} (may be empty)
     * @return {@code Name(arg=value, …)}, or null for a selector no bundled ABI has (or arguments that do not decode)
     */
    public static String decode(String selector, String argumentsHex) {
        ErrorAbi abi = BY_SELECTOR.get(selector.toLowerCase());
        if (abi == null) return null;
        try {
            List<TypeReference<Type>> refs = new ArrayList<>();
            for (String t : abi.types()) refs.add(TypeReference.makeTypeReference(t));
            List<Type> values = abi.types().isEmpty() ? List.of()
                    : FunctionReturnDecoder.decode(argumentsHex == null ? "" : argumentsHex, (List) refs);
            if (values.size() != abi.types().size()) return null;
            List<String> parts = new ArrayList<>();
            for (int k = 0; k < values.size(); k++) {
                Object v = values.get(k).getValue();
                String shown = v instanceof byte[] b ? org.web3j.utils.Numeric.toHexString(b) : String.valueOf(v);
                if (v instanceof BigInteger i && abi.name().equals("Panic")) shown = "0x" + i.toString(16);
                String name = abi.names().get(k);
                parts.add(name.isEmpty() ? shown : name + "=" + shown);
            }
            return abi.name() + "(" + String.join(", ", parts) + ")";
        } catch (RuntimeException | ClassNotFoundException e) {
            return null;
        }
    }

    /**
     * Rewrites every {@code custom error 0x…: …} in a message (as anvil, geth and web3j report reverts) into the
     * decoded error; leaves the rest of the message, and errors no bundled ABI knows, as they are.
     *
     * @param message a message, possibly null
     * @return the message with its custom errors decoded (null stays null)
     */
    public static String describe(String message) {
        if (message == null) return null;
        Matcher m = CUSTOM_ERROR.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String decoded = decode(m.group(1), m.group(2));
            m.appendReplacement(out, Matcher.quoteReplacement(decoded != null ? decoded : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }
}
