package io.verops.archiver;

import com.fasterxml.jackson.databind.JsonNode;
import io.verops.core.ItemStatus;
import io.verops.core.messages.BatchEvent;
import io.verops.core.messages.Check;
import io.verops.core.messages.ControlMessage;
import io.verops.core.messages.Usage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * report.json of a bundle; its shape is {@code schemas/batch-report.json}.
 *
 * @param approval     the decision on the apply (apply bundles only), else null
 * @param halts        who or which gate halted the batch, with the gate's numbers; null when it was not halted
 * @param dryRunBundle the dry-run bundle of the same batch, linked from the apply bundle when it exists, else null
 */
public record BatchReport(String operation, String batchId, Instant timestamp, boolean dryRun, int totalItems,
                          int succeeded, int failed, int skipped, int needsInput, int indeterminate,
                          Instant startedAt, Instant finishedAt, BatchEvent.InputInfo input, Usage usage,
                          BatchEvent.Approval approval, List<Halt> halts, BundleLink dryRunBundle,
                          List<Entry> results) {
    public BatchReport {
        results = List.copyOf(results);
        halts = halts == null || halts.isEmpty() ? null : List.copyOf(halts);
    }

    public BatchReport withDryRunBundle(BundleLink link) {
        return new BatchReport(operation, batchId, timestamp, dryRun, totalItems, succeeded, failed, skipped, needsInput,
                indeterminate, startedAt, finishedAt, input, usage, approval, halts, link, results);
    }

    /** One row of the input and where it ended. */
    public record Entry(String itemId, int row, ItemStatus status, String message, boolean retried, int attempts,
                        Usage usage, Integer auditEvents, Long durationMs, Map<String, String> fields,
                        List<BatchEvent.FieldProblem> problems, List<Check> verification, JsonNode output) {
    }

    /** A halt of the batch (topic control): by an operator, or by a gate with its observed value and threshold. */
    public record Halt(String actor, String reason, Instant at, ControlMessage.Gate gate) {
        public Halt {
            Objects.requireNonNull(actor, "actor == null");
        }

        public static Halt of(ControlMessage m) {
            return new Halt(m.actor(), m.reason(), m.at(), m.gate());
        }
    }

    /** Another bundle, by its path relative to this one and the SHA-256 of its manifest.json. */
    public record BundleLink(String path, String manifestSha256) {
        public BundleLink {
            Objects.requireNonNull(path, "path == null");
            Objects.requireNonNull(manifestSha256, "manifestSha256 == null");
        }
    }
}
