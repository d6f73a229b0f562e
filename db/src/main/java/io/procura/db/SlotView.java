package io.procura.db;

import java.util.List;

/**
 * Everything the API returns for one slot.
 *
 * @param state      {@link SlotState#OPEN} or {@link SlotState#SETTLED}
 * @param opened     the fields of the {@code SlotOpened} event
 * @param settlement the fields of the {@code SlotSettled} event, or {@code null} while open
 * @param deliveries accepted proofs, in chain order (block, log index)
 * @param payouts    amounts credited by settlement, in chain order
 */
public record SlotView(SlotState state, SlotOpenedRow opened, SlotSettledRow settlement,
                       List<DeliveryRow> deliveries, List<PayoutRow> payouts) {

    /** Makes the lists immutable. */
    public SlotView {
        deliveries = List.copyOf(deliveries);
        payouts = List.copyOf(payouts);
    }
}
