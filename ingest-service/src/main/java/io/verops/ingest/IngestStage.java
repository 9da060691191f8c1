package io.verops.ingest;

import io.verops.core.Phase;
import io.verops.core.kafka.Publisher;
import io.verops.core.messages.ItemMessage;
import io.verops.core.operation.Operation;
import io.verops.core.operation.OperationCatalog;
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

    private final OperationCatalog catalog;
    private final Publisher publisher;
    private final BatchPlanner planner;

    public IngestStage(OperationCatalog catalog, Publisher publisher, Clock clock) {
        this.catalog = Objects.requireNonNull(catalog, "catalog == null");
        this.publisher = Objects.requireNonNull(publisher, "publisher == null");
        this.planner = new BatchPlanner(clock);
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

    /** Publishes a plan: the accepted event first, then the items; returns once Kafka has them all. */
    public void publish(BatchPlan plan) {
        var topics = publisher.settings().topics();
        Publisher.await(List.of(publisher.send(topics.batchEvents(), plan.batchId(), plan.accepted())));
        List<Future<RecordMetadata>> sent = new ArrayList<>(plan.items().size());
        for (ItemMessage item : plan.items()) {
            sent.add(publisher.send(topics.items(), item.key(), item));
        }
        Publisher.await(sent);
        LOG.info("batch {} of {} accepted: {} rows, {} items to run, {} not executed", plan.batchId(),
                plan.accepted().operation(), plan.totalRows(), plan.items().size(), plan.notExecuted().size());
    }

    public BatchPlan submit(String operation, String batchId, Phase phase, BatchInput input) {
        BatchPlan plan = plan(operation, batchId, phase, input);
        publish(plan);
        return plan;
    }
}
