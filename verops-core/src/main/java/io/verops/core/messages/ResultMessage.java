package io.verops.core.messages;

import io.verops.core.Phase;
import java.time.Instant;
import java.util.Objects;

/**
 * What the executor observed of one item's codex run(s) (topic {@code results}). It states facts, not a
 * verdict: the final message as codex gave it, the exit code, the failure the executor saw, if any.
 */
public record ResultMessage(String batchId, String operation, String itemId, int row, Phase phase,
                            int attempts, boolean retried, Integer exitCode, String finalMessage,
                            String failure, Usage usage, int auditEvents, Instant startedAt,
                            Instant finishedAt, long codexMillis) {
    public ResultMessage {
        Objects.requireNonNull(batchId, "batchId == null");
        Objects.requireNonNull(itemId, "itemId == null");
        Objects.requireNonNull(phase, "phase == null");
        usage = usage == null ? Usage.ZERO : usage;
    }

    public String key() {
        return batchId + "/" + itemId;
    }
}
