package io.verops.ingest;

import io.verops.core.kafka.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The batch ids already taken: every key on the batch-events topic (an {@code accepted} event is keyed by its
 * batch id, and so is every later event of the batch). Read from the beginning of the topic and caught up to
 * its end before every answer, so that a restarted ingest, or another replica, sees every batch accepted before
 * the question. Only the keys are kept: the values (the whole plan of each batch) are not read.
 */
public final class AcceptedBatchIds implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();

    public AcceptedBatchIds(KafkaSettings settings) {
        Objects.requireNonNull(settings, "settings == null");
        Properties p = settings.baseProperties();
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("enable.auto.commit", "false");
        p.put("isolation.level", "read_committed");
        p.put("client.id", "verops-ingest-batch-ids-" + Long.toHexString(System.nanoTime()));
        consumer = new KafkaConsumer<>(p);
        topic = settings.topics().batchEvents();
    }

    /** Whether a batch with this id is on batch-events, as of now. */
    public synchronized boolean contains(String batchId) {
        Objects.requireNonNull(batchId, "batchId == null");
        catchUp();
        return ids.contains(batchId);
    }

    /** Records a batch this stage has just published, so that the next answer sees it even before it is read. */
    public synchronized void add(String batchId) {
        ids.add(Objects.requireNonNull(batchId, "batchId == null"));
    }

    private void catchUp() {
        if (partitions.isEmpty()) { // assigned at the first question: the topic may be created after this start
            for (PartitionInfo pi : consumer.partitionsFor(topic, TIMEOUT)) {
                partitions.add(new TopicPartition(topic, pi.partition()));
            }
            if (partitions.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist (yet): cannot tell which batch "
                        + "ids are taken");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
        while (partitions.stream().anyMatch(tp -> consumer.position(tp, TIMEOUT) < end.get(tp))) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                if (r.key() != null) {
                    ids.add(r.key());
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
