package io.verops.ingest;

import io.verops.core.ItemStatus;
import io.verops.core.Phase;
import io.verops.core.internal.Digests;
import io.verops.core.messages.BatchEvent;
import io.verops.core.messages.ItemMessage;
import io.verops.core.operation.FieldSpec;
import io.verops.core.operation.Operation;
import io.verops.ingest.internal.CsvReader;
import io.verops.ingest.internal.JsonBatchReader;
import io.verops.ingest.internal.Utf8;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Ingest's decisions, free of Kafka: read the batch, check it against its operation, normalise each row,
 * flag rows that need input or repeat an earlier row, and refuse the batch as a whole when it cannot be read
 * or is over the cap. Never guesses a value.
 */
public final class BatchPlanner {
    private final Clock clock;

    public BatchPlanner(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    /** Reads the rows of an input in its format. */
    public static List<RawRow> read(BatchInput input) {
        String text = Utf8.decode(input.name(), input.content());
        return switch (input.format()) {
            case CSV -> CsvReader.read(input.name(), text);
            case JSON -> JsonBatchReader.readArray(input.name(), text);
            case JSONL -> JsonBatchReader.readLines(input.name(), text);
        };
    }

    public BatchPlan plan(Operation op, String batchId, Phase phase, BatchInput input) {
        return plan(op, batchId, phase, input, read(input));
    }

    public BatchPlan plan(Operation op, String batchId, Phase phase, BatchInput input, List<RawRow> rows) {
        Objects.requireNonNull(op, "op == null");
        String name = input.name();
        if (rows.isEmpty()) {
            throw new BatchRefusedException(name + ": no data rows (only a header?): nothing to do");
        }
        if (rows.size() > op.limits().batchCap()) {
            throw new BatchRefusedException(name + ": " + rows.size() + " rows is over the batch cap of "
                    + op.limits().batchCap() + " for operation '" + op.name()
                    + "' (split the batch, or raise limits.batch_cap in its operation.json)");
        }
        TreeSet<String> unknown = new TreeSet<>();
        for (RawRow r : rows) {
            for (String col : r.values().keySet()) {
                if (op.field(col).isEmpty()) {
                    unknown.add(col);
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new BatchRefusedException(name + ": unknown column" + (unknown.size() > 1 ? "s " : " ")
                    + unknown.stream().map(c -> "'" + c + "'").collect(Collectors.joining(", "))
                    + " for operation '" + op.name() + "' (its fields: "
                    + op.fields().stream().map(FieldSpec::name).collect(Collectors.joining(", ")) + ")");
        }

        Instant now = clock.instant();
        List<ItemMessage> items = new ArrayList<>();
        List<BatchEvent.PlannedItem> planned = new ArrayList<>();
        List<BatchEvent.RowOutcome> notExecuted = new ArrayList<>();
        Map<String, Integer> firstRowOfIdentity = new HashMap<>();
        for (RawRow r : rows) {
            Map<String, String> normalized = new LinkedHashMap<>();
            List<BatchEvent.FieldProblem> problems = new ArrayList<>();
            for (FieldSpec f : op.fields()) {
                String raw = r.values().get(f.name());
                if (raw == null || raw.isBlank()) {
                    if (f.required()) {
                        problems.add(new BatchEvent.FieldProblem(f.name(), "missing"));
                    }
                    continue;
                }
                Normalized n = FieldNormalizers.normalize(f, raw);
                if (n.isValid()) {
                    normalized.put(f.name(), n.value());
                } else {
                    problems.add(new BatchEvent.FieldProblem(f.name(), n.problem()));
                }
            }
            String identity = identity(op, normalized);
            if (!problems.isEmpty()) {
                String msg = "needs input: " + problems.stream().map(p -> p.field() + " " + p.reason())
                        .collect(Collectors.joining("; "));
                notExecuted.add(new BatchEvent.RowOutcome(r.row(), identity == null ? "row-" + r.row() : identity,
                        ItemStatus.NEEDS_INPUT, msg, normalized, problems));
                continue;
            }
            Integer first = firstRowOfIdentity.putIfAbsent(identity, r.row());
            if (first != null) {
                notExecuted.add(new BatchEvent.RowOutcome(r.row(), identity + "#row-" + r.row(), ItemStatus.SKIPPED,
                        "duplicate of row " + first + " (same " + String.join(", ", op.identity()) + ")",
                        normalized, List.of()));
                continue;
            }
            items.add(new ItemMessage(batchId, op.name(), identity, r.row(), phase, normalized, now));
            planned.add(new BatchEvent.PlannedItem(identity, r.row()));
        }
        BatchEvent.InputInfo info = new BatchEvent.InputInfo(name, input.format().wire(),
                Digests.sha256Hex(input.content()), rows.size());
        BatchEvent accepted = new BatchEvent(BatchEvent.Type.ACCEPTED, batchId, op.name(), phase, now, info,
                rows.size(), planned, notExecuted, null, null);
        return new BatchPlan(accepted, items);
    }

    /** The item id: the identity fields' normalised values, joined by '|'; null when one is missing. */
    static String identity(Operation op, Map<String, String> normalized) {
        List<String> parts = new ArrayList<>();
        for (String f : op.identity()) {
            String v = normalized.get(f);
            if (v == null) {
                return null;
            }
            parts.add(v);
        }
        return String.join("|", parts);
    }
}
