package io.verops.core.messages;

import io.verops.core.Phase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The life of a batch (topic {@code batch-events}, keyed by batch id). {@code accepted} carries the whole
 * plan of the batch (which items run, which rows need input or were skipped), so that the archiver knows
 * when the batch is complete; {@code completed} names the evidence bundle.
 */
public record BatchEvent(Type type, String batchId, String operation, Phase phase, Instant at,
                         InputInfo input, Integer totalItems, List<PlannedItem> items,
                         List<RowOutcome> notExecuted, String bundle, Map<String, Integer> counts,
                         Approval approval) {
    public BatchEvent {
        Objects.requireNonNull(type, "type == null");
        Objects.requireNonNull(batchId, "batchId == null");
        Objects.requireNonNull(operation, "operation == null");
        items = items == null ? null : List.copyOf(items);
        notExecuted = notExecuted == null ? null : List.copyOf(notExecuted);
        counts = counts == null ? null : Map.copyOf(counts);
    }

    public enum Type {
        @com.fasterxml.jackson.annotation.JsonProperty("accepted") ACCEPTED,
        @com.fasterxml.jackson.annotation.JsonProperty("completed") COMPLETED
    }

    /** Where the batch came from. */
    public record InputInfo(String name, String format, String sha256, int rows) {
    }

    /**
     * An item that the executor will run, with its normalised fields (so that an approved apply can be released)
     * and what normalisation changed in them (omitted from JSON when nothing), for the report.
     */
    public record PlannedItem(String itemId, int row, Map<String, String> fields,
                              @com.fasterxml.jackson.annotation.JsonInclude(
                                      com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
                              List<FieldChange> normalization) {
        public PlannedItem {
            fields = fields == null ? null : Map.copyOf(fields);
            normalization = normalization == null ? List.of() : List.copyOf(normalization);
        }

        /** A planned item whose values needed no normalisation. */
        public PlannedItem(String itemId, int row, Map<String, String> fields) {
            this(itemId, row, fields, List.of());
        }
    }

    /** The decision on an apply: who, what, why, when. */
    public record Approval(String decision, String actor, String reason, java.time.Instant at) {
    }

    /**
     * A row that is not executed (needs input, duplicate), with why, decided at ingest.
     *
     * @param fields        the row's valid values, normalised
     * @param normalization what normalisation changed in those values (omitted from JSON when nothing)
     */
    public record RowOutcome(int row, String itemId, io.verops.core.ItemStatus status, String message,
                             Map<String, String> fields, List<FieldProblem> problems,
                             @com.fasterxml.jackson.annotation.JsonInclude(
                                     com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
                             List<FieldChange> normalization) {
        public RowOutcome {
            fields = fields == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
            problems = problems == null ? List.of() : List.copyOf(problems);
            normalization = normalization == null ? List.of() : List.copyOf(normalization);
        }

        /** A row outcome without normalisation changes. */
        public RowOutcome(int row, String itemId, io.verops.core.ItemStatus status, String message,
                          Map<String, String> fields, List<FieldProblem> problems) {
            this(row, itemId, status, message, fields, problems, List.of());
        }
    }

    /** One field of a row that needs input, and why ("missing", "invalid email 'bob@'"). */
    public record FieldProblem(String field, String reason) {
    }
}
