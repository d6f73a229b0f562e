package io.procura.agent;

import java.math.BigInteger;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.web3j.utils.Numeric;

/**
 * A committee member's private coin (docs/MECHANISM.md §3, §6): whether it proves a slot, drawn with
 * probability {@code p} from a value nobody else can predict before it acts.
 *
 * <p>The draw is {@code u = HMAC-SHA256(secretKey, seed ‖ slotId)} read as a 256-bit integer; the member
 * proves iff {@code u * 1e18 < p_wad * 2^256}, i.e. with probability {@code p} (to within 2^-256).
 * The seed is the slot's on-chain seed. HMAC comes from BouncyCastle.
 *
 * <p>This coin is private and unpredictable but not yet publicly checkable; docs/DESIGN.md asks for a VRF
 * (secp256k1, verifiable after the fact) — a later step.
 */
public final class PrivateCoin {
    private static final BigInteger WAD = BigInteger.TEN.pow(18);
    private static final BigInteger TWO_256 = BigInteger.ONE.shiftLeft(256);

    private final byte[] secret;

    /** @param secretKey the prover's secret (its private key bytes); copied */
    public PrivateCoin(byte[] secretKey) {
        if (secretKey == null || secretKey.length == 0) {
            throw new IllegalArgumentException("secret key must not be empty");
        }
        this.secret = secretKey.clone();
    }

    /**
     * @param seed   the slot's seed (32 bytes, from {@code SlotOpened})
     * @param slotId the slot id
     * @return the uniform 256-bit draw for this slot
     */
    public BigInteger draw(byte[] seed, BigInteger slotId) {
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(secret));
        mac.update(seed, 0, seed.length);
        byte[] id = Numeric.toBytesPadded(slotId, 32);
        mac.update(id, 0, id.length);
        byte[] out = new byte[32];
        mac.doFinal(out, 0);
        return new BigInteger(1, out);
    }

    /**
     * @param seed                 the slot's seed
     * @param slotId               the slot id
     * @param mixingProbabilityWad {@code p} scaled by 1e18, in {@code [0, 1e18]}
     * @return true when this member should prove the slot
     * @throws IllegalArgumentException if {@code p} is out of range
     */
    public boolean shouldProve(byte[] seed, BigInteger slotId, BigInteger mixingProbabilityWad) {
        if (mixingProbabilityWad.signum() < 0 || mixingProbabilityWad.compareTo(WAD) > 0) {
            throw new IllegalArgumentException("mixing probability " + mixingProbabilityWad + " is outside [0, 1e18]");
        }
        return draw(seed, slotId).multiply(WAD).compareTo(mixingProbabilityWad.multiply(TWO_256)) < 0;
    }
}
