package io.verops.core.messages;

import io.verops.core.Phase;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/** One item of a batch, ready for the executor (topic {@code items}, schema {@code schemas/item.json}). */
public record ItemMessage(String batchId, String operation, String itemId, int row, Phase phase,
                          Map<String, String> fields, Instant enqueuedAt) {
    public ItemMessage {
        Objects.requireNonNull(batchId, "batchId == null");
        Objects.requireNonNull(operation, "operation == null");
        Objects.requireNonNull(itemId, "itemId == null");
        Objects.requireNonNull(phase, "phase == null");
        fields = Map.copyOf(fields);
    }

    /** The Kafka key: the work of one item stays on one partition. */
    public String key() {
        return batchId + "/" + itemId;
    }
}
