package io.verops.cli;

import io.verops.core.Json;
import io.verops.core.kafka.KafkaSettings;
import io.verops.core.messages.BatchEvent;
import io.verops.core.messages.ControlMessage;
import io.verops.core.messages.VerdictMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows a batch through Kafka, as any client could: verdicts as they come (for progress) and the
 * {@code completed} event that names the bundle. Opened before the batch is submitted, so nothing is missed.
 */
public final class BatchWatcher implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final KafkaSettings settings;
    private ControlMessage halt;

    public BatchWatcher(KafkaSettings settings) {
        this.settings = settings;
        Properties p = settings.baseProperties();
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.put("enable.auto.commit", "false");
        p.put("isolation.level", "read_committed");
        consumer = new KafkaConsumer<>(p);
        List<TopicPartition> parts = new ArrayList<>();
        for (String t : List.of(settings.topics().batchEvents(), settings.topics().verdicts(), settings.topics().control())) {
            for (PartitionInfo pi : consumer.partitionsFor(t, Duration.ofSeconds(30))) {
                parts.add(new TopicPartition(t, pi.partition()));
            }
        }
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        for (TopicPartition tp : parts) {
            consumer.position(tp); // resolve the end now, before anything is submitted
        }
    }

    /** Waits for the batch's phase to complete; calls {@code onVerdict} for each verdict on the way. */
    public BatchEvent awaitCompleted(String batchId, io.verops.core.Phase phase, Duration timeout,
                                     Consumer<VerdictMessage> onVerdict) throws TimeoutException {
        return awaitCompleted(batchId, phase, timeout, (v, publishedAt) -> onVerdict.accept(v));
    }

    /**
     * Waits for the batch's phase to complete; calls {@code onVerdict} for each verdict on the way, with the time
     * it was published (its Kafka record's timestamp).
     */
    public BatchEvent awaitCompleted(String batchId, io.verops.core.Phase phase, Duration timeout,
                                     java.util.function.BiConsumer<VerdictMessage, java.time.Instant> onVerdict)
            throws TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                if (!batchId.equals(r.key())) {
                    continue;
                }
                if (r.topic().equals(settings.topics().control())) {
                    ControlMessage c = Json.read(r.value(), ControlMessage.class);
                    if (c.type() == ControlMessage.Type.HALTED && halt == null) {
                        halt = c;
                    }
                } else if (r.topic().equals(settings.topics().verdicts())) {
                    VerdictMessage v = Json.read(r.value(), VerdictMessage.class);
                    if (v.phase() == phase) {
                        onVerdict.accept(v, java.time.Instant.ofEpochMilli(r.timestamp()));
                    }
                } else {
                    BatchEvent e = Json.read(r.value(), BatchEvent.class);
                    if (e.type() == BatchEvent.Type.COMPLETED && e.phase() == phase) {
                        return e;
                    }
                }
            }
        }
        throw new TimeoutException("batch " + batchId + " did not complete within " + timeout);
    }

    /** The halt of the watched batch, if one was seen. */
    public java.util.Optional<ControlMessage> halt() {
        return java.util.Optional.ofNullable(halt);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
