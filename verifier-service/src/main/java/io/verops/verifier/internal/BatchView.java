package io.verops.verifier.internal;

import io.verops.core.ItemStatus;
import io.verops.core.Json;
import io.verops.core.Phase;
import io.verops.core.kafka.KafkaSettings;
import io.verops.core.messages.BatchEvent;
import io.verops.core.messages.ControlMessage;
import io.verops.core.messages.VerdictMessage;
import io.verops.core.kafka.TopicTail;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What the verifier must know of each batch and phase to judge an item and its gates: the accepted plan (how many
 * items, each one's fields), the verdicts so far, and whether the batch was halted. Read from the beginning of the
 * batch-events, verdicts and control topics and caught up to their end before each decision, so a restarted
 * verifier, or one of several, counts every verdict any of them published.
 */
public final class BatchView implements AutoCloseable {
    private final KafkaSettings settings;
    private final Map<String, PhaseState> phases = new HashMap<>();
    private final Map<String, ControlMessage> halts = new HashMap<>();
    private final TopicTail tail;

    public BatchView(KafkaSettings settings) {
        this.settings = settings;
        var t = settings.topics();
        this.tail = new TopicTail(settings, "verifier-view", List.of(t.batchEvents(), t.verdicts(), t.control()), this,
                this::apply);
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

    /**
     * Returns once every record written to the three topics before this call is in the view (they are read as they
     * are written, by a thread of the view's own). A caller holding this view's lock lets go of it while it waits,
     * so the view's state may move on under it until this returns.
     */
    public void catchUp() throws InterruptedException {
        tail.catchUp();
    }

    /** Called by the tail's thread, holding this view's lock. */
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

    /**
     * The planned item's normalised fields, catching up first only when they are not known yet: a batch's accepted
     * plan for a phase is published once, before its items, and never changes.
     */
    public Optional<Map<String, String>> fieldsCatchingUp(String batchId, Phase phase, String itemId)
            throws InterruptedException {
        Optional<Map<String, String>> known = fields(batchId, phase, itemId);
        if (known.isPresent()) {
            return known;
        }
        catchUp();
        return fields(batchId, phase, itemId);
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
    public void close() {
        tail.close();
    }
}
