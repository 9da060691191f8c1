package io.verops.ingest;

import io.verops.core.ItemStatus;
import io.verops.core.Phase;
import io.verops.core.internal.Digests;
import io.verops.core.messages.BatchEvent;
import io.verops.core.messages.FieldChange;
import io.verops.core.messages.ItemMessage;
import io.verops.core.operation.FieldSpec;
import io.verops.core.operation.Operation;
import io.verops.ingest.internal.ColumnValues;
import io.verops.ingest.internal.CsvReader;
import io.verops.ingest.internal.JsonBatchReader;
import io.verops.ingest.internal.Shown;
import io.verops.ingest.internal.Utf8;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Ingest's decisions, free of Kafka: read the batch, check it against its operation, normalise each row,
 * flag rows that need input or repeat an earlier row, and refuse the batch as a whole when it cannot be read
 * or is over the cap. Never guesses a value.
 *
 * <p>Per row: every declared field is normalised ({@link FieldNormalizers}); a required field that is blank
 * or absent is {@code missing}. The row's identity is its identity fields' normalised values. The first row
 * with an identity claims it; a later row with the same identity is {@code skipped} as a duplicate of that
 * row (whatever else it holds). A row with a missing or invalid field is {@code needs_input}, with every
 * field's reason. Every other row is an item to run. Each change normalisation made is recorded with the
 * row (original value to normalised value).
 */
public final class BatchPlanner {
    private final Clock clock;
    private final Integer batchCap;

    public BatchPlanner(Clock clock) {
        this(clock, null);
    }

    private BatchPlanner(Clock clock, Integer batchCap) {
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.batchCap = batchCap;
    }

    /**
     * A planner that caps batches at {@code cap} rows instead of each operation's {@code limits.batch_cap}: for
     * benchmarks and bulk tooling that lift the cap explicitly. The guardrail of the product is the operation's cap.
     */
    public BatchPlanner withBatchCap(int cap) {
        if (cap < 1) {
            throw new IllegalArgumentException("batch cap must be at least 1 (found " + cap + ")");
        }
        return new BatchPlanner(clock, cap);
    }

    /** Reads the rows of an input in its format; throws {@link BatchRefusedException} when it cannot. */
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
        Objects.requireNonNull(batchId, "batchId == null");
        Objects.requireNonNull(phase, "phase == null");
        String name = input.name();
        if (rows.isEmpty()) {
            throw new BatchRefusedException(name + ": no data rows (a header alone, or an empty array): nothing to do");
        }
        int cap = batchCap != null ? batchCap : op.limits().batchCap();
        if (rows.size() > cap) {
            throw new BatchRefusedException(name + ": " + rows.size() + " rows is over the batch cap of "
                    + cap + " for operation '" + op.name()
                    + "' (split the batch, or raise limits.batch_cap in its operation.json)");
        }
        refuseUnknownColumns(op, name, rows);

