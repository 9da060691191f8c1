package io.verops.cli;

import io.verops.core.Json;
import io.verops.core.kafka.KafkaSettings;
import io.verops.core.messages.ExecutionRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads the executions topic in tests: which executor instances ran a batch's items. */
final class ExecutionsTopic {
    private ExecutionsTopic() {
    }

    static Set<String> executorsOf(KafkaSettings settings, String batchId) {
        Properties p = settings.baseProperties();
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        Set<String> executors = new HashSet<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo pi : c.partitionsFor(settings.topics().executions())) {
                parts.add(new TopicPartition(pi.topic(), pi.partition()));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                c.poll(Duration.ofMillis(200)).forEach(r -> {
                    ExecutionRecord e = Json.read(r.value(), ExecutionRecord.class);
                    if (e.batchId().equals(batchId)) {
                        executors.add(e.executor());
                    }
                });
            }
        }
        return executors;
    }
}
