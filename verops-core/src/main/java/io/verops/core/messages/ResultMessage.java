package io.verops.core.messages;

import io.verops.core.Phase;
import java.time.Instant;
import java.util.Objects;

/**
 * What the executor observed of one item's codex run(s) (topic {@code results}). It states facts, not a
 * verdict: the final message as codex gave it, the exit code, the failure the executor saw, if any, and the
 * evidence of the last attempt's event stream (null when the executor did not extract it: no evidence).
 */
public record ResultMessage(String batchId, String operation, String itemId, int row, Phase phase,
                            int attempts, boolean retried, Integer exitCode, String finalMessage,
                            String failure, Usage usage, int auditEvents, Instant startedAt,
                            Instant finishedAt, long codexMillis, String skipped, String indeterminate,
                            Evidence evidence) {
    public ResultMessage {
        Objects.requireNonNull(batchId, "batchId == null");
        Objects.requireNonNull(itemId, "itemId == null");
        Objects.requireNonNull(phase, "phase == null");
        usage = usage == null ? Usage.ZERO : usage;
    }

    /** A result without evidence of the event stream. */
    public ResultMessage(String batchId, String operation, String itemId, int row, Phase phase, int attempts,
                         boolean retried, Integer exitCode, String finalMessage, String failure, Usage usage,
                         int auditEvents, Instant startedAt, Instant finishedAt, long codexMillis, String skipped,
                         String indeterminate) {
        this(batchId, operation, itemId, row, phase, attempts, retried, exitCode, finalMessage, failure, usage,
                auditEvents, startedAt, finishedAt, codexMillis, skipped, indeterminate, null);
    }

    /** This result with the evidence of its last attempt's events. */
    public ResultMessage withEvidence(Evidence e) {
        return new ResultMessage(batchId, operation, itemId, row, phase, attempts, retried, exitCode, finalMessage,
                failure, usage, auditEvents, startedAt, finishedAt, codexMillis, skipped, indeterminate, e);
    }

    /** A result for an item that was not run (its batch was halted, say). */
    public static ResultMessage skipped(ItemMessage item, String reason, Instant now) {
        return new ResultMessage(item.batchId(), item.operation(), item.itemId(), item.row(), item.phase(), 0, false,
                null, null, null, Usage.ZERO, 0, now, now, 0, reason, null);
    }

    /** A result for an apply that started but whose outcome is unknown. */
    public static ResultMessage indeterminate(ItemMessage item, String reason, Instant now) {
        return new ResultMessage(item.batchId(), item.operation(), item.itemId(), item.row(), item.phase(), 0, false,
                null, null, null, Usage.ZERO, 0, now, now, 0, null, reason);
    }

    public String key() {
        return batchId + "/" + itemId;
    }
}