        Instant now = clock.instant();
        List<FieldSpec> fields = op.fields();
        List<ItemMessage> items = new ArrayList<>(rows.size());
        List<BatchEvent.PlannedItem> planned = new ArrayList<>(rows.size());
        List<BatchEvent.RowOutcome> notExecuted = new ArrayList<>();
        Map<String, Integer> firstRowOfIdentity = new HashMap<>(rows.size() * 2);
        String identityNames = String.join(", ", op.identity());
        for (RawRow r : rows) {
            String[] values = new String[fields.size()];
            int present = 0;
            List<FieldChange> changes = null;
            List<BatchEvent.FieldProblem> problems = null;
            for (int i = 0; i < fields.size(); i++) {
                FieldSpec f = fields.get(i);
                String raw = r.values().get(f.name());
                if (raw == null || raw.isBlank()) {
                    if (f.required()) {
                        problems = add(problems, new BatchEvent.FieldProblem(f.name(), "missing"));
                    }
                    continue;
                }
                Normalized n = FieldNormalizers.normalize(f, raw);
                if (!n.isValid()) {
                    problems = add(problems, new BatchEvent.FieldProblem(f.name(), n.problem()));
                    continue;
                }
                values[i] = n.value();
                present++;
                if (!n.value().equals(raw)) {
                    changes = add(changes, f.secret()
                            ? new FieldChange(f.name(), FieldNormalizers.SECRET, FieldNormalizers.SECRET)
                            : new FieldChange(f.name(), raw, n.value()));
                }
            }
            List<FieldChange> changeList = changes == null ? List.of() : changes;
            String identity = identity(op, fields, values);
            if (identity != null) {
                Integer first = firstRowOfIdentity.putIfAbsent(identity, r.row());
                if (first != null) {
                    notExecuted.add(new BatchEvent.RowOutcome(r.row(), identity + "#row-" + r.row(),
                            ItemStatus.SKIPPED, "duplicate of row " + first + " (same " + identityNames + ")",
                            ordered(fields, values), problems, changeList));
                    continue;
                }
            }
            if (problems != null) {
                String msg = "needs input: " + problems.stream().map(p -> p.field() + " " + p.reason())
                        .collect(Collectors.joining("; "));
                notExecuted.add(new BatchEvent.RowOutcome(r.row(), identity == null ? "row-" + r.row() : identity,
                        ItemStatus.NEEDS_INPUT, msg, ordered(fields, values), problems, changeList));
                continue;
            }
            Map<String, String> normalized = immutable(fields, values, present);
            items.add(new ItemMessage(batchId, op.name(), identity, r.row(), phase, normalized, now, changeList));
            planned.add(new BatchEvent.PlannedItem(identity, r.row(), normalized, changeList));
        }
        BatchEvent.InputInfo info = new BatchEvent.InputInfo(name, input.format().wire(),
                Digests.sha256Hex(input.content()), rows.size());
        BatchEvent accepted = new BatchEvent(BatchEvent.Type.ACCEPTED, batchId, op.name(), phase, now, info,
                rows.size(), planned, notExecuted, null, null, null);
        return new BatchPlan(accepted, items);
    }

    /** Columns (or JSON keys) that the operation does not declare refuse the batch: a typo must not drop data. */
    private static void refuseUnknownColumns(Operation op, String name, List<RawRow> rows) {
        java.util.Set<String> declared = new java.util.HashSet<>();
        op.fields().forEach(f -> declared.add(f.name()));
        Map<String, Integer> unknown = new TreeMap<>();
        java.util.Set<ColumnValues.Columns> checked = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (RawRow r : rows) {
            if (r.values() instanceof ColumnValues cv && !checked.add(cv.columns())) {
                continue; // the rows of one CSV header share their columns: checked once
            }
            for (String col : r.values().keySet()) {
                if (!declared.contains(col)) {
                    unknown.putIfAbsent(col, r.row());
                }
            }
        }
        if (unknown.isEmpty()) {
            return;
        }
        List<String> problems = new ArrayList<>();
        String fieldNames = op.fields().stream().map(FieldSpec::name).collect(Collectors.joining(", "));
        for (Map.Entry<String, Integer> e : unknown.entrySet()) {
            String col = e.getKey();
            String hint = op.fields().stream().map(FieldSpec::name)
                    .filter(f -> f.toLowerCase(Locale.ROOT).equals(col.strip().toLowerCase(Locale.ROOT)))
                    .findFirst().map(f -> "; did you mean '" + f + "'?").orElse("");
            problems.add(name + ": row " + e.getValue() + ": unknown column " + Shown.quoted(col) + " for operation '"
                    + op.name() + "'" + hint + " (its fields: " + fieldNames + ")");
        }
        throw new BatchRefusedException(problems);
    }

    private static <T> List<T> add(List<T> list, T value) {
        List<T> l = list == null ? new ArrayList<>(4) : list;
        l.add(value);
        return l;
    }

    /** The item id: the identity fields' normalised values, joined by '|'; null when one is missing. */
    static String identity(Operation op, List<FieldSpec> fields, String[] values) {
        List<String> names = op.identity();
        StringBuilder sb = null;
        String single = null;
        for (int k = 0; k < names.size(); k++) {
            String v = null;
            for (int i = 0; i < fields.size(); i++) {
                if (fields.get(i).name().equals(names.get(k))) {
                    v = values[i];
                    break;
                }
            }
            if (v == null) {
                return null;
            }
            if (k == 0) {
                single = v;
            } else {
                if (sb == null) {
                    sb = new StringBuilder(single);
                }
                sb.append('|').append(v);
            }
        }
        return sb == null ? single : sb.toString();
    }

    /** The valid values in field order (for rows that are not run: they appear in reports and needs-input.csv). */
    /**
     * The valid values of a row that is not executed, in field order, for the report and needs-input.csv. A secret
     * field's value is left out: evidence never shows it, and needs-input.csv leaves its cell to fill again.
     */
    private static Map<String, String> ordered(List<FieldSpec> fields, String[] values) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            if (values[i] != null && !fields.get(i).secret()) {
                m.put(fields.get(i).name(), values[i]);
            }
        }
        return m;
    }

    /** The valid values as an immutable map, built once and shared by the item and the accepted event. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> immutable(List<FieldSpec> fields, String[] values, int present) {
        Map.Entry<String, String>[] entries = new Map.Entry[present];
        int e = 0;
        for (int i = 0; i < fields.size(); i++) {
            if (values[i] != null) {
                entries[e++] = Map.entry(fields.get(i).name(), values[i]);
            }
        }
        return Map.ofEntries(entries);
    }
}
