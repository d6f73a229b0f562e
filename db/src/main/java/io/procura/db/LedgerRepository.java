package io.procura.db;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;

/**
 * Where the tokens went: amounts credited by settlements, committee credits and cancellations ({@code payouts}),
 * designates' bonds slashed ({@code slashes}), and withdrawals of credited amounts ({@code claims}); an account's
 * credited, claimed and claimable sums.
 *
 * <p>Obtained from {@link Store#ledger()}; thread-safe unless the store is bound to a transaction. Amounts are
 * {@link BigInteger} ERC-20 base units (uint256), addresses lowercase 0x hex. Event rows are stored once; the insert
 * methods return {@code true} only when they stored something new. Every failure raises {@link StoreException}.
 */
public final class LedgerRepository {

    static final String PAYOUT_COLUMNS =
            "SELECT tx_hash, log_index, block_number, slot_id, account, amount, kind FROM payouts";

    private final Session session;

    LedgerRepository(Session session) {
        this.session = session;
    }

    /**
     * Stores an amount credited by a settlement, a committee credit or a cancellation (the escrow refund).
     *
     * @param payout the credit; its slot must be stored
     * @return true if stored now, false if that event was already stored
     * @throws StoreException if the slot is not stored, or on a database failure
     */
    public boolean insertPayout(PayoutRow payout) {
        Objects.requireNonNull(payout, "payout");
        return session.call("inserting payout for slot " + payout.slotId(), h -> h.createUpdate(
                        "INSERT INTO payouts (tx_hash, log_index, block_number, slot_id, account, amount, kind) "
                                + "VALUES (:txHash, :logIndex, :blockNumber, :slotId, :account, :amount, :kind) "
                                + "ON CONFLICT DO NOTHING")
                .bindMethods(payout).execute() > 0);
    }

    /**
     * @param slotId a slot id
     * @return its payouts in chain order (empty if none)
     * @throws StoreException on a database failure
     */
    public List<PayoutRow> payoutsOf(BigInteger slotId) {
        Values.uint256("slotId", slotId);
        return session.call("reading payouts of slot " + slotId, h -> h.createQuery(PAYOUT_COLUMNS
                        + " WHERE slot_id = :slotId ORDER BY block_number, log_index")
                .bind("slotId", slotId).map(Rows.PAYOUT).list());
    }

    /**
     * Stores a slash of a designate's bond.
     *
     * @param slash the slash; its slot must be stored
     * @return true if stored now, false if that event was already stored
     * @throws StoreException if the slot is not stored, or on a database failure
     */
    public boolean insertSlash(SlashRow slash) {
        Objects.requireNonNull(slash, "slash");
        return session.call("inserting slash for slot " + slash.slotId(), h -> h.createUpdate(
                        "INSERT INTO slashes (tx_hash, log_index, block_number, slot_id, prover, amount, recipient) "
                                + "VALUES (:txHash, :logIndex, :blockNumber, :slotId, :prover, :amount, :recipient) "
                                + "ON CONFLICT DO NOTHING")
                .bindMethods(slash).execute() > 0);
    }

    /**
     * @param slotId a slot id
     * @return its slashes in chain order (empty if none)
     * @throws StoreException on a database failure
     */
    public List<SlashRow> slashesOf(BigInteger slotId) {
        Values.uint256("slotId", slotId);
        return session.call("reading slashes of slot " + slotId, h -> h.createQuery(
                        "SELECT tx_hash, log_index, block_number, slot_id, prover, amount, recipient FROM slashes "
                                + "WHERE slot_id = :slotId ORDER BY block_number, log_index")
                .bind("slotId", slotId).map(Rows.SLASH).list());
    }

    /**
     * Stores a withdrawal of credited payouts.
     *
     * @param claim the claim
     * @return true if stored now, false if that event was already stored
     * @throws StoreException on a database failure
     */
    public boolean recordClaim(ClaimRow claim) {
        Objects.requireNonNull(claim, "claim");
        return session.call("recording claim of " + claim.account(), h -> h.createUpdate(
                        "INSERT INTO claims (tx_hash, log_index, block_number, account, amount) "
                                + "VALUES (:txHash, :logIndex, :blockNumber, :account, :amount) ON CONFLICT DO NOTHING")
                .bindMethods(claim).execute() > 0);
    }

    /**
     * @param account an address
     * @return its claims in chain order
     * @throws StoreException if the address is malformed, or on a database failure
     */
    public List<ClaimRow> claimsOf(String account) {
        String a = Values.address("account", account);
        return session.call("reading claims of " + a, h -> h.createQuery(
                        "SELECT tx_hash, log_index, block_number, account, amount FROM claims "
                                + "WHERE account = :account ORDER BY block_number, log_index")
                .bind("account", a).map(Rows.CLAIM).list());
    }

    /**
     * @param account an address
     * @return the sum of the amounts credited to it (payouts), ERC-20 base units
     * @throws StoreException if the address is malformed, or on a database failure
     */
    public BigInteger credited(String account) {
        return sumFor("payouts", account);
    }

    /**
     * @param account an address
     * @return the sum of its claims, ERC-20 base units
     * @throws StoreException if the address is malformed, or on a database failure
     */
    public BigInteger claimed(String account) {
        return sumFor("claims", account);
    }

    private BigInteger sumFor(String table, String account) {
        String a = Values.address("account", account);
        return session.call("summing " + table + " of " + a, h -> h.createQuery(
                        "SELECT COALESCE(sum(amount), 0) FROM " + table + " WHERE account = :account")
                .bind("account", a).mapTo(BigInteger.class).one());
    }

    /**
     * The amount an account has been credited and not yet claimed, as far as the index knows:
     * sum of its payouts minus sum of its claims (never below zero).
     *
     * @param account an address
     * @return the unclaimed amount, ERC-20 base units
     * @throws StoreException if the address is malformed, or on a database failure
     */
    public BigInteger unclaimed(String account) {
        String a = Values.address("account", account);
        return session.call("computing unclaimed balance of " + a, h -> h.createQuery(
                        "SELECT GREATEST(0, COALESCE((SELECT sum(amount) FROM payouts WHERE account = :account), 0) "
                                + "- COALESCE((SELECT sum(amount) FROM claims WHERE account = :account), 0))")
                .bind("account", a).mapTo(BigInteger.class).one());
    }
}
