package io.verops.core.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.verops.core.Phase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One item of a batch, ready for the executor (topic {@code items}, schema {@code schemas/item.json}).
 *
 * @param normalization what ingest changed to reach {@code fields} (original to normalised value), in field
 *                      order; empty when every value arrived in its canonical form (then omitted from JSON)
 */
public record ItemMessage(String batchId, String operation, String itemId, int row, Phase phase,
                          Map<String, String> fields, Instant enqueuedAt,
                          @JsonInclude(JsonInclude.Include.NON_EMPTY) List<FieldChange> normalization) {
    public ItemMessage {
        Objects.requireNonNull(batchId, "batchId == null");
        Objects.requireNonNull(operation, "operation == null");
        Objects.requireNonNull(itemId, "itemId == null");
        Objects.requireNonNull(phase, "phase == null");
        fields = Map.copyOf(fields);
        normalization = normalization == null ? List.of() : List.copyOf(normalization);
    }

    /** An item whose values needed no normalisation. */
    public ItemMessage(String batchId, String operation, String itemId, int row, Phase phase,
                       Map<String, String> fields, Instant enqueuedAt) {
        this(batchId, operation, itemId, row, phase, fields, enqueuedAt, List.of());
    }

    /** The Kafka key: the work of one item stays on one partition. */
    public String key() {
        return batchId + "/" + itemId;
    }
}
