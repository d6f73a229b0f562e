package io.procura.chain;

import io.procura.contracts.generated.ProcurementMarket;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/**
 * Reads one slot's events back from the chain. The market stores only the hash of a slot's terms,
 * so whoever settles a slot or credits a committee share passes the terms of its {@code SlotOpened}
 * event back to the contract.
 */
public final class SlotLogs {
    private static final String SLOT_OPENED = EventEncoder.encode(ProcurementMarket.SLOTOPENED_EVENT);
    private static final String PROOF_SUBMITTED = EventEncoder.encode(ProcurementMarket.PROOFSUBMITTED_EVENT);

    private SlotLogs() {}

    /**
     * The {@code SlotOpened} event of a slot.
     *
     * @param chain     the chain
     * @param market    the market address
     * @param slotId    the slot
     * @param fromBlock first block to search (the block the slot was opened in, or the deployment block)
     * @return the event, whose {@code terms} the market's slot calls take
     * @throws ChainException if the RPC call fails or no such event exists
     */
    public static ProcurementMarket.SlotOpenedEventResponse opened(ChainClient chain, String market, BigInteger slotId,
                                                                  BigInteger fromBlock) {
        List<Log> logs = logs(chain, market, SLOT_OPENED, slotId, fromBlock);
        if (logs.isEmpty()) {
            throw new ChainException("no SlotOpened event for slot " + slotId + " of market " + market + " from block " + fromBlock);
        }
        return ProcurementMarket.getSlotOpenedEventFromLog(logs.get(0));
    }

    /**
     * The committee members that delivered a valid proof for a slot, in delivery order.
     *
     * @param chain     the chain
     * @param market    the market address
     * @param slotId    the slot
     * @param fromBlock first block to search (the block the slot was opened in)
     * @return the deliverers' addresses, lowercase 0x hex, without the designate
     * @throws ChainException if the RPC call fails
     */
    public static List<String> committeeDeliverers(ChainClient chain, String market, BigInteger slotId, BigInteger fromBlock) {
        Set<String> out = new LinkedHashSet<>();
        for (Log log : logs(chain, market, PROOF_SUBMITTED, slotId, fromBlock)) {
            ProcurementMarket.ProofSubmittedEventResponse ev = ProcurementMarket.getProofSubmittedEventFromLog(log);
            if (!ev.designate) out.add(ev.prover.toLowerCase());
        }
        return new ArrayList<>(out);
    }

    private static List<Log> logs(ChainClient chain, String market, String topic, BigInteger slotId, BigInteger fromBlock) {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(fromBlock), DefaultBlockParameterName.LATEST, market);
        filter.addSingleTopic(topic);
        filter.addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(slotId, 64));
        return chain.logs(filter, "slot " + slotId);
    }
}
