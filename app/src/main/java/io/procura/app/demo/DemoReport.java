package io.procura.app.demo;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * What a demo run did, as printed and as written by {@code --json}. Token amounts are in base units
 * (1 token = 10^18 base units); gas in units of gas; times in milliseconds unless named otherwise.
 *
 * @param ok           true when every slot settled and every conservation check passed
 * @param wallSeconds  wall time of the whole run, seconds
 * @param chainId      the chain
 * @param contracts    name → address of the deployed contracts
 * @param settings     the run's settings (names → values, for the record)
 * @param accounts     every participant's address (lowercase) → label (provers, requester, keeper)
 * @param provers      the agents
 * @param slots        one entry per slot, in order
 * @param conservation tokens in and out of the contracts
 */
public record DemoReport(boolean ok, double wallSeconds, long chainId, Map<String, String> contracts,
                         Map<String, Object> settings, Map<String, String> accounts, List<Prover> provers, List<Slot> slots, Conservation conservation) {

    /**
     * One agent.
     *
     * @param name    label, e.g. {@code prover-1}
     * @param address its key's address
     * @param faulty  true for a silent designate
     * @param bondEnd its bond in the registry at the end, base units
     * @param jailed  whether the registry jailed it
     */
    public record Prover(String name, String address, boolean faulty, BigInteger bondEnd, boolean jailed) {}

    /**
     * One slot.
     *
     * @param slotId             the slot id
     * @param circuit            the circuit proved: {@code digits} or a plug-in circuit's name (e.g. {@code rollup-2^14})
     * @param imageIndex         row of data/digits.csv.gz proved about (-1 for another circuit)
     * @param label              the image's true label (-1 for another circuit)
     * @param predictedClass     the class the accepted proofs assert (-1 if none arrived, or another circuit)
     * @param eligibleCount      n
     * @param mixingProbability  p
     * @param escrow             escrowed by the requester
     * @param committeePrize     Q in tokens
     * @param designate          the designate's address (lowercase), drawn after the slot opened; {@code null} for a
     *                           slot cancelled before a draw
     * @param designateName      the designate's label ({@code -} for a cancelled slot)
     * @param designateDelivered whether the designate's proof was accepted
     * @param cancelled          whether the slot was cancelled before a draw (its escrow refunded, nobody slashed)
     * @param drawBlock          the block whose hash drew the designate
     * @param deliveries         addresses whose proofs were accepted (designate first)
     * @param payouts            address → tokens credited by settlement (or cancellation: the escrow refund)
     * @param slashed            bond seized from the designate
     * @param refunded           tokens credited back to the requester (escrow refund, slash refund and dust; the whole
     *                           escrow for a cancelled slot)
     * @param submitProofGas     gas of each accepted {@code submitProof}
     * @param proveMillis        wall time of each accepted proof, milliseconds
     * @param openSlotGas        gas of {@code openSlot}
     * @param balanced           escrow + slashed == sum of payouts, to the unit
     */
    public record Slot(BigInteger slotId, String circuit, int imageIndex, int label, int predictedClass, int eligibleCount,
                       double mixingProbability, BigInteger escrow, BigInteger committeePrize, String designate,
                       String designateName, boolean designateDelivered, boolean cancelled, long drawBlock,
                       List<String> deliveries,
                       Map<String, BigInteger> payouts, BigInteger slashed, BigInteger refunded,
                       List<Long> submitProofGas, List<Long> proveMillis, long openSlotGas, boolean balanced) {}

    /**
     * Token conservation across the registry and the market.
     *
     * @param tokensIn      bonds posted + escrows paid into the contracts
     * @param tokensOut     claims + withdrawals paid out of the contracts
     * @param held          balance of registry + market at the end
     * @param bonds         sum of provers' bonds in the registry at the end
     * @param unclaimed     sum of claimable balances at the end
     * @param slotsBalanced every slot: escrow + slashed == sum of its payouts
     * @param ok            held == tokensIn - tokensOut == bonds + unclaimed, and slotsBalanced
     */
    public record Conservation(BigInteger tokensIn, BigInteger tokensOut, BigInteger held, BigInteger bonds,
                               BigInteger unclaimed, boolean slotsBalanced, boolean ok) {}
}
