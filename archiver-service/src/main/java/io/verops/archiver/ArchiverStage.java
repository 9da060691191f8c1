package io.verops.archiver;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Scope;
import io.verops.core.ItemStatus;
import io.verops.core.Json;
import io.verops.core.Topics;
import io.verops.core.kafka.EndOffsets;
import io.verops.core.kafka.IncomingRecord;
import io.verops.core.kafka.KafkaSettings;
import io.verops.core.kafka.Publisher;
import io.verops.core.kafka.StageLoop;
import io.verops.core.messages.AuditMessage;
import io.verops.core.messages.BatchEvent;
import io.verops.core.messages.ControlMessage;
import io.verops.core.messages.VerdictMessage;
import io.verops.core.tracing.Tracing;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archiver stage: gathers the accepted plan (with the apply's approval), the verdicts, the audit events and
 * the halts (topic control) of each batch, and writes the signed evidence bundle once the batch is complete, then
 * announces it on batch-events. Run with a single worker (records are applied in order) and with replay from the
 * start: its state is rebuilt from Kafka, so an archiver that crashed while writing writes the bundle whole
 * after its restart.
 * <p>
 * Topics are read independently, so the batch's last verdict may reach the archiver before audit events and
 * halts that were published before it (the verifier's closing gate evaluations, for one). A complete batch is
 * therefore written only once the archiver has read its audit and control partitions up to where they ended
 * when the batch became complete: see {@link #loop}.
 */
public final class ArchiverStage implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ArchiverStage.class);

    private final Path reports;
    private final Publisher publisher;
    private final Clock clock;
    private final BundleContext context;
    private final BundleWriter.Observer observer;
    private final Map<String, BatchAssembly> open = new HashMap<>();
    private final Map<String, List<ControlMessage>> control = new HashMap<>();
    private final Set<String> done = ConcurrentHashMap.newKeySet();
    /** Complete batches waiting for the loop to read audit and control up to these offsets. */
    private final Map<String, Map<TopicPartition, Long>> waiting = new LinkedHashMap<>();
    private final Map<String, Instant> retryAfter = new HashMap<>();
    /** Per open batch and phase: the span contexts of its items' verdicts, which the bundle's span links to. */
    private final Map<String, List<SpanContext>> itemTraces = new HashMap<>();
    private EndOffsets endOffsets;
    private SigningKey key;

    /** An archiver whose provenance comes from {@link BundleContext#forHome} of the default verops home. */
    public ArchiverStage(Path reports, Publisher publisher, Clock clock) {
        this(reports, publisher, clock, BundleContext.forHome(BundleContext.defaultHome()));
    }

    public ArchiverStage(Path reports, Publisher publisher, Clock clock, BundleContext context) {
        this(reports, publisher, clock, context, BundleWriter.Observer.NONE);
    }

    ArchiverStage(Path reports, Publisher publisher, Clock clock, BundleContext context, BundleWriter.Observer observer) {
        this.reports = Objects.requireNonNull(reports, "reports == null");
        this.publisher = Objects.requireNonNull(publisher, "publisher == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.context = Objects.requireNonNull(context, "context == null");
        this.observer = Objects.requireNonNull(observer, "observer == null");
    }

    public Path reports() {
        return reports;
    }

    public BundleContext context() {
        return context;
    }

    public List<String> topics(Topics topics) {
        return List.of(topics.batchEvents(), topics.verdicts(), topics.audit(), topics.control());
    }

    /**
     * The archiver's consume loop on these settings: one worker, replay from the start, and the progress
     * listener that writes complete batches once their audit and control have been read.
     */
    public StageLoop loop(KafkaSettings kafka, String groupId) {
        return new StageLoop("archiver", kafka, groupId, topics(kafka.topics()), this::handle, 1, publisher, true)
                .onProgress(this::caughtUp);
    }

    public synchronized void handle(IncomingRecord record) throws Exception {
        Topics topics = publisher.settings().topics();
        String key;
        if (record.topic().equals(topics.control())) {
            ControlMessage c = Json.convert(record.json(), ControlMessage.class);
            control.computeIfAbsent(c.batchId(), k -> new ArrayList<>()).add(c);
            for (Map.Entry<String, BatchAssembly> e : open.entrySet()) {
                if (e.getValue().batchId().equals(c.batchId())) {
                    e.getValue().control(c);
                }
            }
            return;
        }
        if (record.topic().equals(topics.batchEvents())) {
            BatchEvent e = Json.convert(record.json(), BatchEvent.class);
            key = key(e.batchId(), e.phase().wire());
            if (e.type() == BatchEvent.Type.COMPLETED) {
                done.add(key);
                open.remove(key);
                waiting.remove(key);
                itemTraces.remove(key);
                return;
            }
            if (done.contains(key)) {
                return;
            }
            assembly(key, e.batchId()).accept(e);
        } else if (record.topic().equals(topics.verdicts())) {
            VerdictMessage v = Json.convert(record.json(), VerdictMessage.class);
            key = key(v.batchId(), v.phase().wire());
            if (done.contains(key)) {
                return;
            }
            assembly(key, v.batchId()).verdict(v);
            SpanContext item = Span.current().getSpanContext();
            if (item.isValid()) {
                itemTraces.computeIfAbsent(key, k -> new ArrayList<>()).add(item);
            }
        } else if (record.topic().equals(topics.audit())) {
            AuditMessage a = Json.convert(record.json(), AuditMessage.class);
            key = key(a.batchId(), a.phase() == null ? "apply" : a.phase().wire());
            if (done.contains(key)) {
                return;
            }
            assembly(key, a.batchId()).audit(a);
        } else {
            return;
        }
        BatchAssembly b = open.get(key);
        if (b != null && b.complete() && !waiting.containsKey(key)) {
            Topics t = publisher.settings().topics();
            waiting.put(key, offsets().forKey(List.of(t.audit(), t.control()), b.batchId()));
        }
    }

    /**
     * Writes each complete batch whose audit and control partitions have been read up to where they ended when
     * it became complete (a partition this member does not read is not waited for).
     */
    public synchronized void caughtUp(Map<TopicPartition, Long> positions) throws Exception {
        if (waiting.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        for (String key : List.copyOf(waiting.keySet())) {
            boolean ready = waiting.get(key).entrySet().stream()
                    .allMatch(e -> positions.getOrDefault(e.getKey(), Long.MAX_VALUE) >= e.getValue());
            Instant notBefore = retryAfter.get(key);
            if (!ready || (notBefore != null && now.isBefore(notBefore))) {
                continue;
            }
            BatchAssembly b = open.get(key);
            if (b == null) {
                waiting.remove(key);
                continue;
            }
            try {
                complete(key, b);
                retryAfter.remove(key);
            } catch (Exception e) {
                retryAfter.put(key, now.plusSeconds(10));
                LOG.error("batch {}: writing its bundle failed; trying again in 10 s: {}", key, e.toString(), e);
            }
        }
    }

    private EndOffsets offsets() {
        if (endOffsets == null) {
            endOffsets = new EndOffsets(publisher.settings(), "archiver");
        }
        return endOffsets;
    }

    @Override
    public synchronized void close() {
        if (endOffsets != null) {
            endOffsets.close();
            endOffsets = null;
        }
    }

    private void complete(String key, BatchAssembly b) throws Exception {
        BatchEvent acc = b.accepted();
        // batch-level work: a trace of its own, linked to the traces of the items it archives
        var builder = Tracing.tracer().spanBuilder("write bundle").setNoParent();
        for (SpanContext item : itemTraces.getOrDefault(key, List.of())) {
            builder.addLink(item);
        }
        Span span = builder.startSpan();
        if (span.isRecording()) {
            span.setAttribute(Tracing.BATCH_ID, acc.batchId());
            span.setAttribute(Tracing.OPERATION, acc.operation());
            span.setAttribute(Tracing.PHASE, acc.phase().wire());
        }
        try (Scope scope = span.makeCurrent()) {
            write(key, b, acc);
        } catch (Exception e) {
            Tracing.failed(span, e);
            throw e;
        } finally {
            span.end();
        }
    }

    private void write(String key, BatchAssembly b, BatchEvent acc) throws Exception {
        BatchReport report = b.report(clock.instant());
        Path dir = BundleWriter.write(reports, b, clock.instant(), context, signingKey(), observer);
        Span.current().setAttribute("verops.bundle", dir.getFileName().toString());
        LOG.info("batch {} ({}): bundle in {}", acc.batchId(), acc.phase().wire(), dir);
        io.verops.core.metrics.VeropsMetrics.batch(acc.operation(), acc.phase(), "completed");
        Map<String, Integer> counts = new HashMap<>();
        counts.put("total_items", report.totalItems());
        counts.put(ItemStatus.SUCCESS.wire(), report.succeeded());
        counts.put(ItemStatus.FAILURE.wire(), report.failed());
        counts.put(ItemStatus.SKIPPED.wire(), report.skipped());
        counts.put(ItemStatus.NEEDS_INPUT.wire(), report.needsInput());
        counts.put(ItemStatus.INDETERMINATE.wire(), report.indeterminate());
        BatchEvent completed = new BatchEvent(BatchEvent.Type.COMPLETED, acc.batchId(), acc.operation(), acc.phase(),
                clock.instant(), null, null, null, null, dir.toAbsolutePath().toString(), counts, null);
        Publisher.await(List.of(publisher.send(publisher.settings().topics().batchEvents(), acc.batchId(), completed)));
        done.add(key);
        open.remove(key);
        waiting.remove(key);
        itemTraces.remove(key);
    }

    /** The signing key, loaded (or created) on first use. */
    private SigningKey signingKey() {
        if (key == null) {
            key = SigningKey.loadOrCreate(context.keys());
        }
        return key;
    }

    private BatchAssembly assembly(String key, String batchId) {
        return open.computeIfAbsent(key, k -> {
            BatchAssembly b = new BatchAssembly(batchId);
            control.getOrDefault(batchId, List.of()).forEach(b::control);
            return b;
        });
    }

    private static String key(String batchId, String phase) {
        return batchId + "/" + phase;
    }
}
