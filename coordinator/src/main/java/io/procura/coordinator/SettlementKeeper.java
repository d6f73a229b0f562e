package io.procura.coordinator;

import io.procura.chain.ChainClient;
import io.procura.chain.Deployment;
import io.procura.chain.MarketContracts;
import io.procura.chain.SlotDraws;
import io.procura.chain.SlotLogs;
import io.procura.contracts.generated.ProcurementMarket;
import io.procura.db.SlotView;
import io.procura.db.Store;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;

/**
 * Keeps slots moving (docs/DESIGN.md §1 steps 3 and 5), from the slots the indexer stored:
 * <ul>
 *   <li>draws every open slot once its draw block exists ({@code draw}; agents draw too, and a slot
 *       somebody else drew first is simply skipped);</li>
 *   <li>cancels an open slot nobody drew while its draw block's hash was readable ({@code cancel}: the
 *       escrow goes back to the requester);</li>
 *   <li>settles every drawn slot after its deadline ({@code settle}), then calls
 *       {@code creditCommittee} for every committee member that delivered.</li>
 * </ul>
 * The market stores only the hash of a slot's terms, so the keeper reads them back from the slot's
 * {@code SlotOpened} and {@code SlotDrawn} events ({@link SlotLogs}). Anyone may draw, cancel and
 * settle; a slot another keeper handled first is skipped, and the next poll sees it once indexed.
 */
public final class SettlementKeeper {
    private static final Logger LOG = LoggerFactory.getLogger(SettlementKeeper.class);
    /** Seconds the wall clock must be past a deadline before the keeper trusts it over the chain's clock. */
    public static final long CLOCK_MARGIN_SECONDS = 2;

    /**
     * What one {@link #pollOnce()} did.
     *
     * @param drawn     slots this call drew a designate for
     * @param cancelled slots this call cancelled (nobody drawn: the draw found no candidate, or nobody drew in time)
     * @param settled   slots this call settled
     */
    public record Round(List<BigInteger> drawn, List<BigInteger> cancelled, List<BigInteger> settled) {
        /** Makes the lists immutable. */
        public Round {
            drawn = List.copyOf(drawn);
            cancelled = List.copyOf(cancelled);
            settled = List.copyOf(settled);
        }
    }

    private final ChainClient chain;
    private final Store store;
    private final MarketContracts contracts;
    private final String market;

    /**
     * @param chain      the chain
     * @param deployment the marketplace
     * @param store      the coordinator's store (source of open and due slots)
     * @param keeper     the key that pays gas for {@code draw}, {@code cancel}, {@code settle} and {@code creditCommittee}
     */
    public SettlementKeeper(ChainClient chain, Deployment deployment, Store store, Credentials keeper) {
        this.chain = chain;
        this.store = store;
        this.contracts = MarketContracts.load(chain, deployment, keeper);
        this.market = deployment.market();
    }

    /**
     * Draws or cancels the indexed open slots that are ready for it, then settles every indexed drawn
     * slot whose deadline has passed: before the latest block's timestamp, or before the wall clock
     * (less {@link #CLOCK_MARGIN_SECONDS}) when the chain has produced no block since (a dev node that
     * only mines on transactions: the settle transaction itself makes the block that passes the
     * deadline). A failed or premature attempt is logged and retried on the next poll.
     *
     * @return what this call drew, cancelled and settled
     */
    public Round pollOnce() {
        List<BigInteger> drawn = new ArrayList<>();
        List<BigInteger> cancelled = new ArrayList<>();
        drawOrCancel(drawn, cancelled);
        return new Round(drawn, cancelled, settleDue());
    }

    private volatile CoordinatorMetrics metrics;

    /**
     * Counts the keeper's transactions from now on ({@code procura_keeper_actions_total}).
     *
     * @param metrics the coordinator's metrics, or null for none
     */
    public void setMetrics(CoordinatorMetrics metrics) {
        this.metrics = metrics;
    }

