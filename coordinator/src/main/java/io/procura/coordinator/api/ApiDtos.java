package io.procura.coordinator.api;

import io.procura.db.DeliveryRow;
import io.procura.db.PayoutRow;
import io.procura.db.SlotView;
import java.math.BigInteger;
import java.util.List;

/**
 * What the coordinator's HTTP API returns (its own types, not database rows; the shapes are those of
 * {@code /openapi.json}). Token amounts, uint256 values and the mixing probability (scaled by 1e18) are JSON strings of
 * decimal integers, since JSON numbers lose precision above 2^53 in most clients; payloads are 0x hex, as on chain;
 * block numbers, log indices, gas and unix seconds are JSON numbers.
 */
public final class ApiDtos {
    private ApiDtos() {
    }

    /**
     * One page of a list.
     *
     * @param items  the page
     * @param limit  the page size asked for
     * @param offset items skipped
     * @param total  items in the whole list
     * @param <T>    the item type
     */
    public record Page<T>(List<T> items, int limit, int offset, long total) {}

    /**
     * Where an event was emitted.
     *
     * @param txHash      the transaction hash
     * @param logIndex    the log index in the block
     * @param blockNumber the block number
     */
    public record EventRef(String txHash, int logIndex, long blockNumber) {}

    /**
     * A slot in a list: who, what, where it stands.
     *
     * @param slotId      the slot id
     * @param circuitId   its circuit
     * @param state       OPEN (not drawn), DRAWN, SETTLED or CANCELLED
     * @param requester   who opened it
     * @param designate   the drawn designate, or null
     * @param deadline    the prove deadline (unix s), or null before the draw
     * @param escrow      tokens escrowed, base units
     * @param deliveries  accepted proofs so far
     * @param openedBlock the block it was opened in
     * @param outcome     how it ended: {@code delivered} (by the designate), {@code committee} (the designate failed,
     *                    the committee delivered), {@code no_proof}, {@code cancelled}; null while open or drawn
     * @param slashed     bond slashed from a failed designate, base units, or null unless settled
     * @param refunded    tokens refunded to the requester (at settlement or cancellation), base units, or null
     */
    public record SlotSummary(BigInteger slotId, BigInteger circuitId, String state, String requester, String designate,
                              Long deadline, BigInteger escrow, int deliveries, long openedBlock, String outcome,
                              BigInteger slashed, BigInteger refunded) {
        /** @param v a slot as stored @return its summary */
        public static SlotSummary of(SlotView v) {
            String outcome = null;
            BigInteger slashed = null;
            BigInteger refunded = null;
            if (v.settlement() != null) {
                outcome = v.settlement().designateDelivered() ? "delivered"
                        : v.settlement().committeeDeliveries() > 0 ? "committee" : "no_proof";
                slashed = v.settlement().slashed();
                refunded = v.settlement().refunded();
            } else if (v.cancellation() != null) {
                outcome = "cancelled";
                refunded = v.cancellation().refunded();
            }
            return new SlotSummary(v.opened().slotId(), v.opened().circuitId(), v.state().name(), v.opened().requester(),
                    v.drawn() == null ? null : v.drawn().designate(), v.drawn() == null ? null : v.drawn().deadline(),
                    v.opened().escrow(), v.deliveries().size(), v.opened().blockNumber(), outcome, slashed, refunded);
        }
    }

    /**
     * A slot's draw ({@code SlotDrawn}).
     *
     * @param designate the drawn designate
     * @param seed      the seed (0x hex, 32 bytes)
     * @param deadline  the prove deadline, unix s
     * @param event     where it was emitted
     */
    public record Draw(String designate, String seed, long deadline, EventRef event) {}

    /**
     * A slot's settlement ({@code SlotSettled}); amounts in token base units.
     *
     * @param designateDelivered  whether the designate's proof was accepted
     * @param committeeDeliveries committee proofs accepted
     * @param designatePayout     paid to the designate
     * @param committeePayoutEach paid to each delivering committee member
     * @param refunded            refunded to the requester
     * @param slashed             seized from the designate's bond
     * @param event               where it was emitted
     */
    public record Settlement(boolean designateDelivered, int committeeDeliveries, BigInteger designatePayout,
                             BigInteger committeePayoutEach, BigInteger refunded, BigInteger slashed, EventRef event) {}

    /**
     * A slot's cancellation before any draw ({@code SlotCancelled}).
     *
     * @param noCandidate nobody was eligible at the draw
     * @param refunded    refunded to the requester, base units
     * @param event       where it was emitted
     */
    public record Cancellation(boolean noCandidate, BigInteger refunded, EventRef event) {}

    /**
     * An accepted proof ({@code ProofSubmitted}).
     *
     * @param prover     who proved
     * @param designate  whether it was the designate
     * @param outputs    the proof's outputs (public inputs the circuit computes)
     * @param gasUsed    gas of the transaction
     * @param event      where it was emitted
     */
    public record Delivery(String prover, boolean designate, List<BigInteger> outputs, long gasUsed, EventRef event) {
        /** @param d a delivery as stored @return the API's view of it */
        public static Delivery of(DeliveryRow d) {
            return new Delivery(d.prover(), d.designate(), d.outputs(), d.gasUsed(),
                    new EventRef(d.txHash(), d.logIndex(), d.blockNumber()));
        }
    }

