package io.verops.core.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates verops' topics where they are missing (used by the local mode and by services that may).
 *
 * <p>The batch-events topic takes messages of up to {@link #BATCH_EVENTS_MAX_MESSAGE_BYTES} (64 MiB) instead of
 * Kafka's default of 1 MiB: a batch's {@code accepted} event lists every item with its fields (about 300 bytes per
 * row of the example operations), so 1 MiB holds only a few thousand rows. 64 MiB holds some 200,000 such rows and
 * stays well under the broker's largest request ({@code socket.request.max.bytes}, 100 MiB by default); every
 * consumer of the topic holds one event whole in memory. An existing batch-events topic with a lower limit is
 * raised to it.
 */
public final class TopicSetup {
    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

    /** The largest message on batch-events ({@code max.message.bytes} of the topic): 64 MiB. */
    public static final int BATCH_EVENTS_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    private static final String MAX_MESSAGE_BYTES = "max.message.bytes";

    private TopicSetup() {
    }

    public static void ensureTopics(KafkaSettings settings) {
        Properties p = settings.baseProperties();
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String t : settings.topics().all()) {
                if (!existing.contains(t)) {
                    NewTopic nt = new NewTopic(t, settings.partitions(), (short) 1);
                    if (t.equals(settings.topics().executions())) {
                        nt.configs(java.util.Map.of("cleanup.policy", "compact"));
                    }
                    if (t.equals(settings.topics().batchEvents())) {
                        nt.configs(java.util.Map.of(MAX_MESSAGE_BYTES, Integer.toString(BATCH_EVENTS_MAX_MESSAGE_BYTES)));
                    }
                    missing.add(nt);
                }
            }
            if (existing.contains(settings.topics().batchEvents())) {
                raiseMaxMessageBytes(admin, settings.topics().batchEvents());
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                        throw e;
                    }
                }
                awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topics on " + settings.bootstrapServers() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Waits until every partition of new topics has a leader: a producer that sends to a partition still without one
     * gets NOT_LEADER_OR_FOLLOWER, and an idempotent producer whose later batches to it were stored meanwhile may then
     * see its retried first batch refused for good (OUT_OF_ORDER_SEQUENCE_NUMBER). Gives up after 30 s, leaving it to
     * the clients' own retries.
     */
    private static void awaitLeaders(Admin admin, List<String> topics) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                boolean all = admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).values().stream()
                        .flatMap(d -> d.partitions().stream())
                        .allMatch(pi -> pi.leader() != null && !pi.leader().isEmpty());
                if (all) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                // not described yet (a topic just created): ask again
            }
            Thread.sleep(50);
        }
        LOG.warn("topics {}: not every partition had a leader 30 s after their creation", topics);
    }

    /** Raises a topic's {@code max.message.bytes} to the batch-events limit when it is lower (a topic made earlier). */
    private static void raiseMaxMessageBytes(Admin admin, String topic) throws InterruptedException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
            ConfigEntry entry = config == null ? null : config.get(MAX_MESSAGE_BYTES);
            if (entry != null && entry.value() != null && Long.parseLong(entry.value()) >= BATCH_EVENTS_MAX_MESSAGE_BYTES) {
                return;
            }
            admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                    new ConfigEntry(MAX_MESSAGE_BYTES, Integer.toString(BATCH_EVENTS_MAX_MESSAGE_BYTES)),
                    AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
            LOG.info("topic {}: max.message.bytes raised from {} to {}", topic, entry == null ? "?" : entry.value(),
                    BATCH_EVENTS_MAX_MESSAGE_BYTES);
        } catch (ExecutionException | TimeoutException | NumberFormatException e) {
            LOG.warn("topic {}: cannot check or raise max.message.bytes to {} ({}); a batch whose accepted event is "
                    + "larger than the topic's limit fails when it is published: set the topic's max.message.bytes to {}",
                    topic, BATCH_EVENTS_MAX_MESSAGE_BYTES, e.getCause() == null ? e.toString() : e.getCause().getMessage(),
                    BATCH_EVENTS_MAX_MESSAGE_BYTES);
        }
    }

    /** The topics of verops that do not exist on the cluster (empty when all do). */
    public static List<String> missingTopics(Admin admin, KafkaSettings settings) throws Exception {
        Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
        return settings.topics().all().stream().filter(t -> !existing.contains(t)).toList();
    }
}
