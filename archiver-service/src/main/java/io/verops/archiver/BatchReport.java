package io.verops.archiver;

import com.fasterxml.jackson.databind.JsonNode;
import io.verops.core.ItemStatus;
import io.verops.core.messages.BatchEvent;
import io.verops.core.messages.Check;
import io.verops.core.messages.Usage;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** report.json of a bundle; its shape is {@code schemas/batch-report.json}. */
public record BatchReport(String operation, String batchId, Instant timestamp, boolean dryRun, int totalItems,
                          int succeeded, int failed, int skipped, int needsInput, int indeterminate,
                          Instant startedAt, Instant finishedAt, BatchEvent.InputInfo input, Usage usage,
                          List<Entry> results) {
    public BatchReport {
        results = List.copyOf(results);
    }

    /** One row of the input and where it ended. */
    public record Entry(String itemId, int row, ItemStatus status, String message, boolean retried, int attempts,
                        Usage usage, Integer auditEvents, Long durationMs, Map<String, String> fields,
                        List<BatchEvent.FieldProblem> problems, List<Check> verification, JsonNode output) {
    }
}
