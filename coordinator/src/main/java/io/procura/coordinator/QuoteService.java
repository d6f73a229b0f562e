package io.procura.coordinator;

import io.procura.chain.ChainClient;
import io.procura.chain.ChainException;
import io.procura.chain.Deployment;
import io.procura.chain.MarketContracts;
import io.procura.contracts.generated.ProcurementMarket;
import io.procura.mechanism.DesignatedMechanism;
import io.procura.mechanism.DesignatedOptimum;
import io.procura.mechanism.FailurePolicy;
import io.procura.mechanism.PaymentRule;
import io.procura.mechanism.SlotPrizes;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import org.web3j.crypto.Credentials;

/**
 * Quotes slots: reads the size {@code n} of the circuit's eligible set (the provers opted into it,
 * bonded and not jailed: {@code registry.eligibleCount(circuitId)}), the market's slot bond and failure
 * policy from the chain, and asks {@code payment-rules} for the optimal designated parameters with the
 * full committee {@code m = n - 1} that the contract implements (docs/MECHANISM.md §3). The stake
 * {@code B} passed to the optimiser is {@code market.stakeAtRisk()}: what the contract really hands to
 * the requester and committee when a designate fails (slot bond − keeper fee + correlated committee-pool
 * stake, docs/MECHANISM.md §6), divided by the proof price.
 */
public final class QuoteService implements Quoter {
    private final MarketContracts contracts;
    private final ChainClient chain;
    private final Deployment deployment;
    private final double honestFraction;

    /**
     * @param chain          the chain
     * @param deployment     the marketplace
     * @param honestFraction {@code alpha = h / n} assumed by the protocol, in (0, 1]
     * @throws IllegalArgumentException if {@code honestFraction} is out of range
     */
    public QuoteService(ChainClient chain, Deployment deployment, double honestFraction) {
        if (!(honestFraction > 0 && honestFraction <= 1)) {
            throw new IllegalArgumentException("honest fraction must be in (0, 1], got " + honestFraction);
        }
        // read-only calls: any key will do
        this.contracts = MarketContracts.load(chain, deployment, Credentials.create("0x1"));
        this.chain = chain;
        this.deployment = deployment;
        this.honestFraction = honestFraction;
    }

    /**
     * Quotes a slot of the deployment's digits circuit.
     *
     * @param livenessPenalty {@code C} in proof-cost units, {@code >= 1}
     * @param proofPrice      tokens per proof-cost unit, base units, {@code > 0}
     * @return the quote
     * @throws IllegalArgumentException if an argument is out of range
     * @throws ChainException if the chain cannot be read or no prover is eligible
     */
    public Quote quote(double livenessPenalty, BigInteger proofPrice) {
        return quote(deployment.digitsCircuitId(), livenessPenalty, proofPrice);
    }

    /**
     * @param circuitId       the circuit
     * @param livenessPenalty {@code C} in proof-cost units, {@code >= 1}
     * @param proofPrice      tokens per proof-cost unit, base units, {@code > 0} and at least the circuit's
     *                        {@code minProofPrice}
     * @return the quote
     * @throws BadParameterException if the price is not positive or the circuit id negative
     * @throws UnknownCircuitException if the market has no such circuit
     * @throws PriceBelowMinimumException if the price is below the circuit's minimum (the market state is read once
     *                                    per block)
     * @throws NoEligibleProverException if no prover is eligible for the circuit
     * @throws ChainException if the chain cannot be read
     */
    /** What a quote reads from the market, for one circuit at one block; {@code terms} null for an unknown circuit. */
    private record MarketState(BigInteger block, ProcurementMarket.CircuitTerms terms, int eligible, BigInteger slotBond,
                               BigInteger stakeAtRisk, FailurePolicy policy) {}

    /** The market state per circuit, valid for the block it was read at: quotes within a block make one call. */
    private final java.util.concurrent.ConcurrentHashMap<BigInteger, MarketState> cache = new java.util.concurrent.ConcurrentHashMap<>();

    private MarketState marketState(BigInteger circuitId) {
        BigInteger now;
        MarketState fresh;
        try {
            now = chain.blockNumber();
            MarketState cached = cache.get(circuitId);
            if (cached != null && cached.block().equals(now)) return cached;
            if (circuitId.compareTo(contracts.market().nextCircuitId().send()) >= 0) {
                fresh = new MarketState(now, null, 0, null, null, null);
            } else {
                ProcurementMarket.CircuitTerms terms = contracts.market().circuitTerms(circuitId).send();
                int n = contracts.registry().eligibleCount(circuitId).send().intValueExact();
                BigInteger slotBond = contracts.market().slotBond().send();
                // B is what the market will really seize for the requester and committee (slotBond - keeperFee),
                // never a hoped-for value (docs/MECHANISM.md §6).
                BigInteger stakeAtRisk = contracts.market().stakeAtRisk().send();
                FailurePolicy policy = contracts.market().policy().send().intValue() == 0 ? FailurePolicy.PAPER
                        : FailurePolicy.COMPENSATE_COMMITTEE;
                fresh = new MarketState(now, terms, n, slotBond, stakeAtRisk, policy);
            }
        } catch (Exception e) {
            throw new ChainException("reading the market for a quote failed: " + e.getMessage(), e);
        }
        if (cache.size() > 1_000) cache.clear(); // unknown circuit ids asked for must not grow it without bound
        cache.put(circuitId, fresh);
        return fresh;
    }

    @Override
    public Quote quote(BigInteger circuitId, double livenessPenalty, BigInteger proofPrice) {
        if (proofPrice.signum() <= 0) throw new BadParameterException("proofPrice", "proof price must be > 0, got " + proofPrice);
        if (circuitId == null || circuitId.signum() < 0) {
            throw new BadParameterException("circuitId", "circuit id must be >= 0, got " + circuitId);
        }
        MarketState m = marketState(circuitId);
        if (m.terms == null) throw new UnknownCircuitException(circuitId);
        ProcurementMarket.CircuitTerms terms = m.terms;
        int n = m.eligible;
        BigInteger slotBond = m.slotBond;
        BigInteger stakeAtRisk = m.stakeAtRisk;
        FailurePolicy policy = m.policy;
        if (proofPrice.compareTo(terms.minProofPrice) < 0) {
            throw new PriceBelowMinimumException(circuitId, proofPrice, terms.minProofPrice);
        }
        if (n < 1) throw new NoEligibleProverException(circuitId);
        int h = Math.max(1, (int) Math.ceil(honestFraction * n - 1e-9));
        double stake = new BigDecimal(stakeAtRisk).divide(new BigDecimal(proofPrice), MathContext.DECIMAL64).doubleValue();
        DesignatedOptimum opt = DesignatedMechanism.optimizeFullCommittee(n, h, livenessPenalty, stake, policy);
        BigInteger pWad = PaymentRule.toWad(opt.mixingProbability());
        SlotPrizes prizes = PaymentRule.prizes(n - 1, pWad, proofPrice);
        return new Quote(circuitId, n, h, livenessPenalty, stake, policy, n - 1, opt.mixingProbability(), pWad, opt.totalPrize(),
                opt.committeePrize(), opt.loss(), proofPrice, prizes.escrow(), prizes.committeePrize(), slotBond);
    }
}
