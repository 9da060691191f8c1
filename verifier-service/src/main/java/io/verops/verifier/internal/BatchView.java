package io.verops.verifier.internal;

import io.verops.core.ItemStatus;
import io.verops.core.Json;
import io.verops.core.Phase;
import io.verops.core.kafka.KafkaSettings;
import io.verops.core.messages.BatchEvent;
import io.verops.core.messages.ControlMessage;
import io.verops.core.messages.VerdictMessage;
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
 * What the verifier must know of each batch and phase to judge an item and its gates: the accepted plan (how many
 * items, each one's fields), the verdicts so far, and whether the batch was halted. Read from the beginning of the
 * batch-events, verdicts and control topics and caught up to their end before each decision, so a restarted
 * verifier, or one of several, counts every verdict any of them published.
 */
public final class BatchView implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final KafkaSettings settings;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final Map<String, PhaseState> phases = new HashMap<>();
    private final Map<String, ControlMessage> halts = new HashMap<>();

    public BatchView(KafkaSettings settings) {
        this.settings = settings;
        Properties p = settings.baseProperties();
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.put("enable.auto.commit", "false");
        p.put("isolation.level", "read_committed");
        p.put("client.id", "verops-verifier-view-" + Long.toHexString(System.nanoTime()));
        consumer = new KafkaConsumer<>(p);
        var t = settings.topics();
        for (String topic : List.of(t.batchEvents(), t.verdicts(), t.control())) {
            for (PartitionInfo pi : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, pi.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** One phase of one batch: its plan, the verdicts of its items, and what the gates already published. */
    public static final class PhaseState {
        private Map<String, Map<String, String>> planned;
        private final Map<String, ItemStatus> verdicts = new HashMap<>();
        private boolean finalPublished;
        private int maxErrorLines;
        private String maxErrorWhere;
        private int destructiveOutputs;
        private String firstDestructive;

        /** The number of planned items, or null when the plan is not known. */
        public Integer planned() {
            return planned == null ? null : planned.size();
        }

        /** Items with a verdict other than skipped. */
        public int judged() {
            return (int) verdicts.values().stream().filter(s -> s != ItemStatus.SKIPPED).count();
        }

        public int failed() {
            return (int) verdicts.values().stream().filter(s -> s == ItemStatus.FAILURE).count();
        }

        /** Every planned item has a verdict. */
        public boolean complete() {
            return planned != null && planned.keySet().stream().allMatch(verdicts::containsKey);
        }

        public int maxErrorLines() {
            return maxErrorLines;
        }

        public String maxErrorWhere() {
            return maxErrorWhere;
        }

        public int destructiveOutputs() {
            return destructiveOutputs;
        }

        public String firstDestructive() {
            return firstDestructive;
        }

        /** Notes what one item's outputs showed (for the phase's closing gate evaluations). */
        public void noteOutputs(int errorLines, String errorWhere, int destructive, String destructiveWhere) {
            if (errorLines > maxErrorLines) {
                maxErrorLines = errorLines;
                maxErrorWhere = errorWhere;
            }
            destructiveOutputs += destructive;
            if (firstDestructive == null) {
                firstDestructive = destructiveWhere;
            }
        }

        /** True the first time only: the phase's closing evaluations are published once. */
        public boolean claimFinal() {
            if (finalPublished) {
                return false;
            }
            finalPublished = true;
            return true;
        }
    }

    /** Reads the three topics up to their end as of now. */
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
        var t = settings.topics();
        try {
            if (r.topic().equals(t.batchEvents())) {
                BatchEvent e = Json.read(r.value(), BatchEvent.class);
                if (e.type() == BatchEvent.Type.ACCEPTED && e.items() != null && e.phase() != null) {
                    Map<String, Map<String, String>> plan = new HashMap<>();
                    e.items().forEach(i -> plan.put(i.itemId(), i.fields() == null ? Map.of() : i.fields()));
                    phase(e.batchId(), e.phase()).planned = plan;
                }
            } else if (r.topic().equals(t.verdicts())) {
                record(Json.read(r.value(), VerdictMessage.class));
            } else {
                ControlMessage c = Json.read(r.value(), ControlMessage.class);
                if (c.type() == ControlMessage.Type.HALTED) {
                    halts.putIfAbsent(c.batchId(), c);
                }
            }
        } catch (RuntimeException ignored) {
            // an unreadable record is dead-lettered by the stage that consumes its topic; skip it here
        }
    }

    /** The phase's state, created empty when nothing is known of it yet. */
    public synchronized PhaseState phase(String batchId, Phase phase) {
        return phases.computeIfAbsent(batchId + "/" + phase.wire(), k -> new PhaseState());
    }

    /** The planned item's normalised fields, if its batch's accepted plan for the phase is known. */
    public synchronized Optional<Map<String, String>> fields(String batchId, Phase phase, String itemId) {
        PhaseState s = phases.get(batchId + "/" + phase.wire());
        return s == null || s.planned == null ? Optional.empty() : Optional.ofNullable(s.planned.get(itemId));
    }

    /** Counts a verdict (once per item: a verdict published again replaces the earlier one). */
    public synchronized PhaseState record(VerdictMessage v) {
        PhaseState s = phase(v.batchId(), v.phase());
        s.verdicts.put(v.itemId(), v.status());
        return s;
    }

    /** The first halt of the batch (by a gate or an operator, in any phase). */
    public synchronized Optional<ControlMessage> halt(String batchId) {
        return Optional.ofNullable(halts.get(batchId));
    }

    /** Records a halt this verifier published, so that its next decision sees it at once. */
    public synchronized void rememberHalt(ControlMessage halt) {
        halts.putIfAbsent(halt.batchId(), halt);
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }
}
