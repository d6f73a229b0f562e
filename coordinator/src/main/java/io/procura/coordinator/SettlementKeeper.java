package io.procura.coordinator;

import io.procura.chain.ChainClient;
import io.procura.chain.Deployment;
import io.procura.chain.MarketContracts;
import io.procura.chain.SlotLogs;
import io.procura.contracts.generated.ProcurementMarket;
import io.procura.db.SlotView;
import io.procura.db.Store;
import java.math.BigInteger;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;

/**
 * Settles slots after their deadline (DESIGN.md §1 step 5). It reads the open slots whose deadline
 * has passed from the store, reads each slot's terms back from its {@code SlotOpened} event (the
 * market stores only their hash), calls {@code settle} with the keeper's key, then
 * {@code creditCommittee} for every committee member that delivered. Anyone may settle, so a slot
 * another keeper settled first is only credited; the next poll sees it settled once indexed.
 */
public final class SettlementKeeper {
    private static final Logger LOG = LoggerFactory.getLogger(SettlementKeeper.class);
    /** Seconds the wall clock must be past a deadline before the keeper trusts it over the chain's clock. */
    public static final long CLOCK_MARGIN_SECONDS = 2;

    private final ChainClient chain;
    private final Store store;
    private final MarketContracts contracts;
    private final String market;

    /**
     * @param chain      the chain
     * @param deployment the marketplace
     * @param store      the coordinator's store (source of open slots)
     * @param keeper     the key that pays gas for {@code settle}
     */
    public SettlementKeeper(ChainClient chain, Deployment deployment, Store store, Credentials keeper) {
        this.chain = chain;
        this.store = store;
        this.contracts = MarketContracts.load(chain, deployment, keeper);
        this.market = deployment.market();
    }

    /**
     * Settles every indexed open slot whose deadline has passed: before the latest block's timestamp,
     * or before the wall clock (less {@link #CLOCK_MARGIN_SECONDS}) when the chain has produced no
     * block since (a dev node that only mines on transactions: the settle transaction itself makes the
     * block that passes the deadline). A premature attempt reverts and is retried on the next poll.
     *
     * @return the slot ids this call settled
     */
    public List<BigInteger> pollOnce() {
        long now = Math.max(chain.latestTimestamp(), java.time.Instant.now().getEpochSecond() - CLOCK_MARGIN_SECONDS);
        List<BigInteger> settled = new java.util.ArrayList<>();
        for (SlotView slot : store.openSlotsDue(now, 100)) {
            BigInteger id = slot.opened().slotId();
            try {
                BigInteger from = BigInteger.valueOf(slot.opened().blockNumber());
                ProcurementMarket.SlotTerms terms = SlotLogs.opened(chain, market, id, from).terms;
                if (!contracts.market().slotState(id).send().settled) {
                    contracts.market().settle(id, terms).send();
                    settled.add(id);
                    LOG.info("settled slot {}", id);
                }
                creditCommittee(id, terms, from);
            } catch (Exception e) {
                LOG.warn("settling slot {} failed (will retry): {}", id, e.getMessage());
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
                contracts.market().creditCommittee(id, terms, prover).send();
                LOG.info("credited committee share of slot {} to {}", id, prover);
            }
        }
    }
}
