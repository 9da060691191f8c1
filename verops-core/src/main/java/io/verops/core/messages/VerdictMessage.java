package io.verops.core.messages;

import com.fasterxml.jackson.databind.JsonNode;
import io.verops.core.ItemStatus;
import io.verops.core.Phase;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** The verifier's judgement of one item (topic {@code verdicts}, keyed by batch). */
public record VerdictMessage(String batchId, String operation, String itemId, int row, Phase phase,
                             ItemStatus status, String message, int attempts, boolean retried,
                             Usage usage, int auditEvents, List<Check> checks, JsonNode output,
                             Instant startedAt, Instant finishedAt, long codexMillis) {
    public VerdictMessage {
        Objects.requireNonNull(batchId, "batchId == null");
        Objects.requireNonNull(itemId, "itemId == null");
        Objects.requireNonNull(status, "status == null");
        Objects.requireNonNull(message, "message == null");
        checks = checks == null ? List.of() : List.copyOf(checks);
        usage = usage == null ? Usage.ZERO : usage;
    }
}
