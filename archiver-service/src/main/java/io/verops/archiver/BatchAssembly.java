package io.verops.archiver;

import io.verops.core.ItemStatus;
import io.verops.core.messages.AuditMessage;
import io.verops.core.messages.BatchEvent;
import io.verops.core.messages.ControlMessage;
import io.verops.core.messages.Usage;
import io.verops.core.messages.VerdictMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the archiver has heard of one batch and phase. Complete when the accepted plan is known, every
 * planned item has a verdict, and every verdict's audit events have arrived (topics are read independently,
 * so a verdict may overtake its item's audit events).
 */
public final class BatchAssembly {
    /** The audit event type of the verifier's gate evaluations. */
    static final String GATE_EVENT = "verops.gate";
    private final String batchId;
    private BatchEvent accepted;
    private final Map<String, VerdictMessage> verdicts = new LinkedHashMap<>();
    private final Map<String, List<AuditMessage>> audit = new HashMap<>();
    private final Map<String, List<AuditMessage>> itemPipelineEvents = new HashMap<>();
    private final List<AuditMessage> pipelineEvents = new ArrayList<>();
    private final List<ControlMessage> halts = new ArrayList<>();

    public BatchAssembly(String batchId) {
        this.batchId = Objects.requireNonNull(batchId, "batchId == null");
    }

    public String batchId() {
        return batchId;
    }

    public BatchEvent accepted() {
        return accepted;
    }

    public void accept(BatchEvent event) {
        this.accepted = event;
    }

    public void verdict(VerdictMessage v) {
        verdicts.put(v.itemId(), v);
    }

    public void audit(AuditMessage a) {
        if (a.itemId() == null) {
            pipelineEvents.add(a);
        } else if ("codex".equals(a.source())) {
            audit.computeIfAbsent(a.itemId(), k -> new ArrayList<>()).add(a);
        } else {
            itemPipelineEvents.computeIfAbsent(a.itemId(), k -> new ArrayList<>()).add(a);
        }
    }

    /** A halt of the batch (topic control); other control messages are ignored (the apply's accepted event carries its approval). */
    public void control(ControlMessage m) {
        Objects.requireNonNull(m, "m == null");
        if (m.type() == ControlMessage.Type.HALTED && (m.phase() == null || accepted == null || m.phase() == accepted.phase())) {
            halts.add(m);
        }
    }

    /** The halts of this batch and phase, in the order they arrived. */
    public List<ControlMessage> halts() {
        if (accepted == null) {
            return List.copyOf(halts);
        }
        return halts.stream().filter(m -> m.phase() == null || m.phase() == accepted.phase()).toList();
    }

    /**
     * The verifier's gates of this phase, one per gate name in the order first seen: the evaluation that fired
     * when one did, else the last one.
     */
    public List<BatchReport.Gate> gates() {
        Map<String, BatchReport.Gate> byName = new LinkedHashMap<>();
        for (AuditMessage a : pipelineEvents) {
            if (GATE_EVENT.equals(a.event().path("type").asText())) {
                BatchReport.Gate g = BatchReport.Gate.of(a.event(), a.at());
                BatchReport.Gate seen = byName.get(g.name());
                if (seen == null || seen.passed()) {
                    byName.put(g.name(), g);
                }
            }
        }
        return List.copyOf(byName.values());
    }

    public int verdictCount() {
        return verdicts.size();
    }