    private void countAction(String action, boolean ok) {
        CoordinatorMetrics m = metrics;
        if (m != null) m.keeperAction(action, ok);
    }

    private void drawOrCancel(List<BigInteger> drawn, List<BigInteger> cancelled) {
        List<SlotView> open = store.slots().undrawnSlots(100);
        if (open.isEmpty()) return;
        BigInteger latest = chain.blockNumber();
        for (SlotView slot : open) {
            BigInteger id = slot.opened().slotId();
            BigInteger drawBlock = BigInteger.valueOf(slot.opened().drawBlock());
            boolean drawable = SlotDraws.drawable(drawBlock, latest);
            boolean cancellable = SlotDraws.cancellable(drawBlock, latest);
            if (!drawable && !cancellable) continue; // its draw block is not there yet
            try {
                ProcurementMarket.SlotTerms terms = SlotLogs.opened(chain, market, id,
                        BigInteger.valueOf(slot.opened().blockNumber())).terms;
                SlotDraws.Result r = drawable
                        ? SlotDraws.draw(chain, contracts.market(), id, terms, drawBlock)
                        : SlotDraws.cancel(chain, contracts.market(), id, terms, drawBlock);
                switch (r) {
                    case DRAWN -> {
                        countAction("draw", true);
                        drawn.add(id);
                        LOG.info("drew the designate of slot {}", id);
                    }
                    case NO_CANDIDATE, CANCELLED -> {
                        countAction(drawable ? "draw" : "cancel", true); // a draw with no candidate cancels
                        cancelled.add(id);
                        LOG.info("slot {} cancelled ({}): its escrow is refunded", id, r);
                    }
                    default -> LOG.debug("slot {}: {}", id, r);
                }
            } catch (Exception e) {
                countAction(drawable ? "draw" : "cancel", false);
                LOG.warn("drawing or cancelling slot {} failed (will retry): {}", id, io.procura.chain.Reverts.describe(e.getMessage()));
            }
        }
    }

    private List<BigInteger> settleDue() {
        long now = Math.max(chain.latestTimestamp(), java.time.Instant.now().getEpochSecond() - CLOCK_MARGIN_SECONDS);
        List<BigInteger> settled = new ArrayList<>();
        for (SlotView slot : store.slots().openSlotsDue(now, 100)) {
            BigInteger id = slot.opened().slotId();
            try {
                BigInteger from = BigInteger.valueOf(slot.opened().blockNumber());
                ProcurementMarket.SlotTerms terms = SlotLogs.read(chain, market, id, from).drawnTerms();
                if (!contracts.market().slotState(id).send().settled) {
                    try {
                        contracts.market().settle(id, terms).send();
                    } catch (Exception e) {
                        countAction("settle", false);
                        throw e;
                    }
                    countAction("settle", true);
                    settled.add(id);
                    LOG.info("settled slot {}", id);
                }
                creditCommittee(id, terms, from);
            } catch (Exception e) {
                LOG.warn("settling slot {} failed (will retry): {}", id, io.procura.chain.Reverts.describe(e.getMessage()));
            }
        }
        return settled;
    }

    /**
     * Credits the share of every committee member that delivered to a settled slot and was not credited
     * yet ({@code creditCommittee}: the market keeps settlement O(1) by paying committee shares one call each).
     */
    private void creditCommittee(BigInteger id, ProcurementMarket.SlotTerms terms, BigInteger from) throws Exception {
        for (String prover : SlotLogs.committeeDeliverers(chain, market, id, from)) {
            if (contracts.market().committeeShareOwed(id, prover).send()) {
                try {
                    contracts.market().creditCommittee(id, terms, prover).send();
                } catch (Exception e) {
                    countAction("credit", false);
                    throw e;
                }
                countAction("credit", true);
                LOG.info("credited committee share of slot {} to {}", id, prover);
            }
        }
    }
}
