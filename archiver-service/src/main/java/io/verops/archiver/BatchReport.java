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
 * @param gates        the verifier's batch gates as last evaluated (or as they fired), with their numbers; null when
 *                     none was recorded
 * @param halts        who or which gate halted the batch, with the gate's numbers; null when it was not halted
 * @param dryRunBundle the dry-run bundle of the same batch, linked from the apply bundle when it exists, else null
 */
public record BatchReport(String operation, String batchId, Instant timestamp, boolean dryRun, int totalItems,
                          int succeeded, int failed, int skipped, int needsInput, int indeterminate,
                          Instant startedAt, Instant finishedAt, BatchEvent.InputInfo input, Usage usage,
                          BatchEvent.Approval approval, List<Gate> gates, List<Halt> halts, BundleLink dryRunBundle,
                          List<Entry> results) {
    public BatchReport {
        results = List.copyOf(results);
        gates = gates == null || gates.isEmpty() ? null : List.copyOf(gates);
        halts = halts == null || halts.isEmpty() ? null : List.copyOf(halts);
    }

    public BatchReport withDryRunBundle(BundleLink link) {
        return new BatchReport(operation, batchId, timestamp, dryRun, totalItems, succeeded, failed, skipped, needsInput,
                indeterminate, startedAt, finishedAt, input, usage, approval, gates, halts, link, results);
    }

    /**
     * One row of the input and where it ended.
     *
     * @param normalization what ingest's normalisation changed in the row's values (original to canonical); left out
     *                      of report.json when nothing changed
     */
    public record Entry(String itemId, int row, ItemStatus status, String message, boolean retried, int attempts,
                        Usage usage, Integer auditEvents, Long durationMs, Map<String, String> fields,
                        List<BatchEvent.FieldProblem> problems, List<Check> verification, JsonNode output,
                        @com.fasterxml.jackson.annotation.JsonInclude(
                                com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
                        List<io.verops.core.messages.FieldChange> normalization) {
        public Entry {
            normalization = normalization == null ? List.of() : List.copyOf(normalization);
        }

        /** An entry whose row needed no normalisation. */
        public Entry(String itemId, int row, ItemStatus status, String message, boolean retried, int attempts,
                     Usage usage, Integer auditEvents, Long durationMs, Map<String, String> fields,
                     List<BatchEvent.FieldProblem> problems, List<Check> verification, JsonNode output) {
            this(itemId, row, status, message, retried, attempts, usage, auditEvents, durationMs, fields, problems,
                    verification, output, List.of());
        }
    }

    /**
     * A batch gate of the verifier (from its {@code verops.gate} audit events): the observed value against the
     * threshold, and whether it passed or fired.
     */
    public record Gate(String name, String outcome, Double observed, Double threshold, String detail, Instant at) {
        public Gate {
            Objects.requireNonNull(name, "name == null");
        }

        /** From a {@code verops.gate} event. */
        public static Gate of(JsonNode event, Instant at) {
            return new Gate(event.path("name").asText(), event.hasNonNull("outcome") ? event.path("outcome").asText() : null,
                    event.path("observed").isNumber() ? event.path("observed").asDouble() : null,
                    event.path("threshold").isNumber() ? event.path("threshold").asDouble() : null,
                    event.hasNonNull("detail") ? event.path("detail").asText() : null, at);
        }

        public boolean passed() {
            return outcome == null || outcome.equals("passed");
        }
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
