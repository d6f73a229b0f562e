package io.procura.agent;

import io.procura.chain.ChainClient;
import io.procura.chain.ChainException;
import io.procura.chain.Deployment;
import io.procura.chain.MarketContracts;
import io.procura.chain.SlotDraws;
import io.procura.chain.SlotLogs;
import io.procura.contracts.generated.ProcurementMarket;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.Log;

/**
 * The agent's {@link MarketClient} on a real node: web3j calls to the deployment's ProcurementMarket,
 * ProverRegistry and token, signed with the prover's key, with the EIP-1559 fee read from the node for every
 * transaction ({@link MarketContracts}).
 */
public final class ChainMarketClient implements MarketClient {
    private static final String OPENED = EventEncoder.encode(ProcurementMarket.SLOTOPENED_EVENT);
    private static final String DRAWN = EventEncoder.encode(ProcurementMarket.SLOTDRAWN_EVENT);
    private static final String CANCELLED = EventEncoder.encode(ProcurementMarket.SLOTCANCELLED_EVENT);
    private static final String SETTLED = EventEncoder.encode(ProcurementMarket.SLOTSETTLED_EVENT);

    private final ChainClient chain;
    private final Deployment deployment;
    private final MarketContracts contracts;
    private final String address;

    /**
     * @param chain       the node
     * @param deployment  the marketplace
     * @param credentials the prover's key (signs every transaction)
     */
    public ChainMarketClient(ChainClient chain, Deployment deployment, Credentials credentials) {
        this.chain = chain;
        this.deployment = deployment;
        this.contracts = MarketContracts.load(chain, deployment, credentials);
        this.address = credentials.getAddress();
    }

