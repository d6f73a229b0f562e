package io.procura.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.procura.contracts.generated.ProcurementMarket;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The draw window arithmetic the agents and the keeper rely on (the market's {@code draw} runs in a block
 * {@code B} with {@code drawBlock < B <= drawBlock + 256}, {@code cancel} from {@code drawBlock + 257}; a
 * transaction sent now lands in {@code latest + 1}), and the rebuilding of drawn terms.
 */
class SlotDrawsTest {
    private static final BigInteger DRAW_BLOCK = BigInteger.valueOf(1_000);

    private static BigInteger latest(long offset) {
        return DRAW_BLOCK.add(BigInteger.valueOf(offset));
    }

    @Test
    void shouldDrawFromTheDrawBlockUntilItsHashLeavesTheHorizon() {
        assertThat(SlotDraws.drawable(DRAW_BLOCK, latest(-1))).as("the draw block is not mined yet").isFalse();
        assertThat(SlotDraws.drawable(DRAW_BLOCK, latest(0))).as("next block is drawBlock + 1").isTrue();
        assertThat(SlotDraws.drawable(DRAW_BLOCK, latest(255))).as("next block is drawBlock + 256: hash still readable").isTrue();
        assertThat(SlotDraws.drawable(DRAW_BLOCK, latest(256))).as("next block is drawBlock + 257").isFalse();
    }

    @Test
    void shouldCancelOnlyOnceTheSlotCanNoLongerBeDrawn() {
        assertThat(SlotDraws.cancellable(DRAW_BLOCK, latest(0))).isFalse();
        assertThat(SlotDraws.cancellable(DRAW_BLOCK, latest(255))).isFalse();
        assertThat(SlotDraws.cancellable(DRAW_BLOCK, latest(256))).isTrue();
        for (long offset = -2; offset <= 300; offset++) {
            boolean drawable = SlotDraws.drawable(DRAW_BLOCK, latest(offset));
            boolean cancellable = SlotDraws.cancellable(DRAW_BLOCK, latest(offset));
            assertThat(drawable && cancellable).as("offset %d", offset).isFalse();
            assertThat(drawable || cancellable).as("offset %d", offset).isEqualTo(offset >= 0);
        }
    }

    @Test
    void shouldReplaceOnlyTheDesignateAndTheSeedOfTheOpenedTerms() {
        byte[] zero = new byte[32];
        byte[] payloadHash = new byte[32];
        payloadHash[0] = 7;
        ProcurementMarket.SlotTerms opened = new ProcurementMarket.SlotTerms("0x" + "11".repeat(20), "0x" + "00".repeat(20),
                BigInteger.TWO, "0x" + "22".repeat(20), new byte[] {1, 2, 3, 4}, BigInteger.ONE, BigInteger.valueOf(5),
                BigInteger.valueOf(9), BigInteger.valueOf(400), BigInteger.TEN, BigInteger.valueOf(26), BigInteger.valueOf(18),
                BigInteger.valueOf(200), BigInteger.ONE, payloadHash, zero, List.of(BigInteger.ONE, BigInteger.TWO));
        byte[] seed = new byte[32];
        seed[31] = 42;
        ProcurementMarket.SlotTerms drawn = SlotLogs.withDraw(opened, "0x" + "33".repeat(20), seed);
        assertThat(drawn.designate).isEqualTo("0x" + "33".repeat(20));
        assertThat(drawn.seed).isEqualTo(seed);
        assertThat(opened.designate).as("the opened terms are not changed").isEqualTo("0x" + "00".repeat(20));
        assertThat(opened.seed).isEqualTo(zero);
        // every other field, in ABI order, is the same
        List<?> a = opened.getValue();
        List<?> b = drawn.getValue();
        assertThat(b).hasSameSizeAs(a);
        for (int i = 0; i < a.size(); i++) {
            if (i == 1 || i == 15) continue; // designate, seed
            assertThat(b.get(i)).as("field %d", i).isEqualTo(a.get(i));
        }
    }
}
