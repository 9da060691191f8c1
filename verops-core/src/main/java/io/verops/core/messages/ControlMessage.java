package io.verops.core.messages;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.verops.core.Phase;
import java.time.Instant;
import java.util.Objects;

/** A decision about a batch (topic {@code control}, keyed by batch): approve or reject its apply, or halt it. */
public record ControlMessage(Type type, String batchId, String operation, Phase phase, String actor, String reason,
                             Gate gate, Instant at) {
    public ControlMessage {
        Objects.requireNonNull(type, "type == null");
        Objects.requireNonNull(batchId, "batchId == null");
        Objects.requireNonNull(actor, "actor == null");
        Objects.requireNonNull(at, "at == null");
    }

    public enum Type {
        @JsonProperty("approved") APPROVED,
        @JsonProperty("rejected") REJECTED,
        @JsonProperty("halted") HALTED
    }

    /** The gate that halted a batch, with the observed value and the threshold it passed. */
    public record Gate(String name, double observed, double threshold, String detail) {
    }
}