    public boolean complete() {
        if (accepted == null) {
            return false;
        }
        for (BatchEvent.PlannedItem p : accepted.items()) {
            VerdictMessage v = verdicts.get(p.itemId());
            if (v == null) {
                return false;
            }
            if (audit.getOrDefault(p.itemId(), List.of()).size() < v.auditEvents()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The item's events in order: its codex events as codex emitted them (by sequence, which runs on across
     * attempts), with the pipeline's own events of the item (e.g. a retry, numbered with the sequence of the next
     * codex event) placed before the codex event of the same number.
     */
    public List<AuditMessage> auditOf(String itemId) {
        List<AuditMessage> list = new ArrayList<>(audit.getOrDefault(itemId, List.of()));
        list.addAll(itemPipelineEvents.getOrDefault(itemId, List.of()));
        list.sort(Comparator.comparingInt(AuditMessage::seq).thenComparing(a -> "codex".equals(a.source())));
        return list;
    }

    /**
     * Each distinct value of {@code field} in the executor's {@value AuditMessage#ATTEMPT_STARTED} events of this
     * phase (the provenance of its codex runs: {@code codex_version}, {@code model_provider},
     * {@code hook_policy_sha256}), sorted; none when no item ran or its executor did not record them.
     */
    public List<String> attemptValues(String field) {
        Objects.requireNonNull(field, "field == null");
        java.util.Set<String> values = new java.util.TreeSet<>();
        List<String> ids = accepted == null ? List.copyOf(itemPipelineEvents.keySet())
                : accepted.items().stream().map(BatchEvent.PlannedItem::itemId).toList();
        for (String id : ids) {
            for (AuditMessage a : itemPipelineEvents.getOrDefault(id, List.of())) {
                String value = a.event().path(field).asText("");
                if (AuditMessage.ATTEMPT_STARTED.equals(a.event().path("type").asText()) && !value.isBlank()) {
                    values.add(value);
                }
            }
        }
        return List.copyOf(values);
    }

    /** The pipeline's events that concern the batch as a whole (no item), in arrival order. */
    public List<AuditMessage> pipelineEvents() {
        return List.copyOf(pipelineEvents);
    }

    /** The report of a complete batch: one entry per input row, in row order; the counts add up. */
    public BatchReport report(Instant now) {
        if (!complete()) {
            throw new IllegalStateException("batch " + batchId + " is not complete");
        }
        List<BatchReport.Entry> entries = new ArrayList<>();
        Usage total = Usage.ZERO;
        Instant finished = accepted.at();
        for (BatchEvent.PlannedItem p : accepted.items()) {
            VerdictMessage v = verdicts.get(p.itemId());
            total = total.plus(v.usage());
            if (v.finishedAt() != null && v.finishedAt().isAfter(finished)) {
                finished = v.finishedAt();
            }
            Long duration = v.startedAt() == null || v.finishedAt() == null ? null
                    : Math.max(0, v.finishedAt().toEpochMilli() - v.startedAt().toEpochMilli());
            entries.add(new BatchReport.Entry(v.itemId(), v.row(), v.status(), v.message(), v.retried(), v.attempts(),
                    v.usage(), v.auditEvents(), duration, null, null, v.checks(), v.output(), p.normalization()));
        }
        for (BatchEvent.RowOutcome r : accepted.notExecuted()) {
            entries.add(new BatchReport.Entry(r.itemId(), r.row(), r.status(), r.message(), false, 0, Usage.ZERO, 0,
                    null, r.fields(), r.problems(), List.of(), null, r.normalization()));
        }
        entries.sort(Comparator.comparingInt(BatchReport.Entry::row));
        Map<ItemStatus, Integer> counts = new HashMap<>();
        for (BatchReport.Entry e : entries) {
            counts.merge(e.status(), 1, Integer::sum);
        }
        return new BatchReport(accepted.operation(), batchId, now, accepted.phase() == io.verops.core.Phase.DRY_RUN,
                accepted.totalItems(), counts.getOrDefault(ItemStatus.SUCCESS, 0),
                counts.getOrDefault(ItemStatus.FAILURE, 0), counts.getOrDefault(ItemStatus.SKIPPED, 0),
                counts.getOrDefault(ItemStatus.NEEDS_INPUT, 0), counts.getOrDefault(ItemStatus.INDETERMINATE, 0),
                accepted.at(), finished, accepted.input(), total,
                accepted.phase() == io.verops.core.Phase.APPLY ? accepted.approval() : null,
                gates(), halts().stream().map(BatchReport.Halt::of).toList(), null, entries);
    }
}
