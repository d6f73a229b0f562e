package io.procura.agent;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Locale;

/**
 * A prover agent's metrics (Micrometer), every one tagged with the agent's address ({@code agent}) so that several
 * agents in one process (the demo) stay apart; {@code procura agent --metrics-port} serves them in Prometheus' text
 * format:
 *
 * <ul>
 *   <li>{@code procura_agent_slots_total{agent, role, action}} — every drawn slot the agent handled: role {@code
 *       designate}, {@code committee} or {@code not_eligible}; action {@code submitted}, {@code skipped_by_coin},
 *       {@code withheld}, {@code failed}, {@code too_late}, {@code already_done}, …;
 *   <li>{@code procura_agent_prove_seconds{agent, circuit, backend}} — prove time per circuit and backend ({@code cpu},
 *       {@code gpu}), with histogram buckets;
 *   <li>{@code procura_agent_submit_gas{agent, circuit}} — gas used by each accepted {@code submitProof};
 *   <li>{@code procura_agent_duties_total{agent}} — designate duties taken;
 *   <li>{@code procura_agent_slashed_tokens_total{agent}} — bond slashed, in tokens (18 decimals).
 * </ul>
 *
 * The chain client's {@code procura_rpc_*} metrics land in the same registry when it is Micrometer's global one.
 */
final class AgentMetrics {

    private final MeterRegistry registry;
    private final String agent;
    /** Slots whose duty or slash was counted: events read again (a reorganisation's rewind, a restart's replay) are
     *  not counted twice. Bounded: the oldest are forgotten past 100,000. */
    private final java.util.Set<String> counted = java.util.Collections.newSetFromMap(
            new java.util.LinkedHashMap<>(1024, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, Boolean> eldest) {
                    return size() > 100_000;
                }
            });

    AgentMetrics(MeterRegistry registry, String agent) {
        this.registry = registry;
        this.agent = agent.toLowerCase(Locale.ROOT);
    }

    void slot(SlotOutcome o) {
        Counter.builder("procura.agent.slots").description("Drawn slots the agent handled, by role and action")
                .tag("agent", agent).tag("role", o.role().name().toLowerCase(Locale.ROOT))
                .tag("action", o.action().name().toLowerCase(Locale.ROOT)).register(registry).increment();
    }

    void proved(String circuit, String backend, Duration took) {
        Timer.builder("procura.agent.prove").description("Groth16 prove time, by circuit and backend")
                .tag("agent", agent).tag("circuit", circuit).tag("backend", backend).publishPercentileHistogram()
                .register(registry).record(took);
    }

    void submitted(String circuit, BigInteger gas) {
        if (gas.signum() <= 0) return; // an earlier attempt's: counted then
        DistributionSummary.builder("procura.agent.submit.gas").description("Gas used by accepted submitProof calls")
                .baseUnit("gas").tag("agent", agent).tag("circuit", circuit).register(registry).record(gas.doubleValue());
    }

    /** @param slotId the slot of the duty; counted once per slot */
    void duty(BigInteger slotId) {
        if (!firstTime("duty:" + slotId)) return;
        Counter.builder("procura.agent.duties").description("Designate duties taken").tag("agent", agent)
                .register(registry).increment();
    }

    /** @param slotId the slot whose settlement slashed the agent; counted once per slot */
    void slashed(BigInteger slotId, BigInteger baseUnits) {
        if (!firstTime("slash:" + slotId)) return;
        Counter.builder("procura.agent.slashed").description("Bond slashed from this agent").baseUnit("tokens")
                .tag("agent", agent).register(registry).increment(new java.math.BigDecimal(baseUnits).movePointLeft(18).doubleValue());
    }

    private boolean firstTime(String key) {
        synchronized (counted) {
            return counted.add(key);
        }
    }
}
