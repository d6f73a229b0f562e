package io.procura.db;

import java.math.BigInteger;
import java.util.List;

/** Test rows with distinct, valid values. */
final class Fixtures {

    static final BigInteger MAX = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
    /** The BN254 scalar field modulus minus one: the largest public input. */
    static final BigInteger R_MINUS_1 = new BigInteger(
            "21888242871839275222246405745257275088548364400416034343698204186575808495616");

    private Fixtures() {
    }

    static String addr(int i) {
        return String.format("0x%040x", i);
    }

    static String hash(long i) {
        return String.format("0x%064x", i);
    }

    static SlotOpenedRow slot(long id, long block, int logIndex) {
        return new SlotOpenedRow(hash(1000 + id), logIndex, block, BigInteger.valueOf(id), BigInteger.ONE,
                addr(1), 5, new BigInteger("250000000000000000"),
                new BigInteger("1000000000000000000"), new BigInteger("3000000000000000000"),
                new BigInteger("500000000000000000"), new BigInteger("10000000000000000000"),
                60, block + 2, new byte[] {1, 2, 3, (byte) id},
                List.of(BigInteger.valueOf(id), R_MINUS_1));
    }

    /** The draw of {@link #slot}: designate {@code addr(100 + id)}, deadline {@code 1_700_000_000 + id}. */
    static SlotDrawnRow drawn(long id, long block, int logIndex) {
        return new SlotDrawnRow(hash(4000 + block * 100 + logIndex), logIndex, block, BigInteger.valueOf(id),
                addr(100 + (int) id), hash(5000 + id), 1_700_000_000L + id);
    }

    static DeliveryRow delivery(long slotId, int prover, boolean designate, long block, int logIndex) {
        return new DeliveryRow(hash(2000 + block * 100 + logIndex), logIndex, block, BigInteger.valueOf(slotId),
                addr(prover), designate, List.of(BigInteger.TEN, R_MINUS_1), 350_000);
    }

    static PayoutRow payout(long slotId, int account, BigInteger amount, String kind, long block, int logIndex) {
        return new PayoutRow(hash(3000 + block * 100 + logIndex), logIndex, block, BigInteger.valueOf(slotId),
                addr(account), amount, kind);
    }
}
