package io.verops.core.kafka;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

/**
 * Reads where topics end for read-committed consumers, per partition that a key goes to, without joining a
 * consumer group. A stage uses it to know that everything published before a given moment has reached it.
 */
public final class EndOffsets implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 30;
    private final Admin admin;
    private final Map<String, Integer> partitionCounts = new HashMap<>();

    public EndOffsets(KafkaSettings settings, String name) {
        Objects.requireNonNull(settings, "settings == null");
        Properties p = settings.baseProperties();
        p.put("client.id", "verops-" + name + "-offsets-" + Long.toHexString(System.nanoTime()));
        this.admin = Admin.create(p);
    }

    /** The partition the default partitioner gives a record with this key. */
    public synchronized TopicPartition partitionFor(String topic, String key) throws InterruptedException {
        Integer count = partitionCounts.get(topic);
        if (count == null) {
            count = get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic).partitions().size();
            partitionCounts.put(topic, count);
        }
        return new TopicPartition(topic, Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % count);
    }

    /** The end offsets, now, of the partitions that records keyed {@code key} go to in each of the topics. */
    public synchronized Map<TopicPartition, Long> forKey(List<String> topics, String key) throws InterruptedException {
        java.util.Set<TopicPartition> partitions = new java.util.HashSet<>();
        for (String t : topics) {
            partitions.add(partitionFor(t, key));
        }
        return of(partitions);
    }

    /** The end offsets, now, of these partitions. */
    public Map<TopicPartition, Long> of(java.util.Collection<TopicPartition> partitions) throws InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (TopicPartition tp : partitions) {
            request.put(tp, OffsetSpec.latest());
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> found = get(admin.listOffsets(request,
                new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all());
        Map<TopicPartition, Long> out = new HashMap<>();
        found.forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) throws InterruptedException {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + TIMEOUT_SECONDS + " s", e);
        }
    }

    @Override
    public synchronized void close() {
        admin.close(java.time.Duration.ofSeconds(5));
    }
}
