package io.procura.agent;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import org.web3j.crypto.Credentials;

/**
 * Configuration of one prover agent.
 *
 * @param name          a label for logs and reports, e.g. {@code prover-1}
 * @param credentials   the operator's key (its address is the prover's identity on chain)
 * @param endpoint      the agent endpoint registered on chain (informational)
 * @param bond          the operator's own stake to reach at start (a target: only the shortfall is bonded), token
 *                      base units
 * @param faultMode     {@link FaultMode#NONE} for an honest agent
 * @param submitMargin  do not submit when less than this is left before the slot's deadline (seconds of chain time)
 * @param pollInterval  how often to look for new events
 * @param circuits      the market circuit ids to opt into (and the only ones whose slots the agent takes);
 *                      {@code null}: every circuit the agent holds keys for (the deployment's digits circuit);
 *                      empty: none (the agent stays registered and bonded but is never drawn). Every id must be
 *                      a circuit the agent can prove
 */
public record AgentConfig(String name, Credentials credentials, String endpoint, BigInteger bond, FaultMode faultMode,
                          Duration submitMargin, Duration pollInterval, Set<BigInteger> circuits) {
    /** Deliberate faults for demos and tests. */
    public enum FaultMode {
        /** honest: proves as designate, mixes as committee member */
        NONE,
        /** never proves when it is the designate (a silent designate; it is slashed) */
        SILENT_DESIGNATE
    }

    /** Validates the fields. */
    public AgentConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(bond, "bond");
        Objects.requireNonNull(faultMode, "faultMode");
        Objects.requireNonNull(submitMargin, "submitMargin");
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (bond.signum() < 0) throw new IllegalArgumentException("bond must be >= 0, got " + bond);
        if (endpoint == null) endpoint = "";
        if (circuits != null) {
            for (BigInteger c : circuits) {
                if (c == null || c.signum() < 0) throw new IllegalArgumentException("circuit ids must be >= 0, got " + c);
            }
            circuits = Set.copyOf(circuits);
        }
    }

    /**
     * A configuration that opts into every circuit the agent holds keys for.
     *
     * @param name         a label for logs and reports
     * @param credentials  the operator's key
     * @param endpoint     the agent endpoint registered on chain (informational)
     * @param bond         the operator's own stake to reach at start (a target), token base units
     * @param faultMode    {@link FaultMode#NONE} for an honest agent
     * @param submitMargin do not submit when less than this is left before the slot's deadline
     * @param pollInterval how often to look for new events
     */
    public AgentConfig(String name, Credentials credentials, String endpoint, BigInteger bond, FaultMode faultMode,
                       Duration submitMargin, Duration pollInterval) {
        this(name, credentials, endpoint, bond, faultMode, submitMargin, pollInterval, null);
    }

    /** @return the prover's address (0x, lowercase) */
    public String address() {
        return credentials.getAddress();
    }
}
