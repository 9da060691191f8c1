package io.verops.ingest;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Scope;
import io.verops.core.Phase;
import io.verops.core.kafka.Publisher;
import io.verops.core.kafka.TopicSetup;
import io.verops.core.messages.ItemMessage;
import io.verops.core.operation.Operation;
import io.verops.core.operation.OperationCatalog;
import io.verops.core.tracing.Tracing;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest stage: plans a batch and publishes it (the accepted event, then one message per item). A batch
 * that is refused publishes nothing. The same code serves the CLI, HTTP and the batches topic.
 */
public final class IngestStage {
    private static final Logger LOG = LoggerFactory.getLogger(IngestStage.class);

    /**
     * The largest accepted event published by default: the largest message of batch-events, less 64 KiB for the
     * record's key, headers and batch framing.
     */
    public static final int DEFAULT_MAX_ACCEPTED_EVENT_BYTES = TopicSetup.BATCH_EVENTS_MAX_MESSAGE_BYTES - 64 * 1024;

    private final OperationCatalog catalog;
    private final Publisher publisher;
    private final BatchPlanner planner;
    private final int maxAcceptedEventBytes;

    public IngestStage(OperationCatalog catalog, Publisher publisher, Clock clock) {
        this(catalog, publisher, clock, DEFAULT_MAX_ACCEPTED_EVENT_BYTES);
    }

    /**
     * @param maxAcceptedEventBytes the largest accepted event (serialised) this stage publishes; a batch whose event
     *                              is larger is refused before anything of it is published
     */
    public IngestStage(OperationCatalog catalog, Publisher publisher, Clock clock, int maxAcceptedEventBytes) {
        this.catalog = Objects.requireNonNull(catalog, "catalog == null");
        this.publisher = Objects.requireNonNull(publisher, "publisher == null");
        this.planner = new BatchPlanner(clock);
        if (maxAcceptedEventBytes < 1 || maxAcceptedEventBytes > DEFAULT_MAX_ACCEPTED_EVENT_BYTES) {
            throw new IllegalArgumentException("maxAcceptedEventBytes must be between 1 and "
                    + DEFAULT_MAX_ACCEPTED_EVENT_BYTES + " (found " + maxAcceptedEventBytes + ")");
        }
        this.maxAcceptedEventBytes = maxAcceptedEventBytes;
    }

    /** The operations it plans batches for. */
    public OperationCatalog catalog() {
        return catalog;
    }

    /** Plans without publishing; throws {@link BatchRefusedException} for a batch that cannot be taken. */
    public BatchPlan plan(String operation, String batchId, Phase phase, BatchInput input) {
        Operation op;
        try {
            op = catalog.require(operation);
        } catch (IllegalArgumentException e) {
            throw new BatchRefusedException(e.getMessage());
        }
        return planner.plan(op, batchId, phase, input);
    }

    /**
     * Publishes a plan: the accepted event first, then the items, none of them sent before Kafka has the accepted
     * event (the items are prepared meanwhile); returns once Kafka has them all. A plan is refused
     * ({@link BatchRefusedException}) before anything is sent when its accepted event is larger than this stage's
     * limit for one batch-events message.
     */
    public void publish(BatchPlan plan) {
        var topics = publisher.settings().topics();
        Publisher.Prepared accepted = publisher.prepare(topics.batchEvents(), plan.batchId(), plan.accepted());
        long bytes = accepted.bytes();
        if (bytes > maxAcceptedEventBytes) {
            int rows = plan.totalRows();
            long fit = Math.max(1, (long) rows * maxAcceptedEventBytes / bytes * 9 / 10); // a margin: rows differ
            throw new BatchRefusedException(plan.accepted().input().name() + ": " + count(rows) + " rows make an "
                    + "accepted event of " + count(bytes) + " bytes, over the limit of " + count(maxAcceptedEventBytes)
                    + " bytes of one batch-events message; split the batch (about " + count(fit)
                    + " rows of this batch fit in one)");
        }
        // the batch's own span (child of whatever submitted it: an HTTP request, a batches-topic record); each item
        // starts a trace of its own, linked to it, that follows the item to the archiver
        Span batch = Tracing.tracer().spanBuilder("ingest batch").startSpan();
        if (batch.isRecording()) {
            batch.setAttribute(Tracing.BATCH_ID, plan.batchId());
            batch.setAttribute(Tracing.OPERATION, plan.accepted().operation());
            batch.setAttribute(Tracing.PHASE, plan.accepted().phase().wire());
            batch.setAttribute("verops.rows", plan.totalRows());
            batch.setAttribute("verops.items", plan.items().size());
        }
        try (Scope scope = batch.makeCurrent()) {
            Future<RecordMetadata> acceptedSent = publisher.send(accepted);
            // while the broker takes the accepted event, the first items are checked and serialised; none is sent
            // before the broker has the accepted event
            List<ItemMessage> items = plan.items();
            String itemsTopic = topics.items();
            List<Publisher.Prepared> ready = new ArrayList<>();
            int next = 0;
            while (next < items.size() && !acceptedSent.isDone()) {
                ItemMessage item = items.get(next++);
                ready.add(publisher.prepare(itemsTopic, item.key(), item));
            }
            Publisher.await(List.of(acceptedSent));
            SpanContext batchContext = batch.getSpanContext();
            List<Future<RecordMetadata>> sent = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                ItemMessage item = items.get(i);
                Span span = Tracing.tracer().spanBuilder("ingest item").setNoParent().addLink(batchContext).startSpan();
                if (span.isRecording()) {
                    span.setAttribute(Tracing.BATCH_ID, item.batchId());
                    span.setAttribute(Tracing.ITEM_ID, item.itemId());
                    span.setAttribute(Tracing.OPERATION, item.operation());
                    span.setAttribute("verops.row", item.row());
                }
                try (Scope s = span.makeCurrent()) {
                    sent.add(i < next ? publisher.send(ready.get(i)) : publisher.send(itemsTopic, item.key(), item));
                } finally {
                    span.end();
                }
            }
            ready = null; // sent: the producer holds them now
            Publisher.await(sent);
        } finally {
            batch.end();
        }
        io.verops.core.metrics.VeropsMetrics.batch(plan.accepted().operation(), plan.accepted().phase(), "accepted");
        LOG.info("batch {} of {} accepted: {} rows, {} items to run, {} not executed; accepted event of {} bytes",
                plan.batchId(), plan.accepted().operation(), plan.totalRows(), plan.items().size(),
                plan.notExecuted().size(), bytes);
    }

    private static String count(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n);
    }

    public BatchPlan submit(String operation, String batchId, Phase phase, BatchInput input) {
        BatchPlan plan = plan(operation, batchId, phase, input);
        publish(plan);
        return plan;
    }
}