    /** Runs one contract call, wrapping its failure (the cause kept: an I/O failure stays recognisable as transient). */
    private static <T> T call(String what, Callable<T> op) {
        try {
            return op.call();
        } catch (ChainException e) {
            throw e;
        } catch (Exception e) {
            throw new ChainException(what + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public long chainId() {
        return chain.chainId();
    }

    @Override
    public BigInteger blockNumber() {
        return chain.blockNumber();
    }

    @Override
    public String blockHash(BigInteger block) {
        return chain.blockHash(block);
    }

    @Override
    public long latestTimestamp() {
        return chain.latestTimestamp();
    }

    @Override
    public List<MarketEvent> events(BigInteger from, BigInteger to) {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(from), DefaultBlockParameter.valueOf(to), deployment.market());
        filter.addOptionalTopics(OPENED, DRAWN, CANCELLED, SETTLED);
        List<MarketEvent> out = new ArrayList<>();
        for (Log log : chain.logs(filter, "blocks " + from + ".." + to)) {
            if (log.getTopics().isEmpty() || Boolean.TRUE.equals(log.isRemoved())) continue;
            long block = log.getBlockNumber().longValueExact();
            long index = log.getLogIndex().longValueExact();
            String topic = log.getTopics().get(0);
            if (OPENED.equals(topic)) {
                out.add(new Opened(block, index, ProcurementMarket.getSlotOpenedEventFromLog(log)));
            } else if (DRAWN.equals(topic)) {
                out.add(new Drawn(block, index, ProcurementMarket.getSlotDrawnEventFromLog(log)));
            } else if (CANCELLED.equals(topic)) {
                out.add(new Cancelled(block, index, ProcurementMarket.getSlotCancelledEventFromLog(log).slotId));
            } else if (SETTLED.equals(topic)) {
                out.add(new Settled(block, index, ProcurementMarket.getSlotSettledEventFromLog(log)));
            }
        }
        return out;
    }

    @Override
    public ProcurementMarket.SlotOpenedEventResponse opened(BigInteger slotId) {
        return SlotLogs.opened(chain, deployment.market(), slotId, deployment.deployBlock());
    }

    @Override
    public ProcurementMarket.SlotTerms drawnTerms(BigInteger slotId) {
        SlotLogs.Slot s = SlotLogs.read(chain, deployment.market(), slotId, deployment.deployBlock());
        return s.drawn() == null ? null : SlotLogs.withDraw(s.opened().terms, s.drawn().designate, s.drawn().seed);
    }

    @Override
    public SlotStatus slotStatus(BigInteger slotId) {
        ProcurementMarket.SlotState s = call("reading the state of slot " + slotId, () -> contracts.market().slotState(slotId).send());
        return new SlotStatus(s.settled, s.designateDelivered);
    }

    @Override
    public boolean committeeShareOwed(BigInteger slotId) {
        return call("reading the committee share of slot " + slotId,
                () -> contracts.market().committeeShareOwed(slotId, address).send());
    }

    @Override
    public boolean eligibleForSlot(BigInteger circuitId, BigInteger snapshot) {
        return call("the committee check", () -> contracts.registry().isEligibleForSlot(address, circuitId, snapshot).send());
    }

    @Override
    public BigInteger submitProof(BigInteger slotId, ProcurementMarket.SlotTerms terms, List<BigInteger> outputs,
                                  List<BigInteger> proof) {
        return call("submitProof of slot " + slotId,
                () -> contracts.market().submitProof(slotId, terms, outputs, proof).send().getGasUsed());
    }

    @Override
    public SlotDraws.Result draw(ProcurementMarket.SlotOpenedEventResponse opened) {
        return SlotDraws.draw(chain, contracts.market(), opened.slotId, opened.terms, opened.drawBlock);
    }

    @Override
    public BigInteger claimable() {
        return call("reading what is claimable", () -> contracts.market().claimable(address).send());
    }

    @Override
    public void claim() {
        call("claim", () -> contracts.market().claim().send());
    }

    @Override
    public void creditCommittee(BigInteger slotId, ProcurementMarket.SlotTerms terms) {
        call("creditCommittee of slot " + slotId, () -> contracts.market().creditCommittee(slotId, terms, address).send());
    }

    @Override
    public boolean isJailed() {
        return call("reading the jail of " + address, () -> contracts.registry().isJailed(address).send());
    }

    @Override
    public boolean isRegistered() {
        return call("reading the registration of " + address, () -> contracts.registry().isRegistered(address).send());
    }

    @Override
    public void register(String endpoint) {
        call("register", () -> contracts.registry().register(endpoint, new byte[32]).send());
    }

    @Override
    public BigInteger ownStake() {
        return call("reading the own stake of " + address, () -> contracts.registry().stakeOf(address, address).send());
    }

    @Override
    public BigInteger tokenBalance() {
        return call("reading the token balance of " + address, () -> contracts.token().balanceOf(address).send());
    }

    @Override
    public void bond(BigInteger amount) {
        call("approve", () -> contracts.token().approve(deployment.registry(), amount).send());
        call("bond", () -> contracts.registry().bond(amount).send());
    }

    @Override
    public BigInteger committeeSlice() {
        return call("reading the committee slice", () -> contracts.registry().committeeSlice().send());
    }

    @Override
    public boolean holdsCommitteeShare() {
        return call("reading the committee pool shares", () -> {
            String pool = contracts.registry().COMMITTEE_POOL().send();
            return contracts.registry().sharesOf(pool, address).send().signum() > 0;
        });
    }

    @Override
    public void stakeCommitteeSlice(BigInteger slice) {
        call("approve", () -> contracts.token().approve(deployment.registry(), slice).send());
        call("stake into the committee pool", () -> {
            String pool = contracts.registry().COMMITTEE_POOL().send();
            return contracts.registry().stakeTo(pool, slice).send();
        });
    }

    @Override
    public Set<BigInteger> optedInCircuits() {
        return call("reading the circuits of " + address, () -> {
            Set<BigInteger> out = new HashSet<>();
            for (Object c : contracts.registry().circuitsOf(address).send()) out.add((BigInteger) c);
            return out;
        });
    }

    @Override
    public void optIn(BigInteger circuitId) {
        call("optIn " + circuitId, () -> contracts.registry().optIn(circuitId).send());
    }

    @Override
    public void optOut(BigInteger circuitId) {
        call("optOut " + circuitId, () -> contracts.registry().optOut(circuitId).send());
    }
}