    /**
     * An amount credited by settlement or cancellation ({@code PayoutCredited}).
     *
     * @param account who is credited
     * @param amount  base units
     * @param kind    DESIGNATE, COMMITTEE, REFUND, COMPENSATION, KEEPER, …
     * @param event   where it was emitted
     */
    public record Payout(String account, BigInteger amount, String kind, EventRef event) {
        /** @param p a payout as stored @return the API's view of it */
        public static Payout of(PayoutRow p) {
            return new Payout(p.account(), p.amount(), p.kind(), new EventRef(p.txHash(), p.logIndex(), p.blockNumber()));
        }
    }

    /**
     * One slot with everything the index knows of it.
     *
     * @param slotId                the slot id
     * @param circuitId             its circuit
     * @param state                 OPEN, DRAWN, SETTLED or CANCELLED
     * @param requester             who opened it
     * @param eligibleCount         {@code n} when it opened
     * @param mixingProbabilityWad  {@code p} scaled by 1e18
     * @param proofPrice            tokens per proof-cost unit, base units
     * @param escrow                tokens escrowed, base units
     * @param committeePrize        tokens for the committee, base units
     * @param bondAtRisk            tokens locked from the designate, base units
     * @param proveWindow           seconds from the draw to the deadline
     * @param drawBlock             the block whose hash draws the designate
     * @param payload               the circuit's payload, 0x hex
     * @param fixedInputs           the fixed public inputs
     * @param opened                where {@code SlotOpened} was emitted
     * @param draw                  the draw, or null
     * @param settlement            the settlement, or null
     * @param cancellation          the cancellation, or null
     * @param deliveries            accepted proofs, in chain order
     * @param payouts               amounts credited, in chain order
     */
    public record Slot(BigInteger slotId, BigInteger circuitId, String state, String requester, int eligibleCount,
                       BigInteger mixingProbabilityWad, BigInteger proofPrice, BigInteger escrow, BigInteger committeePrize,
                       BigInteger bondAtRisk, long proveWindow, long drawBlock, String payload, List<BigInteger> fixedInputs,
                       EventRef opened, Draw draw, Settlement settlement, Cancellation cancellation, List<Delivery> deliveries,
                       List<Payout> payouts) {
        /** @param v a slot as stored @return the API's view of it */
        public static Slot of(SlotView v) {
            var o = v.opened();
            var d = v.drawn();
            var s = v.settlement();
            var c = v.cancellation();
            return new Slot(o.slotId(), o.circuitId(), v.state().name(), o.requester(), o.eligibleCount(),
                    o.mixingProbability(), o.proofPrice(), o.escrow(), o.committeePrize(), o.bondAtRisk(), o.proveWindow(),
                    o.drawBlock(), o.payload() == null ? null : org.web3j.utils.Numeric.toHexString(o.payload()),
                    o.fixedInputs(), new EventRef(o.txHash(), o.logIndex(), o.blockNumber()),
                    d == null ? null : new Draw(d.designate(), d.seed(), d.deadline(),
                            new EventRef(d.txHash(), d.logIndex(), d.blockNumber())),
                    s == null ? null : new Settlement(s.designateDelivered(), s.committeeDeliveries(), s.designatePayout(),
                            s.committeePayoutEach(), s.refunded(), s.slashed(),
                            new EventRef(s.txHash(), s.logIndex(), s.blockNumber())),
                    c == null ? null : new Cancellation(c.noCandidate(), c.refunded(),
                            new EventRef(c.txHash(), c.logIndex(), c.blockNumber())),
                    v.deliveries().stream().map(Delivery::of).toList(), v.payouts().stream().map(Payout::of).toList());
        }
    }

    /**
     * A registered prover as the index sees it (its registry events; amounts in token base units).
     *
     * @param address         the prover
     * @param endpoint        the endpoint it announced
     * @param registeredBlock the block it registered in
     * @param stake           its pool's stake (own and stakers'), or null before any bond event
     * @param locked          the part locked by open slots
     * @param free            stake minus locked
     * @param pendingUnbond   queued for withdrawal
     * @param jailed          jailed after a slash
     * @param eligible        eligible for new slots of its circuits: not jailed and free stake at least the registry's
     *                        minimum bond (with correlated slashing, also holding a committee-pool share: read from the
     *                        registry)
     * @param circuits        the circuits it is opted into
     * @param updatedBlock    the block of the bond state shown
     */
    public record Prover(String address, String endpoint, long registeredBlock, BigInteger stake, BigInteger locked,
                         BigInteger free, BigInteger pendingUnbond, Boolean jailed, boolean eligible, List<BigInteger> circuits,
                         Long updatedBlock) {}

    /**
     * What the market owes an account, from the index (base units).
     *
     * @param address   the account
     * @param credited  every amount credited to it
     * @param claimed   every amount it claimed
     * @param claimable credited minus claimed
     */
    public record Account(String address, BigInteger credited, BigInteger claimed, BigInteger claimable) {}

    /**
     * Readiness: what the coordinator depends on, and whether each answers.
     *
     * @param status   READY or NOT_READY
     * @param database whether PostgreSQL answers
     * @param chain    whether the node answers
     * @param head     the node's latest block, or null
     * @param indexed  the last block indexed, or null
     * @param warmedUp whether the API has run its warm-up requests (it is not ready before)
     */
    public record Readiness(String status, boolean database, boolean chain, Long head, Long indexed, boolean warmedUp) {}

    /**
     * An error: every non-2xx answer carries one.
     *
     * @param status    the HTTP status
     * @param code      bad_parameter, not_found, method_not_allowed, unavailable, overloaded, internal
     * @param parameter the parameter at fault, or null
     * @param message   what went wrong, for a person
     */
    public record Error(int status, String code, String parameter, String message) {}
}
