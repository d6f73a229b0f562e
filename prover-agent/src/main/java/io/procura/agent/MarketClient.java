package io.procura.agent;

import io.procura.chain.ChainException;
import io.procura.chain.SlotDraws;
import io.procura.contracts.generated.ProcurementMarket;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;

/**
 * The chain side of a {@link ProverAgent}: every read and transaction it makes, for one prover key on one marketplace
 * deployment. {@link ChainMarketClient} is the real one (web3j on a node); tests give the agent a stub to drive it
 * through restarts, failures and reorganisations without a chain.
 *
 * <p>Every method throws {@link ChainException} when the node cannot be reached (an {@link java.io.IOException} in
 * its causes: transient, may be retried) or the contract refuses (a revert: never retried; the message carries the
 * raw revert data, which {@link io.procura.chain.Reverts#describe} decodes).
 */
public interface MarketClient {

    /** A market event the agent acts on, at its position in the chain. */
    sealed interface MarketEvent {
        /** @return the block number */
        long block();

        /** @return the log index in the block */
        long logIndex();

        /** @return the slot the event is about */
        BigInteger slotId();
    }

    /** {@code SlotOpened}. @param event the decoded event */
    record Opened(long block, long logIndex, ProcurementMarket.SlotOpenedEventResponse event) implements MarketEvent {
        @Override
        public BigInteger slotId() {
            return event.slotId;
        }
    }

    /** {@code SlotDrawn}. @param event the decoded event */
    record Drawn(long block, long logIndex, ProcurementMarket.SlotDrawnEventResponse event) implements MarketEvent {
        @Override
        public BigInteger slotId() {
            return event.slotId;
        }
    }

    /** {@code SlotCancelled}. @param slotId the cancelled slot */
    record Cancelled(long block, long logIndex, BigInteger slotId) implements MarketEvent {}

    /** {@code SlotSettled}. @param event the decoded event */
    record Settled(long block, long logIndex, ProcurementMarket.SlotSettledEventResponse event) implements MarketEvent {
        @Override
        public BigInteger slotId() {
            return event.slotId;
        }
    }

    /**
     * What the market says about a slot now.
     *
     * @param settled            settled or cancelled: no proof is accepted any more
     * @param designateDelivered the designate's proof was accepted
     */
    record SlotStatus(boolean settled, boolean designateDelivered) {}

    /** @return the chain id (EIP-155), part of every proof's binding */
    long chainId();

    /** @return the latest block number */
    BigInteger blockNumber();

    /**
     * @param block a block number
     * @return its hash (0x hex), or null when the chain has no such block (yet, or any more)
     */
    String blockHash(BigInteger block);

    /** @return the latest block's timestamp, unix seconds */
    long latestTimestamp();

    /**
     * @param from first block, inclusive
     * @param to   last block, inclusive
     * @return the market's slot events (opened, drawn, cancelled, settled) in those blocks, in chain order
     */
    List<MarketEvent> events(BigInteger from, BigInteger to);

    /**
     * @param slotId a slot
     * @return its {@code SlotOpened} event (read back for a slot opened before the agent watched)
     */
    ProcurementMarket.SlotOpenedEventResponse opened(BigInteger slotId);

    /**
     * @param slotId a slot
     * @return its drawn terms (the opening's terms with the drawn designate and seed: what {@code creditCommittee}
     *         takes), or null when it was never drawn
     */
    ProcurementMarket.SlotTerms drawnTerms(BigInteger slotId);

    /** @param slotId a slot @return its state now */
    SlotStatus slotStatus(BigInteger slotId);

    /** @param slotId a settled slot @return whether this prover's committee share of it is still to be credited */
    boolean committeeShareOwed(BigInteger slotId);

    /**
     * @param circuitId the slot's circuit
     * @param snapshot  the slot's eligibility snapshot
     * @return whether this prover is in the slot's eligible set (the committee)
     */
    boolean eligibleForSlot(BigInteger circuitId, BigInteger snapshot);

    /**
     * Sends {@code submitProof} and waits for its receipt.
     *
     * @param slotId  the slot
     * @param terms   its drawn terms
     * @param outputs the proof's outputs
     * @param proof   the 8 Groth16 proof words
     * @return the gas the transaction used
     */
    BigInteger submitProof(BigInteger slotId, ProcurementMarket.SlotTerms terms, List<BigInteger> outputs, List<BigInteger> proof);

    /**
     * Draws a slot's designate (see {@link SlotDraws#draw}).
     *
     * @param opened the slot's opening
     * @return what happened
     */
    SlotDraws.Result draw(ProcurementMarket.SlotOpenedEventResponse opened);

    /** @return what the market owes this prover, token base units */
    BigInteger claimable();

    /** Claims everything the market owes this prover. */
    void claim();

    /**
     * Credits this prover's committee share of a settled slot ({@code creditCommittee}).
     *
     * @param slotId the slot
     * @param terms  its drawn terms
     */
    void creditCommittee(BigInteger slotId, ProcurementMarket.SlotTerms terms);

    /** @return whether this prover is jailed */
    boolean isJailed();

    /** @return whether this prover is registered */
    boolean isRegistered();

    /** Registers this prover. @param endpoint the endpoint it announces */
    void register(String endpoint);

    /** @return the prover's own stake in its pool, token base units */
    BigInteger ownStake();

    /** @return the key's token balance, base units */
    BigInteger tokenBalance();

    /** Approves and bonds {@code amount} more tokens (base units) of the key's own. @param amount base units */
    void bond(BigInteger amount);

    /** @return the committee slice the registry asks of every prover under correlated slashing (0: none) */
    BigInteger committeeSlice();

    /** @return whether this prover already holds a share of the committee pool */
    boolean holdsCommitteeShare();

    /** Approves and stakes {@code slice} into the committee pool. @param slice base units */
    void stakeCommitteeSlice(BigInteger slice);

    /** @return the circuits this prover is opted into */
    Set<BigInteger> optedInCircuits();

    /** @param circuitId a circuit to opt into */
    void optIn(BigInteger circuitId);

    /** @param circuitId a circuit to opt out of */
    void optOut(BigInteger circuitId);
}
