package io.verops.executor;

import io.verops.core.Json;
import io.verops.core.kafka.KafkaSettings;
import io.verops.core.messages.ControlMessage;
import io.verops.core.messages.ExecutionRecord;
import io.verops.core.kafka.TopicTail;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What the executor must know before it runs an item: whether the item's batch was halted (topic control) and
 * whether the item already started or finished a run (topic executions). Read from the beginning of both
 * topics (by a thread of its own, as records are written) and caught up to their end before every decision, so a
 * restarted or second executor sees every record an earlier one wrote.
 */
public final class BatchStateView implements AutoCloseable {
    private final KafkaSettings settings;
    private final Map<String, ControlMessage> halts = new HashMap<>();
    private final Map<String, ExecutionRecord> executions = new HashMap<>();
    private final TopicTail tail;

    public BatchStateView(KafkaSettings settings) {
        this.settings = settings;
        this.tail = new TopicTail(settings, "executor-state", List.of(settings.topics().control(),
                settings.topics().executions()), this, this::apply);
    }

    /**
     * Returns once every record written to both topics before this call is in the view. Callers arriving together
     * share the one request for the topics' ends, and the records are read as they are written, so this costs about
     * one round trip to the broker.
     */
    public void catchUp() throws InterruptedException {
        tail.catchUp();
    }

    /** Called by the tail's thread, holding this view's lock. */
    private void apply(ConsumerRecord<String, String> r) {
        if (r.value() == null) {
            return;
        }
        try {
            if (r.topic().equals(settings.topics().control())) {
                ControlMessage c = Json.read(r.value(), ControlMessage.class);
                if (c.type() == ControlMessage.Type.HALTED) {
                    halts.putIfAbsent(c.batchId(), c);
                }
            } else {
                ExecutionRecord e = Json.read(r.value(), ExecutionRecord.class);
                ExecutionRecord prev = executions.get(e.key());
                if (prev == null || prev.state() != ExecutionRecord.State.FINISHED) {
                    executions.put(e.key(), e);
                }
            }
        } catch (RuntimeException ignored) {
            // an unreadable record here is dead-lettered by the stage that consumes the topic; skip it
        }
    }

    public synchronized Optional<ControlMessage> halt(String batchId) {
        return Optional.ofNullable(halts.get(batchId));
    }

    public synchronized Optional<ExecutionRecord> execution(String key) {
        return Optional.ofNullable(executions.get(key));
    }

    /** Records a write of this executor at once, so that its own next decision sees it. */
    public synchronized void remember(ExecutionRecord e) {
        executions.put(e.key(), e);
    }

    @Override
    public void close() {
        tail.close();
    }
}
