package io.verops.executor;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.verops.core.ItemStatus;
import io.verops.core.Json;
import io.verops.core.Phase;
import io.verops.core.Topics;
import io.verops.core.kafka.IncomingRecord;
import io.verops.core.kafka.Publisher;
import io.verops.core.messages.AuditMessage;
import io.verops.core.messages.BatchEvent;
import io.verops.core.messages.ControlMessage;
import io.verops.core.messages.ItemMessage;
import io.verops.core.messages.VerdictMessage;
import io.verops.core.operation.Operation;
import io.verops.core.operation.OperationCatalog;
import io.verops.core.tracing.Tracing;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Between the dry run and the apply: once a batch's dry run is archived, releases the apply of the items that
 * passed it — when an operator approved it, or at once when the operation declares auto-approval; records a
 * rejection as an apply in which every row is skipped; does nothing for a halted batch or an operation without
 * an apply. Reads batch-events, verdicts and control from the start of its partitions (its state is rebuilt
 * from Kafka after a restart); run with one worker.
 */
public final class ApprovalCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(ApprovalCoordinator.class);

    private final OperationCatalog catalog;
    private final Publisher publisher;
    private final Clock clock;
    private final Map<String, BatchState> batches = new HashMap<>();

    public ApprovalCoordinator(OperationCatalog catalog, Publisher publisher, Clock clock) {
        this.catalog = Objects.requireNonNull(catalog, "catalog == null");
        this.publisher = Objects.requireNonNull(publisher, "publisher == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    public List<String> topics(Topics t) {
        return List.of(t.batchEvents(), t.verdicts(), t.control());
    }

    private static final class BatchState {
        BatchEvent dryAccepted;
        boolean dryCompleted;
        boolean released;
        ControlMessage decision;
        ControlMessage halt;
        final Map<String, VerdictMessage> dryVerdicts = new HashMap<>();
        final Map<String, SpanContext> dryTraces = new HashMap<>();
    }

    public synchronized void handle(IncomingRecord record) {
        Topics t = publisher.settings().topics();
        String batchId;
        if (record.topic().equals(t.batchEvents())) {
            BatchEvent e = Json.convert(record.json(), BatchEvent.class);
            batchId = e.batchId();
            BatchState s = state(batchId);
            if (e.phase() == Phase.DRY_RUN) {
                if (e.type() == BatchEvent.Type.ACCEPTED) {
                    s.dryAccepted = e;
                } else {
                    s.dryCompleted = true;
                }
            } else {
                s.released = true; // an apply phase exists already (released before a restart)
            }
        } else if (record.topic().equals(t.verdicts())) {
            VerdictMessage v = Json.convert(record.json(), VerdictMessage.class);
            batchId = v.batchId();
            if (v.phase() == Phase.DRY_RUN) {
                state(batchId).dryVerdicts.put(v.itemId(), v);
                // the item's trace: its apply is released in it, so that one trace follows the item through both phases
                SpanContext trace = Span.current().getSpanContext();
                if (trace.isValid()) {
                    state(batchId).dryTraces.put(v.itemId(), trace);
                }
            }
        } else {
            ControlMessage c = Json.convert(record.json(), ControlMessage.class);
            batchId = c.batchId();
            BatchState s = state(batchId);
            if (c.type() == ControlMessage.Type.HALTED) {
                s.halt = s.halt == null ? c : s.halt;
            } else if (s.decision == null) {
                s.decision = c; // the first decision stands
            }
        }
        decide(batchId, state(batchId));
    }

    private BatchState state(String batchId) {
        return batches.computeIfAbsent(batchId, k -> new BatchState());
    }

    private void decide(String batchId, BatchState s) {
        if (s.released || !s.dryCompleted || s.dryAccepted == null || s.halt != null) {
            return;
        }
        Optional<Operation> op = catalog.find(s.dryAccepted.operation());
        if (op.isEmpty() || !op.get().apply().enabled()) {
            return;
        }
        if (s.decision == null) {
            if (op.get().apply().autoApprove() && !op.get().apply().irreversible()) {
                ControlMessage auto = new ControlMessage(ControlMessage.Type.APPROVED, batchId, s.dryAccepted.operation(),
                        Phase.APPLY, "verops (operation declares auto-approval)", "reversible operation, auto-approved",
                        null, clock.instant());
                Publisher.await(List.of(publisher.send(publisher.settings().topics().control(), batchId, auto)));
            }
            return;
        }
        release(batchId, s);
    }

    private void release(String batchId, BatchState s) {
        BatchEvent dry = s.dryAccepted;
        ControlMessage d = s.decision;
        boolean approved = d.type() == ControlMessage.Type.APPROVED;
        List<BatchEvent.PlannedItem> items = new ArrayList<>();
        List<BatchEvent.RowOutcome> notExecuted = new ArrayList<>(dry.notExecuted());
        List<ItemMessage> messages = new ArrayList<>();
        for (BatchEvent.PlannedItem p : dry.items()) {
            VerdictMessage v = s.dryVerdicts.get(p.itemId());
            if (!approved) {
                notExecuted.add(new BatchEvent.RowOutcome(p.row(), p.itemId(), ItemStatus.SKIPPED,
                        "apply rejected by " + d.actor() + (d.reason() == null ? "" : ": " + d.reason()),
                        p.fields(), List.of()));
            } else if (v == null || v.status() != ItemStatus.SUCCESS) {
                // an item whose dry run failed has failed: it is not applied, and the final report says why
                ItemStatus status = v == null || v.status() == ItemStatus.SKIPPED ? ItemStatus.SKIPPED : v.status();
                notExecuted.add(new BatchEvent.RowOutcome(p.row(), p.itemId(), status,
                        "not applied: the dry run " + (v == null ? "gave no verdict" : "ended " + v.status().wire()
                                + ": " + v.message()), p.fields(), List.of()));
            } else {
                items.add(p);
                messages.add(new ItemMessage(batchId, dry.operation(), p.itemId(), p.row(), Phase.APPLY,
                        p.fields() == null ? Map.of() : p.fields(), clock.instant()));
            }
        }
        BatchEvent.Approval approval = new BatchEvent.Approval(approved ? "approved" : "rejected", d.actor(),
                d.reason(), d.at());
        BatchEvent accepted = new BatchEvent(BatchEvent.Type.ACCEPTED, batchId, dry.operation(), Phase.APPLY,
                clock.instant(), dry.input(), dry.totalItems(), items, notExecuted, null, null, approval);
        var topics = publisher.settings().topics();
        var ev = Json.mapper().createObjectNode();
        ev.put("type", "verops.approval");
        ev.put("decision", approval.decision());
        ev.put("actor", approval.actor());
        if (approval.reason() != null) {
            ev.put("reason", approval.reason());
        }
        ev.put("decided_at", approval.at().toString());
        ev.put("items_released", items.size());
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        sent.add(publisher.send(topics.audit(), batchId, new AuditMessage(batchId, dry.operation(), null, Phase.APPLY,
                0, 0, "verops", ev, clock.instant())));
        sent.add(publisher.send(topics.batchEvents(), batchId, accepted));
        Publisher.await(sent);
        sent.clear();
        for (ItemMessage m : messages) {
            SpanContext trace = s.dryTraces.get(m.itemId());
            Context parent = trace == null ? Context.root() : Context.root().with(Span.wrap(trace));
            Span span = Tracing.tracer().spanBuilder("release apply").setParent(parent).startSpan();
            if (span.isRecording()) {
                span.setAttribute(Tracing.BATCH_ID, batchId);
                span.setAttribute(Tracing.ITEM_ID, m.itemId());
                span.setAttribute("verops.approval.decision", approval.decision());
            }
            try (Scope scope = span.makeCurrent()) {
                sent.add(publisher.send(topics.items(), m.key(), m));
            } finally {
                span.end();
            }
        }
        Publisher.await(sent);
        io.verops.core.metrics.VeropsMetrics.batch(dry.operation(), Phase.APPLY, "accepted");
        s.released = true;
        LOG.info("batch {}: apply {} by {}; {} items released", batchId, approval.decision(), d.actor(), items.size());
    }
}
