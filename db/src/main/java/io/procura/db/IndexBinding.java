package io.procura.db;

/**
 * The chain and deployment an index belongs to.
 *
 * @param chainId         EIP-155 chain id
 * @param market          the market's address (0x, 40 lower-case hex digits)
 * @param deployBlock     the deployment's first block
 * @param deployBlockHash that block's hash (0x, 64 lower-case hex digits): tells a redeployed chain with the same
 *                        addresses from the one indexed
 */
public record IndexBinding(long chainId, String market, long deployBlock, String deployBlockHash) {
    /** Normalises the hex fields to lower case. */
    public IndexBinding {
        market = market.toLowerCase();
        deployBlockHash = deployBlockHash.toLowerCase();
    }
}
