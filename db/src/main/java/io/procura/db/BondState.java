package io.procura.db;

import java.math.BigInteger;

/**
 * Current bond state of one prover, as of the newest bond event stored for it.
 *
 * @param prover        the prover, 0x address
 * @param bond          total bond (operator and delegated stake), ERC-20 base units (uint256)
 * @param locked        part of the bond locked by open slots, base units (uint256)
 * @param pendingUnbond amount waiting for the unbonding delay, base units (uint256)
 * @param jailed        whether the prover is jailed (ineligible for new slots)
 * @param updatedBlock  block number of the event that produced this state
 */
public record BondState(String prover, BigInteger bond, BigInteger locked, BigInteger pendingUnbond,
                        boolean jailed, long updatedBlock) {

    /**
     * Validates and normalises the fields (addresses and hashes to lowercase).
     *
     * @throws StoreException if a field is malformed or out of range
     */
    public BondState {
        prover = Values.address("prover", prover);
        Values.uint256("bond", bond);
        Values.uint256("locked", locked);
        Values.uint256("pendingUnbond", pendingUnbond);
        Values.nonNegative("updatedBlock", updatedBlock);
    }
}
