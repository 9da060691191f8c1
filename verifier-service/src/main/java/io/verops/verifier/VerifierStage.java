package io.verops.verifier;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.verops.core.ItemStatus;
import io.verops.core.Json;
import io.verops.core.kafka.IncomingRecord;
import io.verops.core.kafka.Publisher;
import io.verops.core.messages.AuditMessage;
import io.verops.core.messages.Check;
import io.verops.core.messages.ControlMessage;
import io.verops.core.messages.Evidence;
import io.verops.core.messages.ResultMessage;
import io.verops.core.messages.VerdictMessage;
import io.verops.core.metrics.StepTimes;
import io.verops.core.metrics.VeropsMetrics;
import io.verops.core.operation.Operation;
import io.verops.core.operation.OperationCatalog;
import io.verops.core.operation.Redactor;
import io.verops.core.tracing.Tracing;
import io.verops.verifier.internal.BatchView;
import io.verops.verifier.internal.PostConditionRunner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verifier stage: one result in, one verdict out (keyed by batch, for the archiver). Before judging, it runs
 * the operation's post-conditions on the target; after judging, it evaluates the batch gates of the item's phase
 * and, when one fires, halts the batch on the control topic. Every gate evaluation that fires, and each gate's
 * closing evaluation when a phase's last verdict is in, goes to the audit topic as a {@code verops.gate} event,
 * published before the verdict that caused it.
 */
