package io.verops.core.messages;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.verops.core.Phase;
import java.time.Instant;
import java.util.Objects;

/** The executor's durable record that an item's run started, or finished with {@code result} (topic executions). */
public record ExecutionRecord(String batchId, String itemId, Phase phase, State state, String executor, Instant at,
                              ResultMessage result) {
    public ExecutionRecord {
        Objects.requireNonNull(batchId, "batchId == null");
        Objects.requireNonNull(itemId, "itemId == null");
        Objects.requireNonNull(phase, "phase == null");
        Objects.requireNonNull(state, "state == null");
    }

    public String key() {
        return key(batchId, itemId, phase);
    }

    public static String key(String batchId, String itemId, Phase phase) {
        return batchId + "/" + itemId + "/" + phase.wire();
    }

    public enum State {
        @JsonProperty("started") STARTED,
        @JsonProperty("finished") FINISHED
    }
}
