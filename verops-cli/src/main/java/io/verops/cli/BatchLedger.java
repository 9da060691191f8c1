package io.verops.cli;

import io.verops.core.Json;
import io.verops.core.Phase;
import io.verops.core.kafka.KafkaSettings;
import io.verops.core.messages.BatchEvent;
import io.verops.core.messages.ControlMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Where every batch stands, read from batch-events and control (from their beginning to their end now). */
final class BatchLedger {
    /** What is known of one batch. */
    static final class Entry {
        final String batchId;
        String operation;
        BatchEvent dryAccepted;
        BatchEvent dryCompleted;
        BatchEvent applyAccepted;
        BatchEvent applyCompleted;
        ControlMessage decision;
        ControlMessage halt;

        Entry(String batchId) {
            this.batchId = batchId;
        }

        /** dry run, awaiting approval, applying, done, halted, rejected. */
        String stage(boolean applyEnabled) {
            if (halt != null) {
                return "halted";
            }
            if (dryCompleted == null) {
                return "dry run";
            }
            if (!applyEnabled) {
                return "done";
            }
            if (applyAccepted == null) {
                return decision == null ? "awaiting approval" : "releasing apply";
            }
            if (applyAccepted.approval() != null && applyAccepted.approval().decision().equals("rejected")) {
                return applyCompleted == null ? "rejecting" : "rejected";
            }
            return applyCompleted == null ? "applying" : "done";
        }

        BatchEvent latestCompleted() {
            return applyCompleted != null ? applyCompleted : dryCompleted;
        }
    }

    static Map<String, Entry> read(KafkaSettings settings) {
        Properties p = settings.baseProperties();
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.put("enable.auto.commit", "false");
        Map<String, Entry> entries = new LinkedHashMap<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String t : List.of(settings.topics().batchEvents(), settings.topics().control())) {
                for (PartitionInfo pi : c.partitionsFor(t, Duration.ofSeconds(30))) {
                    parts.add(new TopicPartition(t, pi.partition()));
                }
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                c.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            records.sort((a, b) -> Long.compare(a.timestamp(), b.timestamp()));
            for (ConsumerRecord<String, String> r : records) {
                if (r.topic().equals(settings.topics().control())) {
                    ControlMessage m = Json.read(r.value(), ControlMessage.class);
                    Entry e = entries.computeIfAbsent(m.batchId(), Entry::new);
                    if (m.type() == ControlMessage.Type.HALTED) {
                        e.halt = e.halt == null ? m : e.halt;
                    } else if (e.decision == null) {
                        e.decision = m;
                    }
                } else {
                    BatchEvent b = Json.read(r.value(), BatchEvent.class);
                    Entry e = entries.computeIfAbsent(b.batchId(), Entry::new);
                    e.operation = b.operation();
                    boolean dry = b.phase() == Phase.DRY_RUN;
                    if (b.type() == BatchEvent.Type.ACCEPTED) {
                        if (dry) {
                            e.dryAccepted = b;
                        } else {
                            e.applyAccepted = b;
                        }
                    } else if (dry) {
                        e.dryCompleted = b;
                    } else {
                        e.applyCompleted = b;
                    }
                }
            }
        }
        return entries;
    }
}