public final class VerifierStage implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VerifierStage.class);
    /** How long one post-condition query may take. */
    public static final Duration POST_CONDITION_TIMEOUT = Duration.ofSeconds(30);
    public static final String GATE_EVENT = "verops.gate";

    private final OperationCatalog catalog;
    private final Publisher publisher;
    private final VerifierSettings settings;
    private final Clock clock;
    private final BatchView view;
    private final PostConditionRunner postConditions;

    public VerifierStage(OperationCatalog catalog, Publisher publisher, VerifierSettings settings, Clock clock) {
        this.catalog = Objects.requireNonNull(catalog, "catalog == null");
        this.publisher = Objects.requireNonNull(publisher, "publisher == null");
        this.settings = Objects.requireNonNull(settings, "settings == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.postConditions = new PostConditionRunner(POST_CONDITION_TIMEOUT);
        this.view = new BatchView(publisher.settings());
    }

    /**
     * What the stage does once, before it consumes, so that no result waits for it: fetches the metadata of the
     * topics it writes and reads the batches' state.
     */
    public void prepare() {
        var topics = publisher.settings().topics();
        publisher.warmUp(topics.verdicts(), topics.audit(), topics.control());
        try {
            synchronized (view) {
                view.catchUp();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the verifier was starting", e);
        }
    }

    public void handle(IncomingRecord record) throws InterruptedException {
        ResultMessage result = Json.convert(record.json(), ResultMessage.class);
        Span span = Tracing.startItemSpan("verify item", result.batchId(), result.itemId(), result.operation(),
                result.phase().wire());
        try (Scope scope = span.makeCurrent()) {
            VerdictMessage verdict = handle(record, result);
            span.setAttribute(Tracing.STATUS, verdict.status().wire());
        } catch (RuntimeException | InterruptedException e) {
            Tracing.failed(span, e);
            throw e;
        } finally {
            span.end();
        }
    }

    private VerdictMessage handle(IncomingRecord record, ResultMessage result) throws InterruptedException {
        Operation op = catalog.require(result.operation());
        long mark = StepTimes.now();
        sinceSent("verifier.result_delivery", record);
        Map<String, String> fields = view.fieldsCatchingUp(result.batchId(), result.phase(), result.itemId())
                .orElse(null);
        StepTimes.since("verifier.catch_up", mark);
        Check post = null;
        if (result.skipped() == null) {
            // verops' own queries of the target, not the agent's: a span of their own
            Span span = Tracing.tracer().spanBuilder("post-conditions").startSpan();
            mark = StepTimes.now();
            try (Scope scope = span.makeCurrent()) {
                post = postConditions.run(op, result.phase(), settings.database(op), fields);
                if (post != null) {
                    span.setAttribute("verops.check.outcome", post.outcome().wire());
                }
            } finally {
                span.end();
            }
            StepTimes.since("verifier.post_conditions", mark);
        }
        Instant judging = clock.instant();
        VerdictMessage verdict = redact(Verifier.judge(result, op, fields == null ? Map.of() : fields, post),
                Redactor.of(op, fields));
        traceChecks(verdict, judging);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        mark = StepTimes.now();
        synchronized (view) {
            StepTimes.since("verifier.view_lock_wait", mark);
            mark = StepTimes.now();
            view.catchUp();
            StepTimes.since("verifier.catch_up_locked", mark);
            mark = StepTimes.now();
            BatchView.PhaseState phase = view.record(verdict);
            if (view.halt(verdict.batchId()).isEmpty()) {
                List<Gates.Evaluation> evaluations = evaluate(op, phase, verdict, result.evidence());
                for (Gates.Evaluation g : evaluations) {
                    sent.add(publisher.send(publisher.settings().topics().audit(), verdict.batchId(),
                            gateEvent(verdict, g)));
                }
                evaluations.stream().filter(Gates.Evaluation::halts).findFirst().ifPresent(g -> {
                    ControlMessage halt = new ControlMessage(ControlMessage.Type.HALTED, verdict.batchId(),
                            verdict.operation(), verdict.phase(), "verops verifier (gate " + g.name() + ")",
                            g.detail(), new ControlMessage.Gate(g.name(), g.observed(), g.threshold(),
                            "batch halted: " + g.detail()), clock.instant());
                    sent.add(publisher.send(publisher.settings().topics().control(), verdict.batchId(), halt));
                    view.rememberHalt(halt);
                    VeropsMetrics.gateHalt(verdict.operation(), g.name());
                    VeropsMetrics.batch(verdict.operation(), verdict.phase(), "halted");
                    LOG.info("batch {} ({}): gate {} halted it: {}", verdict.batchId(), verdict.phase().wire(),
                            g.name(), g.detail());
                });
                Publisher.await(sent);
            }
            StepTimes.since("verifier.gates", mark);
        }
        mark = StepTimes.now();
        Publisher.await(List.of(publisher.send(publisher.settings().topics().verdicts(), verdict.batchId(), verdict)));
        StepTimes.since("verifier.verdict_record", mark);
        VeropsMetrics.item(verdict.operation(), verdict.phase(), verdict.status());
        return verdict;
    }

    /** One span per check of the verdict (schema, identity, claims, post-conditions), with its outcome and reason. */
    private void traceChecks(VerdictMessage verdict, Instant judging) {
        if (verdict.checks() == null || !Span.current().isRecording()) {
            return;
        }
        Instant judged = clock.instant();
        for (Check c : verdict.checks()) {
            Span span = Tracing.tracer().spanBuilder("check " + c.name()).setStartTimestamp(judging).startSpan();
            span.setAttribute("verops.check.outcome", c.outcome().wire());
            if (c.detail() != null) {
                span.setAttribute("verops.check.detail", c.detail()); // redacted with the verdict
            }
            if (c.outcome() == Check.Outcome.FAIL) {
                span.setStatus(StatusCode.ERROR, c.detail() == null ? "failed" : c.detail());
            }
            span.end(judged);
        }
    }

    /** Records the time since the record was sent (its {@code ce_time} header), when it has one. */
    private static void sinceSent(String step, IncomingRecord record) {
        String sent = record.headers().get("ce_time");
        if (sent != null && StepTimes.now() != 0L) {
            try {
                StepTimes.record(step, java.time.Duration.between(java.time.Instant.parse(sent),
                        java.time.Instant.now()).toNanos() / 1000);
            } catch (java.time.format.DateTimeParseException ignored) {
                // not a time: nothing to record
            }
        }
    }

    /**
     * The gate evaluations this verdict causes: the output gates on its own evidence when they fire, the failure
     * ratio when it fires, and every gate's closing evaluation once the phase's last verdict is in.
     */
    private static List<Gates.Evaluation> evaluate(Operation op, BatchView.PhaseState phase, VerdictMessage v,
                                                   Evidence evidence) {
        List<Gates.Evaluation> out = new ArrayList<>();
        if (evidence != null && v.status() != ItemStatus.SKIPPED) {
            String item = "item " + v.itemId() + ": ";
            Gates.Worst flood = Gates.worstErrorFlood(evidence);
            Gates.Worst destructive = Gates.destructive(evidence);
            phase.noteOutputs(flood.value(), flood.where() == null ? null : item + flood.where(), destructive.count(),
                    destructive.where() == null ? null : item + destructive.where());
            Gates.Evaluation d = Gates.destructiveOutput(destructive.count(), op.gates().destructiveOutputAllowed(),
                    destructive.where() == null ? null : item + destructive.where());
            Gates.Evaluation f = Gates.errorFlood(flood.value(), op.policy().errorFloodLimit(),
                    flood.where() == null ? null : item + flood.where());
            for (Gates.Evaluation g : List.of(d, f)) {
                if (g.halts()) {
                    out.add(g);
                }
            }
        }
        Gates.Evaluation ratio = Gates.failureRatio(phase.failed(), phase.judged(), phase.planned(),
                phase.complete(), op.limits().failureThreshold(), op.gates().minSample());
        if (ratio.halts()) {
            out.add(ratio);
        }
        if (out.isEmpty() && phase.complete() && phase.claimFinal()) {
            out.add(ratio);
            out.add(Gates.errorFlood(phase.maxErrorLines(), op.policy().errorFloodLimit(), phase.maxErrorWhere()));
            out.add(Gates.destructiveOutput(phase.destructiveOutputs(), op.gates().destructiveOutputAllowed(),
                    phase.firstDestructive()));
        }
        return out;
    }

    /** The verdict with the item's secret values masked in its message, check details and output. */
    static VerdictMessage redact(VerdictMessage v, Redactor r) {
        if (!r.active()) {
            return v;
        }
        List<Check> checks = v.checks() == null ? null : v.checks().stream()
                .map(c -> new Check(c.name(), c.outcome(), r.text(c.detail()), c.observations())).toList();
        return new VerdictMessage(v.batchId(), v.operation(), v.itemId(), v.row(), v.phase(), v.status(),
                r.text(v.message()), v.attempts(), v.retried(), v.usage(), v.auditEvents(), checks, r.json(v.output()),
                v.startedAt(), v.finishedAt(), v.codexMillis());
    }

    private AuditMessage gateEvent(VerdictMessage v, Gates.Evaluation g) {
        ObjectNode e = Json.mapper().createObjectNode();
        e.put("type", GATE_EVENT);
        e.put("name", g.name());
        e.put("threshold", g.threshold());
        e.put("observed", g.observed());
        e.put("outcome", g.outcome().wire());
        e.put("detail", g.detail());
        e.put("after_item", v.itemId());
        return new AuditMessage(v.batchId(), v.operation(), null, v.phase(), 0, 0, "verops", e, clock.instant());
    }

    @Override
    public void close() {
        view.close();
    }
}
