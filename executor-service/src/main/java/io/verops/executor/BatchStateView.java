package io.verops.executor;

import io.verops.core.Json;
import io.verops.core.kafka.KafkaSettings;
import io.verops.core.messages.ControlMessage;
import io.verops.core.messages.ExecutionRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What the executor must know before it runs an item: whether the item's batch was halted (topic control) and
 * whether the item already started or finished a run (topic executions). Read from the beginning of both
 * topics and caught up to their current end before every decision, so a restarted or second executor sees
 * every record an earlier one wrote.
 */
public final class BatchStateView implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final KafkaSettings settings;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final Map<String, ControlMessage> halts = new HashMap<>();
    private final Map<String, ExecutionRecord> executions = new HashMap<>();

    public BatchStateView(KafkaSettings settings) {
        this.settings = settings;
        Properties p = settings.baseProperties();
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.put("enable.auto.commit", "false");
        p.put("isolation.level", "read_committed");
        p.put("client.id", "verops-executor-state-" + Long.toHexString(System.nanoTime()));
        consumer = new KafkaConsumer<>(p);
        for (String t : List.of(settings.topics().control(), settings.topics().executions())) {
            for (PartitionInfo pi : consumer.partitionsFor(t, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(t, pi.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads both topics up to their end as of now. */
    public synchronized void catchUp() {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        while (true) {
            boolean behind = false;
            for (TopicPartition tp : partitions) {
                if (consumer.position(tp, Duration.ofSeconds(30)) < end.get(tp)) {
                    behind = true;
                    break;
                }
            }
            if (!behind) {
                return;
            }
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                apply(r);
            }
        }
    }

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
    public synchronized void close() {
        consumer.close();
    }
}
