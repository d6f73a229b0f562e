package io.procura.db;

import java.util.List;

/**
 * Everything the API returns for one slot.
 *
 * @param state        {@link SlotState}: open, drawn, settled or cancelled
 * @param opened       the fields of the {@code SlotOpened} event
 * @param drawn        the fields of the {@code SlotDrawn} event (designate, seed, deadline), or {@code null}
 *                     before the draw and for a cancelled slot
 * @param settlement   the fields of the {@code SlotSettled} event, or {@code null} unless settled
 * @param cancellation the fields of the {@code SlotCancelled} event, or {@code null} unless cancelled
 * @param deliveries   accepted proofs, in chain order (block, log index)
 * @param payouts      amounts credited by settlement or cancellation, in chain order
 */
public record SlotView(SlotState state, SlotOpenedRow opened, SlotDrawnRow drawn, SlotSettledRow settlement,
                       SlotCancelledRow cancellation, List<DeliveryRow> deliveries, List<PayoutRow> payouts) {

    /** Makes the lists immutable. */
    public SlotView {
        deliveries = List.copyOf(deliveries);
        payouts = List.copyOf(payouts);
    }
}
